"""``comeforward seed``: synthetic people, cases, tasks and team memberships in batches."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from comeforward.audit.models import AuditEvent
from comeforward.cases.domain.states import CaseState
from comeforward.cases.models import Case, CaseTask
from comeforward.demo.seed import SeedNotAllowed, seed
from comeforward.people.domain.matching import search_name_for, soundex
from comeforward.people.models import Person

pytestmark = pytest.mark.django_db


def test_seed_writes_consistent_rows_and_one_audit_record(capsys):
    call_command("seed", people=300, cases=120, batch=50)
    result = json.loads(capsys.readouterr().out)
    assert (result["people"], result["cases"]) == (300, 120)
    assert Person.objects.filter(family_name__isnull=False).count() == 300
    person = Person.objects.order_by("?").first()
    assert person.search_name == search_name_for(person.given_names, person.family_name)
    assert person.family_soundex == soundex(person.family_name)
    assert sorted(person.name_words.values_list("word", flat=True)) == sorted(
        set(person.search_name.split())
    )
    cases = Case.objects.all()
    assert cases.count() == 120
    assert {c.reference[:8] for c in cases} == {"CF-2019-"}
    assert len({c.person_id for c in cases}) == 120
    tasks = CaseTask.objects.count()
    assert tasks == result["tasks"]
    assert (
        tasks
        == CaseTask.objects.filter(
            case__state__in=[
                CaseState.REFERRED,
                CaseState.SAFEGUARDING_SCREEN,
                CaseState.DEVICES_RECEIVED,
                CaseState.FORENSIC_REVIEW,
                CaseState.INTERVIEW,
                CaseState.ASSESSMENT,
                CaseState.DECISION,
                CaseState.CAUTIONED,
            ]
        ).count()
    )
    event = AuditEvent.objects.get(scope="demo.seed")
    assert event.details["synthetic"] is True and event.details["cases"] == 120
    seed(people=10, cases=10, batch=3)
    assert Case.objects.order_by("-reference").first().reference == "CF-2019-000130"


def test_more_cases_than_people_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("seed", people=1, cases=2)
    assert exit_.value.code == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "SEED_NOT_ALLOWED"
    assert error["details"] == {"people": 1, "cases": 2}


def test_seed_is_refused_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    settings.TESTING = False
    with pytest.raises(SeedNotAllowed):
        seed(people=1, cases=1)
