"""Property-based tests (hypothesis) for invariants of the statute engines."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from comeforward.law import (
    RULESET,
    DeadlinesRequest,
    Disposal,
    DisposalType,
    Matter,
    Notification,
    NotificationType,
    SentenceKind,
    deadlines,
    evaluate,
)
from comeforward.law.dates import (
    DayRange,
    age_on,
    corresponding_date,
    nth_counted_day,
    period_last_day,
)
from comeforward.law.periods import notification_period
from comeforward.law.trace import Trace

from .factories import conviction, make_facts

dates = st.dates(min_value=date(2013, 1, 1), max_value=date(2060, 12, 31))
FAST = settings(max_examples=150, deadline=None)


@st.composite
def disregards(draw):
    ranges = []
    for _ in range(draw(st.integers(0, 3))):
        first = draw(dates)
        ranges.append(DayRange(first, first + timedelta(days=draw(st.integers(0, 40)))))
    return tuple(ranges)


@FAST
@given(start=dates, n=st.integers(1, 10), periods=disregards())
def test_nth_counted_day_counts_exactly_n_days(start, n, periods):
    due = nth_counted_day(start, n, periods)
    counted = [
        start + timedelta(days=i)
        for i in range((due - start).days + 1)
        if not any(start + timedelta(days=i) in p for p in periods)
    ]
    assert len(counted) == n
    assert counted[-1] == due
    assert due >= start + timedelta(days=n - 1)


@FAST
@given(start=dates, years=st.integers(0, 20), months=st.integers(0, 11))
def test_period_last_day_is_day_before_corresponding_date(start, years, months):
    last = period_last_day(start, years=years, months=months).value
    assert last + timedelta(days=1) == corresponding_date(start, years=years, months=months).value
    if years or months:
        assert last >= start


@FAST
@given(
    dob=st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 12, 31)),
    a=st.integers(0, 30000),
    b=st.integers(0, 30000),
)
def test_age_never_decreases(dob, a, b):
    first, second = sorted((a, b))
    assert (
        age_on(dob, dob + timedelta(days=first)).years
        <= age_on(dob, dob + timedelta(days=second)).years
    )


INDEFINITE_SENTENCES = st.sampled_from(
    [
        (SentenceKind.LIFE, None),
        (SentenceKind.IPP, None),
        (SentenceKind.HOSPITAL_ORDER_RESTRICTED, None),
        (SentenceKind.IMPRISONMENT, 30),
        (SentenceKind.IMPRISONMENT, 120),
        (SentenceKind.SUSPENDED_IMPRISONMENT, 30),
        (SentenceKind.DTO, 60),
    ]
)


@FAST
@given(sentence=INDEFINITE_SENTENCES, when=dates)
def test_halving_never_applies_to_indefinite_periods(sentence, when):
    from comeforward.law import Sentence

    disposal = Disposal(DisposalType.CONVICTION, when, Sentence(*sentence))
    young = notification_period(disposal, under_18=True, trace=Trace(RULESET))
    adult = notification_period(disposal, under_18=False, trace=Trace(RULESET))
    assert young.indefinite and adult.indefinite
    assert not young.halved and young.total_months is None


FIXED_SENTENCES = st.sampled_from(
    [
        (SentenceKind.IMPRISONMENT, 1),
        (SentenceKind.IMPRISONMENT, 6),
        (SentenceKind.IMPRISONMENT, 7),
        (SentenceKind.IMPRISONMENT, 29),
        (SentenceKind.DTO, 24),
        (SentenceKind.FINE, None),
        (SentenceKind.COMMUNITY_ORDER, None),
        (SentenceKind.HOSPITAL_ORDER, None),
        (SentenceKind.CONDITIONAL_DISCHARGE, 7),
        (SentenceKind.CONDITIONAL_DISCHARGE, 36),
    ]
)


@FAST
@given(sentence=FIXED_SENTENCES, when=dates)
def test_under_18_period_is_half_or_unchanged_and_never_longer(sentence, when):
    from comeforward.law import Sentence

    disposal = Disposal(DisposalType.CONVICTION, when, Sentence(*sentence))
    young = notification_period(disposal, under_18=True, trace=Trace(RULESET))
    adult = notification_period(disposal, under_18=False, trace=Trace(RULESET))
    if sentence[0] is SentenceKind.CONDITIONAL_DISCHARGE:
        assert young == adult
    else:
        assert young.total_months * 2 == adult.total_months and young.halved


@st.composite
def histories(draw):
    start = draw(st.dates(min_value=date(2013, 1, 1), max_value=date(2030, 1, 1)))
    notes = [Notification(NotificationType.INITIAL, start)]
    day = start
    for _ in range(draw(st.integers(0, 6))):
        day += timedelta(days=draw(st.integers(0, 500)))
        kind = draw(
            st.sampled_from(
                [NotificationType.CHANGE, NotificationType.PERIODIC, NotificationType.NEW_MATTER]
            )
        )
        matters = (
            (draw(st.sampled_from(list(Matter))),)
            if kind in (NotificationType.CHANGE, NotificationType.NEW_MATTER)
            else ()
        )
        notes.append(Notification(kind, day, matters))
    return start, tuple(notes), day


@FAST
@given(history=histories(), gap=st.integers(0, 400), nfa=st.booleans(), periods=disregards())
def test_a_later_change_never_makes_the_periodic_deadline_earlier(history, gap, nfa, periods):
    start, notes, last = history
    as_of = last + timedelta(days=gap + 1)
    base = DeadlinesRequest(
        relevant_date=start,
        last_day=None,
        as_of=as_of,
        no_fixed_abode=nfa,
        notifications=notes,
        disregarded_periods=periods,
    )
    change = Notification(
        NotificationType.CHANGE, last + timedelta(days=gap), (Matter.HOME_ADDRESS,)
    )
    # A notification is made in person at a police station, so it cannot fall on a day the
    # person spent wholly in custody, in hospital or abroad (a disregarded day). Without this,
    # s.85(3)-(4) legitimately gives an earlier date: the old due day fell in custody and was
    # extended, the new one does not.
    assume(not any(p.first <= n.date <= p.last for p in periods for n in (*notes, change)))
    before = deadlines(base).next_periodic_due
    after = deadlines(
        DeadlinesRequest(
            relevant_date=start,
            last_day=None,
            as_of=as_of,
            no_fixed_abode=nfa,
            notifications=(*notes, change),
            disregarded_periods=periods,
        )
    ).next_periodic_due
    assert before is not None and after is not None
    assert after >= before


@FAST
@given(
    age=st.integers(0, 17),
    older=st.integers(16, 40),
    kind=st.sampled_from(list(DisposalType)),
    dob=st.sampled_from([date(1980, 5, 1), date(2008, 1, 1)]),
    months=st.sampled_from([None, 6, 12]),
)
def test_unknown_depicted_age_undecided_only_when_it_matters(age, older, kind, dob, months):
    facts = {"disposal_type": kind, "offender_dob": dob}
    if kind is DisposalType.CONVICTION:
        facts["sentence"] = (
            (SentenceKind.FINE, None) if months is None else (SentenceKind.IMPRISONMENT, months)
        )
    known_young = evaluate(make_facts(youngest_depicted_age=min(age, 15), **facts)).notifiable
    known_old = evaluate(make_facts(youngest_depicted_age=older, **facts)).notifiable
    unknown = evaluate(make_facts(youngest_depicted_age=None, **facts))
    assert known_old is False
    if known_young:
        assert unknown.notifiable is None and unknown.missing == ("youngest_depicted_age",)
    else:
        assert unknown.notifiable is False


@FAST
@given(
    dob=st.dates(min_value=date(1950, 1, 1), max_value=date(2010, 1, 1)),
    offence_gap=st.integers(0, 20000),
    disposal_gap=st.integers(0, 2000),
    depicted=st.one_of(st.none(), st.integers(0, 17)),
    sentence=st.one_of(FIXED_SENTENCES, INDEFINITE_SENTENCES),
)
def test_evaluate_is_total_over_consistent_convictions(
    dob, offence_gap, disposal_gap, depicted, sentence
):
    offence = dob + timedelta(days=offence_gap)
    facts = conviction(
        *sentence,
        offender_dob=dob,
        offence_date=offence,
        disposal_date=offence + timedelta(days=disposal_gap),
        youngest_depicted_age=depicted,
    )
    data = evaluate(facts).as_json()
    assert data["notifiable"] in (True, False, None)
    if data["notifiable"]:
        assert data["initial_notification_due"] is not None
        assert (data["last_day"] is None) == data["period"]["indefinite"]
