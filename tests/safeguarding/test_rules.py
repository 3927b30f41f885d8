"""Safeguarding rules (domain-rules §5.2), pure."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from comeforward.safeguarding.rules import (
    DEFAULT_DEADLINES,
    ReferralKind,
    ScreenAnswers,
    add_working_days,
    deadlines,
    referral_due,
    referral_required,
    referrals_indicated,
)

K = ReferralKind


@pytest.mark.parametrize("answers", list(itertools.product([False, True], repeat=4)))
def test_referral_required_exactly_when_a_child_may_be_at_risk(answers):
    children, work, immediate, suicide = answers
    screen = ScreenAnswers(children, work, immediate, suicide)
    assert referral_required(screen) is (children or work or immediate)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ((False, False, False, False), ()),
        ((True, False, False, False), (K.CHILDRENS_SOCIAL_CARE,)),
        ((False, True, False, False), (K.LADO,)),
        ((False, False, True, False), (K.CHILDRENS_SOCIAL_CARE, K.STRATEGY_DISCUSSION)),
        ((False, False, False, True), (K.MENTAL_HEALTH,)),
        (
            (True, True, True, True),
            (K.CHILDRENS_SOCIAL_CARE, K.STRATEGY_DISCUSSION, K.LADO, K.MENTAL_HEALTH),
        ),
    ],
)
def test_referrals_indicated(answers, expected):
    assert referrals_indicated(ScreenAnswers(*answers)) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.date(2026, 3, 23), 0, dt.date(2026, 3, 23)),  # Monday, same day
        (dt.date(2026, 3, 28), 0, dt.date(2026, 3, 28)),  # Saturday, same day
        (dt.date(2026, 3, 23), 1, dt.date(2026, 3, 24)),  # Monday → Tuesday
        (dt.date(2026, 3, 27), 1, dt.date(2026, 3, 30)),  # Friday → Monday
        (dt.date(2026, 3, 28), 1, dt.date(2026, 3, 31)),  # Saturday → Tuesday
        (dt.date(2026, 3, 23), 15, dt.date(2026, 4, 13)),  # three weeks
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


def test_bank_holidays_are_skipped():
    # Thursday 2 April 2026 + 1 working day, with Good Friday 3 April off → Monday 6 April.
    assert add_working_days(dt.date(2026, 4, 2), 1, [dt.date(2026, 4, 3)]) == dt.date(2026, 4, 6)


def test_negative_days_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(dt.date(2026, 1, 1), -1)


def test_default_deadlines_are_flagged_for_policy_signoff():
    assert {k: d.working_days for k, d in DEFAULT_DEADLINES.items()} == {
        K.CHILDRENS_SOCIAL_CARE: 0,
        K.STRATEGY_DISCUSSION: 1,
        K.LADO: 1,
        K.MENTAL_HEALTH: 0,
    }
    assert all(d.needs_policy_signoff for d in DEFAULT_DEADLINES.values())


def test_configured_deadline_overrides_and_stays_flagged():
    table = deadlines({"lado": 2})
    assert table[K.LADO].working_days == 2
    assert table[K.LADO].needs_policy_signoff is True
    assert referral_due(K.LADO, dt.date(2026, 3, 23), table=table) == dt.date(2026, 3, 25)


@pytest.mark.parametrize("bad", [-1, "1", True, 1.5])
def test_bad_configured_deadline_refused(bad):
    with pytest.raises(ValueError, match="whole number"):
        deadlines({"lado": bad})


def test_unknown_referral_kind_refused():
    with pytest.raises(ValueError):
        deadlines({"police": 1})
