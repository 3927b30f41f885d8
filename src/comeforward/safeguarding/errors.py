"""Failures a caller can act on, each with a stable code (docs/interfaces.md "Errors")."""

from __future__ import annotations

from comeforward.errors import DomainError


class ReferralDateInvalid(DomainError):
    code = "REFERRAL_DATE_INVALID"


class ReferralAlreadyClosed(DomainError):
    code = "REFERRAL_ALREADY_CLOSED"


class OutcomeDateInvalid(DomainError):
    code = "REFERRAL_OUTCOME_DATE_INVALID"


class ChildRecordInvalid(DomainError):
    code = "CHILD_RECORD_INVALID"


class ChildRecordNotCurrent(DomainError):
    code = "CHILD_RECORD_NOT_CURRENT"
