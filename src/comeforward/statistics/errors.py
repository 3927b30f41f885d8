from __future__ import annotations

from comeforward.errors import DomainError


class FollowUpEventInvalid(DomainError):
    code = "FOLLOW_UP_EVENT_INVALID"


class ExtractPurposeRequired(DomainError):
    code = "EXTRACT_PURPOSE_REQUIRED"


class FiguresNotReady(DomainError):
    code = "FIGURES_NOT_READY"


class EqualityMonitoringInvalid(DomainError):
    code = "EQUALITY_MONITORING_INVALID"
