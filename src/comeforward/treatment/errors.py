"""Errors a caller of the treatment services can act on (docs/interfaces.md, "Errors")."""

from __future__ import annotations

from comeforward.errors import DomainError


class AlreadyReferred(DomainError):
    code = "TREATMENT_ALREADY_REFERRED"


class NotATreatmentProvider(DomainError):
    code = "TREATMENT_NOT_A_PROVIDER"


class TreatmentFinished(DomainError):
    code = "TREATMENT_FINISHED"


class InvalidSession(DomainError):
    code = "TREATMENT_INVALID_SESSION"


class BreachReviewAlreadyOpen(DomainError):
    code = "BREACH_REVIEW_ALREADY_OPEN"


class BreachReviewClosed(DomainError):
    code = "BREACH_REVIEW_CLOSED"


class ReasonRequired(DomainError):
    code = "REASON_REQUIRED"


class NoBreachRoute(DomainError):
    """The disposal given has no breach route: a simple caution has no conditions, so it
    cannot be breached into a prosecution (domain-rules §2.6; policy ``[disposals]``)."""

    code = "NO_BREACH_ROUTE"
