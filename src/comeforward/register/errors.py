"""Errors a caller of the register services can act on (docs/interfaces.md, "Errors")."""

from __future__ import annotations

from comeforward.errors import DomainError


class NotNotifiable(DomainError):
    code = "REGISTER_NOT_NOTIFIABLE"


class RegisterRecordExists(DomainError):
    code = "REGISTER_RECORD_EXISTS"


class InvalidNotification(DomainError):
    code = "REGISTER_INVALID_NOTIFICATION"


class NotOverdue(DomainError):
    code = "REGISTER_NOT_OVERDUE"


class BreachAlreadyOpen(DomainError):
    code = "REGISTER_BREACH_EXISTS"


class InvalidHorizon(DomainError):
    code = "REGISTER_INVALID_HORIZON"


class RecordEnded(DomainError):
    code = "REGISTER_RECORD_ENDED"


class InvalidReviewStep(DomainError):
    code = "REGISTER_INVALID_REVIEW_STEP"
