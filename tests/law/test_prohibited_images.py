"""Prohibited images of children (Coroners and Justice Act 2009 s.62; SOA 2003 Sch 3 para 35A,
domain-rules.md §1.2, issue 12.6): a known offence, notifiable when the offender was 18 or over
at the offence or was sentenced to imprisonment for at least 2 years. The para 35A conditions
are [M]: configuration awaiting legal sign-off, reported in ``assumptions``."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from comeforward.law import Offence, SentenceKind, evaluate
from comeforward.law.cli import main
from comeforward.law.errors import InconsistentFacts
from comeforward.law.ruleset import RULESET

from .factories import conviction, evaluate_json, make_facts

S62 = Offence.CJA2009_S62

#: (offender_dob, disposal, sentence, youngest_depicted_age, expected notifiable, period years)
VECTORS = [
    # adult caution: notifiable for 2 years, whatever the depicted age (even unknown or 17)
    ("1980-05-01", "simple_caution", None, 12, True, 2),
    ("1980-05-01", "conditional_caution", None, None, True, 2),
    ("1980-05-01", "simple_caution", None, 17, True, 2),
    # offender 17 at the offence: a caution is not notifiable
    ("2007-06-01", "youth_caution", None, 10, False, None),
    # offender 17, imprisonment 24 months: notifiable (para 35A second limb), 10 years halved
    # to 5 (under 18 on the relevant date, s.82(2)); 23 months: not notifiable
    ("2007-06-01", "conviction", {"kind": "imprisonment", "months": 24}, 10, True, 5),
    ("2007-06-01", "conviction", {"kind": "imprisonment", "months": 23}, 10, False, None),
    # adult conviction with a fine: notifiable (5 years)
    ("1980-05-01", "conviction", {"kind": "fine"}, None, True, 5),
]


def run(doc) -> tuple[int, dict]:
    out = io.StringIO()
    code = main(["evaluate"], stdin=io.StringIO(json.dumps(doc)), stdout=out)
    return code, json.loads(out.getvalue())


@pytest.mark.parametrize(("dob", "kind", "sentence", "depicted", "notifiable", "years"), VECTORS)
def test_vectors_through_the_law_cli(dob, kind, sentence, depicted, notifiable, years):
    code, data = run(
        evaluate_json(
            offence="CJA2009_S62",
            offender_dob=dob,
            youngest_depicted_age=depicted,
            disposal={"type": kind, "date": "2025-03-12", "sentence": sentence},
        )
    )
    assert code == 0, data
    assert data["notifiable"] is notifiable
    assert "SCH3_PARA_35A_PROHIBITED_IMAGES" in data["reasons"]
    assert "SCH3_IMAGES_UNDER_16" not in data["reasons"]
    if notifiable:
        assert data["period"]["years"] == years
    else:
        assert data["period"] is None
    pending = {a["key"] for a in data["assumptions"]}
    assert "prohibited_images_offender_min_age" in pending


def test_adult_caution_worked_example():
    ob = evaluate(make_facts(offence=S62, youngest_depicted_age=None))
    data = ob.as_json()
    assert data["notifiable"] is True
    assert data["reasons"] == [
        "S80_1_D_CAUTIONED",
        "SCH3_PARA_35A_PROHIBITED_IMAGES",
        "SCH3_B_OFFENDER_18_OR_OVER",
        "SCH3_CONDITIONS_MET",
        "S82_CAUTIONED",
    ]
    assert data["last_day"] == "2027-03-11"
    assert data["initial_notification_due"] == "2025-03-14"
    assert [a["key"] for a in data["assumptions"]] == ["prohibited_images_offender_min_age"]
    assert data["assumptions"][0]["needs_legal_signoff"] is True


def test_sentence_limb_uses_the_two_year_threshold():
    facts = conviction(
        SentenceKind.IMPRISONMENT,
        18,
        offence=S62,
        offender_dob=date(2008, 1, 1),
        offence_date=date(2025, 1, 10),
    )
    ob = evaluate(facts)
    assert ob.notifiable is False
    keys = [a["key"] for a in ob.trace.assumptions_json()]
    assert "prohibited_images_min_custodial_months" in keys
    # The same sentence for a photograph offence (12-month threshold) is notifiable.
    photo = conviction(
        SentenceKind.IMPRISONMENT,
        18,
        offence=Offence.PCA1978_S1,
        offender_dob=date(2008, 1, 1),
        offence_date=date(2025, 1, 10),
    )
    assert evaluate(photo).notifiable is True


def test_offence_before_commencement_is_refused():
    with pytest.raises(InconsistentFacts) as caught:
        evaluate(
            make_facts(offence=S62, offence_date=date(2010, 4, 5), disposal_date=date(2011, 1, 1))
        )
    assert caught.value.details["commencement"] == "2010-04-06"
    evaluate(make_facts(offence=S62, offence_date=date(2010, 4, 6), disposal_date=date(2011, 1, 1)))


def test_para_35a_settings_await_legal_signoff():
    pending = RULESET.pending_signoff()
    for key in (
        "prohibited_images_commencement",
        "prohibited_images_offender_min_age",
        "prohibited_images_min_custodial_months",
    ):
        assert key in pending
    assert RULESET.prohibited_images_min_custodial_months.value == 24


def test_not_unknown_offence_on_the_cli():
    code, data = run(evaluate_json(offence="CJA2009_S62"))
    assert code == 0
    assert data["notifiable"] is True
