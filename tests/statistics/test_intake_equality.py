"""Equality monitoring at intake (issue 14.5): once the case is opened, the intake journey
offers the optional questions — never mandatory, "prefer not to say" offered, skippable — and
the answers are stored as on the case page (encrypted, audited without the values)."""

from __future__ import annotations

import pytest
from django.db import connection

from comeforward.audit.access import remember_reason
from comeforward.audit.models import AuditEvent
from comeforward.cases.models import Case
from comeforward.roles import Role
from comeforward.statistics.models import EqualityMonitoring

pytestmark = pytest.mark.django_db


def _reason(client, case):
    """Answer the reason-for-access step of the case page (audited consultation)."""
    session = client.session

    class _Request:
        pass

    request = _Request()
    request.session = session
    remember_reason(request, "case", case.pk, "Working on this case")
    session.save()


def test_intake_goes_on_to_the_optional_questions_and_stores_them_encrypted(make_user, sign_in):
    officer = make_user(Role.INTAKE_OFFICER)
    client = sign_in(officer)
    response = client.post("/cases/intake", {"family_name": "Newperson", "route": "self_referral"})
    case = Case.objects.get()
    step = f"/cases/{case.pk}/statistics/equality?from=intake"
    assert response["Location"] == step
    _reason(client, case)
    page = client.get(step).content.decode()
    assert "Equality monitoring questions (optional)" in page
    assert "Prefer not to say" in page and "Skip these questions" in page
    assert 'data-testid="skip"' in page
    # Nothing is required: saving with no answer is accepted and records nothing answered.
    saved = client.post(step, {"sex": "", "ethnicity": "", "disability": "prefer_not_to_say"})
    assert saved.status_code == 302 and saved["Location"] == f"/cases/{case.pk}/"
    record = EqualityMonitoring.objects.get(person=case.person)
    assert (record.sex, record.ethnicity, record.disability) == ("", "", "prefer_not_to_say")
    with connection.cursor() as cursor:  # encrypted at rest, as on the case page
        cursor.execute(
            "SELECT disability FROM statistics_equalitymonitoring WHERE id = %s", [record.pk]
        )
        assert cursor.fetchone()[0] != "prefer_not_to_say"
    audit = AuditEvent.objects.get(scope="statistics.equality_monitoring", operation="collect")
    assert audit.details == {"recorded": ["disability"], "new": True}
    # Another new person: asked again (the questions are per person).
    again = client.post(
        "/cases/intake",
        {"family_name": "Other", "route": "self_referral"},
    )
    other = Case.objects.exclude(pk=case.pk).get()
    assert again["Location"] == f"/cases/{other.pk}/statistics/equality?from=intake"


def test_roles_that_may_not_record_the_answers_go_straight_to_the_case(make_user, sign_in):
    from comeforward.cases.extensions import intake_next_step
    from tests.factories import CaseFactory

    case = CaseFactory(owning_organisation=make_user(Role.SUPERVISOR).organisation)
    assert intake_next_step(make_user(Role.SUPERVISOR), case) is not None
    assert intake_next_step(make_user(Role.ANALYST), case) is None
    EqualityMonitoring.objects.create(person=case.person, sex="male")
    assert intake_next_step(make_user(Role.SUPERVISOR), case) is None
