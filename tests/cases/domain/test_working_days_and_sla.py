"""Working days (England & Wales) and the SLA rules (pure)."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.easter import easter

from comeforward.cases.domain.sla import (
    DEFAULT_RULES,
    OPEN,
    configured_rules,
    due_status,
    kinds_done_on_entering,
    rules_opened_by,
)
from comeforward.cases.domain.states import CaseState as S
from comeforward.cases.domain.working_days import (
    BANK_HOLIDAYS_ENGLAND_WALES,
    BankHolidaysNotKnown,
    add_working_days,
    bank_holidays,
    is_working_day,
)

D = dt.date


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2028, 2029, 2030, 2033, 2039, 2044, 2050])
def test_table_agrees_with_the_rules_that_make_bank_holidays(year):
    """Cross-check of the holidays package's dates: Easter (Good Friday, Easter Monday), first and
    last Mondays of May, last Monday of August, New Year/Christmas/Boxing Day with
    substitute days (Banking and Financial Dealings Act 1971 Sch 1)."""

    def mondays(month):
        days = [D(year, month, d) for d in range(1, 32) if _valid(year, month, d)]
        return [d for d in days if d.weekday() == 0]

    def substitute(day, taken):
        while day.weekday() >= 5 or day in taken:
            day += dt.timedelta(days=1)
        return day

    expected = {easter(year) - dt.timedelta(days=2), easter(year) + dt.timedelta(days=1)}
    expected |= {mondays(5)[0], mondays(5)[-1], mondays(8)[-1]}
    expected.add(substitute(D(year, 1, 1), set()))
    christmas = substitute(D(year, 12, 25), set())
    expected |= {christmas, substitute(D(year, 12, 26), {christmas})}
    table = {d for d in BANK_HOLIDAYS_ENGLAND_WALES if d.year == year}
    assert table == expected


def _valid(year, month, day):
    try:
        D(year, month, day)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (D(2026, 3, 2), 1, D(2026, 3, 3)),  # Monday → Tuesday
        (D(2026, 3, 6), 1, D(2026, 3, 9)),  # Friday → Monday
        (D(2026, 3, 7), 1, D(2026, 3, 9)),  # Saturday → Monday
        (D(2026, 4, 2), 1, D(2026, 4, 7)),  # Thursday before Easter → Tuesday after
        (D(2026, 12, 24), 1, D(2026, 12, 29)),  # Christmas, substitute Boxing Day
        (D(2026, 3, 2), 5, D(2026, 3, 9)),
        (D(2026, 3, 7), 0, D(2026, 3, 9)),  # zero days from a weekend: next working day
        (D(2026, 3, 4), 0, D(2026, 3, 4)),
    ],
)
def test_add_working_days(start, days, due):
    assert add_working_days(start, days) == due


def test_beyond_the_covered_years_is_refused_not_guessed():
    assert add_working_days(D(2028, 12, 29), 2) == D(2029, 1, 3)  # the old table ended here
    with pytest.raises(BankHolidaysNotKnown) as refusal:
        add_working_days(D(2099, 12, 30), 2)
    assert refusal.value.details == {"year": 2100, "covered": [2000, 2099]}


def test_one_off_holidays_by_proclamation_are_known():
    assert D(2022, 9, 19) in BANK_HOLIDAYS_ENGLAND_WALES  # State Funeral of Queen Elizabeth II
    assert D(2023, 5, 8) in BANK_HOLIDAYS_ENGLAND_WALES  # Coronation of King Charles III
    assert D(2022, 6, 3) in BANK_HOLIDAYS_ENGLAND_WALES  # Platinum Jubilee
    assert D(2022, 5, 30) not in BANK_HOLIDAYS_ENGLAND_WALES  # Spring holiday moved to 2 June
    assert D(2022, 6, 2) in BANK_HOLIDAYS_ENGLAND_WALES


def test_wales_has_the_same_bank_holidays_as_england():
    assert bank_holidays(subdivision="WLS") == BANK_HOLIDAYS_ENGLAND_WALES


def test_negative_days_is_a_bug():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 5), -1)


def test_is_working_day():
    assert is_working_day(D(2026, 5, 4)) is False  # early May bank holiday
    assert is_working_day(D(2026, 5, 5)) is True
    assert is_working_day(D(2026, 5, 9)) is False  # Saturday


def test_the_safeguarding_screen_opens_on_referral_within_one_working_day():
    (rule,) = rules_opened_by(OPEN, DEFAULT_RULES)
    assert (rule.kind, rule.role, rule.working_days) == ("safeguarding_screen", "intake_officer", 1)
    assert rule.needs_legal_signoff is True


def test_every_default_rule_is_flagged_for_sign_off():
    assert all(rule.needs_legal_signoff for rule in DEFAULT_RULES)


def test_leaving_the_screening_states_finishes_the_screen_only():
    done = kinds_done_on_entering(S.DEVICES_RECEIVED, DEFAULT_RULES)
    assert "safeguarding_screen" in done
    assert "forensic_examination" not in done
    assert "safeguarding_screen" not in kinds_done_on_entering(S.SAFEGUARDING_SCREEN, DEFAULT_RULES)


def test_settings_override_working_days_and_refuse_unknown_kinds():
    rules = configured_rules({"safeguarding_screen": {"working_days": 2}})
    assert rules_opened_by(OPEN, rules)[0].working_days == 2
    with pytest.raises(ValueError, match="unknown task kinds"):
        configured_rules({"safeguarding_scren": {"working_days": 2}})
    with pytest.raises(ValueError, match="cannot set"):
        configured_rules({"safeguarding_screen": {"label": "x"}})


@pytest.mark.parametrize(
    ("due", "status"),
    [(D(2026, 3, 1), "overdue"), (D(2026, 3, 2), "due_today"), (D(2026, 3, 3), "due")],
)
def test_due_status(due, status):
    assert due_status(due, D(2026, 3, 2)) == status
