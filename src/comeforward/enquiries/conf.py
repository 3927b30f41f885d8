"""Tunables for the enquiry channel, with defaults; any may be overridden in settings.

Retention (users-and-security §3.2 req. 8) is a policy decision: 180 days is the default the
issue asked for, not a legal requirement, so it is flagged for sign-off.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    #: Dormant enquiries are erased this many days after their last activity.
    "ENQUIRY_RETENTION_DAYS": 180,
    #: A question form must be at least this old when sent (bots post at once).
    "ENQUIRY_MIN_FORM_SECONDS": 5,
    #: ... and no older than this.
    "ENQUIRY_FORM_MAX_AGE_SECONDS": 2 * 60 * 60,
    #: A page of replies lets the holder send a new message for this long.
    "ENQUIRY_THREAD_TOKEN_SECONDS": 30 * 60,
    #: scrypt cost: N = 2**this, r = 8, p = 1 (SecureDrop's source_user.py uses 2**14).
    "ENQUIRY_SCRYPT_LOG2_N": 14,
    "ENQUIRY_MESSAGE_MAX_CHARS": 5000,
    #: Fixed-window limits (no IP address: users-and-security §3.2 req. 11).
    "ENQUIRY_RATE_LIMITS": {
        "enquiries_per_hour": 120,  # new enquiries, whole service
        "messages_per_hour": 600,  # messages from enquirers, whole service
        "messages_per_reference_per_day": 10,
        "lookups_per_minute": 120,  # reference look-ups, whole service (bounds scrypt work)
    },
}

#: Retention is a policy choice awaiting the data protection officer's sign-off.
RETENTION_NEEDS_SIGNOFF = True


def setting(name: str) -> Any:
    value = getattr(settings, name, None)
    if value is None:
        return DEFAULTS[name]
    if isinstance(DEFAULTS[name], dict):
        return {**DEFAULTS[name], **value}
    return value
