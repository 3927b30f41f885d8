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
    #: A question form must be at least this old when sent. Off (0) by default (issue 20.6):
    #: a person who prepared their question elsewhere pastes it and sends it at once. Scripts
    #: are stopped by the honeypot, the signed single-use form token and the proof of work
    #: that scales with load (``abuse.py``); an operator may still set a minimum.
    "ENQUIRY_MIN_FORM_SECONDS": 0,
    #: ... and no older than this.
    "ENQUIRY_FORM_MAX_AGE_SECONDS": 2 * 60 * 60,
    #: A page of replies lets the holder send a new message for this long.
    "ENQUIRY_THREAD_TOKEN_SECONDS": 30 * 60,
    #: scrypt cost: N = 2**this, r = 8, p = 1 (SecureDrop's source_user.py uses 2**14).
    "ENQUIRY_SCRYPT_LOG2_N": 14,
    "ENQUIRY_MESSAGE_MAX_CHARS": 5000,
    #: Per-reference budget (no IP address: users-and-security §3.2 req. 11). There is no
    #: service-wide cap: one client could use it up and lock everyone out (issue 11.6).
    "ENQUIRY_RATE_LIMITS": {
        "messages_per_reference_per_day": 10,
    },
    #: Proof of work that scales with load instead (abuse.py; docs/adr/0201). ``free``: how
    #: many questions / reference look-ups per window need no proof (no JavaScript needed);
    #: beyond that ``base_bits``, plus ``bits_per_doubling`` per doubling of the load.
    #: 22 bits is about 4 million SHA-256 hashes: seconds in a browser, per request.
    "ENQUIRY_PROOF_OF_WORK": {
        "window_seconds": 600,
        "free": {"question": 30, "lookup": 120},
        "base_bits": 12,
        "bits_per_doubling": 2,
        "max_bits": 22,
        "slack_bits": 2,
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
