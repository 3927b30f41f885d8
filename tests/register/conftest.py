"""Fixtures for the register tests: a cautioned case and its record. All data synthetic."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.cases.domain.states import CaseState
from comeforward.register.services import register_open_for_caution

from ..factories import CaseFactory


def cautioned_case(police_force):
    return CaseFactory(owning_organisation=police_force, state=CaseState.CAUTIONED)


def open_record(case, caution_date: dt.date, actor=None):
    return register_open_for_caution(
        actor=actor,
        case=case,
        caution_date=caution_date,
        offence="CJA1988_S160",
        offence_date=dt.date(2024, 1, 10),
        offender_dob=dt.date(1980, 5, 1),
        youngest_depicted_age=12,
    )


@pytest.fixture
def case(police_force):
    return cautioned_case(police_force)


@pytest.fixture
def fixed_today(monkeypatch):
    """Pin ``timezone.localdate`` for the register services and selectors."""

    def pin(day: dt.date):
        from comeforward.register import selectors, services

        monkeypatch.setattr(services, "_today", lambda: day)
        monkeypatch.setattr(services.timezone, "localdate", lambda *a, **k: day)
        monkeypatch.setattr(selectors.timezone, "localdate", lambda *a, **k: day)
        return day

    return pin
