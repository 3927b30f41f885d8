"""The SLA rules in force: ``cases.domain.sla`` defaults with the ``COMEFORWARD_SLAS``
setting applied, and due dates counted in England & Wales working days."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from .domain.sla import TaskRule, configured_rules
from .domain.working_days import BankHolidaysNotKnown, add_working_days


def active_rules() -> tuple[TaskRule, ...]:
    return configured_rules(getattr(settings, "COMEFORWARD_SLAS", None))


def due_date(rule: TaskRule, start: dt.date) -> tuple[dt.date, bool]:
    """The due date, and whether it is only an estimate (bank holidays for that year are not
    in the table yet: weekends are skipped, bank holidays cannot be)."""
    try:
        return add_working_days(start, rule.working_days), False
    except BankHolidaysNotKnown:
        return add_working_days(start, rule.working_days, covered_years=range(1, 10000)), True
