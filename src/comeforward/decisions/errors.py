"""Failures a caller can act on, each with a stable code (docs/interfaces.md "Errors")."""

from __future__ import annotations

from comeforward.errors import DomainError


class RecommendationMissing(DomainError):
    code = "RECOMMENDATION_MISSING"


class DecisionNotAllowed(DomainError):
    code = "DECISION_NOT_ALLOWED"


class DecisionAlreadyMade(DomainError):
    code = "DECISION_ALREADY_MADE"


class ApprovalNotAllowed(DomainError):
    code = "APPROVAL_NOT_ALLOWED"


class SameSupervisor(DomainError):
    code = "SECOND_SUPERVISOR_REQUIRED"


class CautionAlreadyRecorded(DomainError):
    code = "CAUTION_ALREADY_RECORDED"


class InvalidConditions(DomainError):
    code = "INVALID_CAUTION_CONDITIONS"


class OutcomeAlreadyRecorded(DomainError):
    code = "OUTCOME_ALREADY_RECORDED"


class UnknownOutcomeCode(DomainError):
    code = "UNKNOWN_OUTCOME_CODE"


class DateOfBirthMissing(DomainError):
    """The law engine needs the person's date of birth (SOA 2003 Sch 3 age conditions)."""

    code = "CAUTION_DATE_OF_BIRTH_MISSING"


class ProsecutionFileAlreadyRecorded(DomainError):
    code = "PROSECUTION_FILE_ALREADY_RECORDED"


class CautionNotAllowed(DomainError):
    """The disposal cannot be given as described; ``code`` names the rule that failed
    (``comeforward.policy.disposal.Problem`` codes, or a date rule)."""

    code = "CAUTION_NOT_ALLOWED"


class OutcomeCodeInconsistent(DomainError):
    code = "OUTCOME_CODE_INCONSISTENT"


class CorrectionNotAllowed(DomainError):
    code = "CORRECTION_NOT_ALLOWED"


class FastExitNotAllowed(DomainError):
    code = "FAST_EXIT_NOT_ALLOWED"
