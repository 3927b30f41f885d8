"""The voluntary interview under caution and the admission (domain-rules §4.7 E2)."""
