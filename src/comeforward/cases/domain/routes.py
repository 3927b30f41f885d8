"""How a case reached the scheme (ARCHITECTURE.md §1: self-referrals, anonymous enquiries
that become referrals, and bulk intelligence leads)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "self_referral": "Self-referral",
    "enquiry_conversion": "Anonymous enquiry converted to a referral",
    "intelligence_lead": "Intelligence lead",
    "other": "Other",
}
