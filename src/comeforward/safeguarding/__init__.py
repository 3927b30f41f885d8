"""Safeguarding screen and referrals (domain-rules §5)."""
