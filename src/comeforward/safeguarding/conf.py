"""Configurable safeguarding deadlines (settings, with defaults in ``rules``).

``SAFEGUARDING_REFERRAL_DEADLINES = {"lado": 1, ...}`` (working days) and
``SAFEGUARDING_BANK_HOLIDAYS = ["2026-12-25", ...]``. Every deadline is flagged as needing
policy sign-off (domain-rules §5.2 rates them [M]/[D]).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from .rules import ReferralDeadline, ReferralKind, deadlines


def deadline_table() -> dict[ReferralKind, ReferralDeadline]:
    return deadlines(getattr(settings, "SAFEGUARDING_REFERRAL_DEADLINES", None))


def bank_holidays() -> frozenset[dt.date]:
    return frozenset(
        dt.date.fromisoformat(day) for day in getattr(settings, "SAFEGUARDING_BANK_HOLIDAYS", ())
    )
