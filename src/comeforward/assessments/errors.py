from __future__ import annotations

from comeforward.errors import DomainError


class AssessmentNotAllowed(DomainError):
    code = "ASSESSMENT_NOT_ALLOWED"


class ConflictOfInterest(DomainError):
    code = "ASSESSOR_CONFLICT_OF_INTEREST"


class ConflictNotDeclared(DomainError):
    code = "CONFLICT_NOT_DECLARED"


class AssessmentAlreadyComplete(DomainError):
    code = "ASSESSMENT_ALREADY_COMPLETE"


class NotAnAssessmentService(DomainError):
    code = "NOT_AN_ASSESSMENT_SERVICE"
