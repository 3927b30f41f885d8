from __future__ import annotations

import pytest

from comeforward.accounts.services import (
    RoleNotAllowedForOrganisation,
    UserAlreadyExists,
    user_create,
)
from comeforward.audit.models import AuditEvent
from comeforward.roles import OrganisationType, Role

from ..factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_user_create_writes_a_collect_record(police_force):
    user = user_create(
        actor=None,
        email=" New.Officer@Test.Example ",
        full_name="New Officer",
        organisation=police_force,
        role=Role.INTAKE_OFFICER,
        password="a long passphrase 1",
    )
    assert user.email == "new.officer@test.example"
    event = AuditEvent.objects.get()
    assert (event.operation, event.subject_type, event.subject_id) == (
        "collect",
        "user",
        str(user.pk),
    )
    assert event.details == {"role": "intake_officer", "organisation": "testshire-police"}


def test_police_users_cannot_be_independent_assessors(police_force):
    with pytest.raises(RoleNotAllowedForOrganisation) as error:
        user_create(
            actor=None,
            email="a@test.example",
            full_name="A",
            organisation=police_force,
            role=Role.INDEPENDENT_ASSESSOR,
            password=None,
        )
    assert error.value.code == "ROLE_NOT_ALLOWED_FOR_ORGANISATION"
    assert AuditEvent.objects.count() == 0


def test_assessment_service_can_employ_assessors():
    service = OrganisationFactory(kind=OrganisationType.ASSESSMENT_SERVICE)
    user = user_create(
        actor=None,
        email="b@test.example",
        full_name="B",
        organisation=service,
        role=Role.INDEPENDENT_ASSESSOR,
        password=None,
    )
    assert user.role == Role.INDEPENDENT_ASSESSOR


def test_duplicate_email_is_refused(police_force):
    kwargs = dict(
        actor=None,
        full_name="C",
        organisation=police_force,
        role=Role.INVESTIGATOR,
        password=None,
    )
    user_create(email="c@test.example", **kwargs)
    with pytest.raises(UserAlreadyExists):
        user_create(email="C@test.example", **kwargs)


def test_no_accounts_exist_without_the_demo(django_db_blocker):
    from comeforward.accounts.models import User

    assert User.objects.count() == 0
