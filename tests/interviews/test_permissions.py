"""One source of permissions for interviews (issue 19.2; docs/extensions.md): for every role,
the case page's "Record the interview" button is shown exactly when ``interview_actions``
allows it, and the view and the service both refuse when it refuses, writing nothing."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from comeforward.audit.models import AuditEvent
from comeforward.cases.extensions import extension
from comeforward.errors import DomainError
from comeforward.interviews.models import Interview
from comeforward.interviews.services import interview_record
from comeforward.roles import Role

from .test_interviews import world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

ALLOWED = {Role.INVESTIGATOR, Role.SUPERVISOR}


def test_the_rule_by_role(world):  # noqa: F811
    case, users = world
    for role in Role.values:
        (action,) = extension("interviews").allowed_actions(users[role], case)
        assert action.key == "interviews.record"
        assert bool(action) is (role in ALLOWED), role
        assert action.allowed or action.reason


def test_button_view_and_service_agree(world, case_client):  # noqa: F811
    case, users = world
    url = f"/cases/{case.pk}/interviews/new"
    for role in Role.values:
        user = users[role]
        (action,) = extension("interviews").allowed_actions(user, case)
        client = case_client(user, case)
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert (f'href="{url}"' in page) is action.allowed, role
        if action.allowed:
            assert client.get(url).status_code == 200, role
            continue
        before = (AuditEvent.objects.count(), Interview.objects.count())
        with transaction.atomic(), pytest.raises(DomainError) as refused:
            interview_record(
                actor=user,
                case=case,
                held_on=timezone.localdate(),
                officer_ids=[users[Role.INVESTIGATOR].pk],
                admission="none",
                recorded=False,
                recording_reference="",
                offences_admitted=[],
                legal_adviser_present=False,
            )
        assert refused.value.code == "ACTION_NOT_ALLOWED", role
        assert (AuditEvent.objects.count(), Interview.objects.count()) == before, role
        assert client.post(url, {"held_on": "2026-01-01"}).status_code in (403, 404), role
        assert Interview.objects.count() == 0, role
