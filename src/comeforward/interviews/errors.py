from __future__ import annotations

from comeforward.errors import DomainError


class InterviewInvalid(DomainError):
    code = "INTERVIEW_INVALID"


class OfficerNotOnCase(DomainError):
    code = "INTERVIEW_OFFICER_NOT_ON_CASE"
