"""One source of permissions for the register (issue 19.2; docs/extensions.md): the case
page's "Enter…" and "Open the register record" links are exactly what
``register_actions`` allows, and ``register_record_enter`` refuses what it refuses."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.cases.extensions import extension
from comeforward.cases.services import case_team_add
from comeforward.errors import DomainError
from comeforward.register import services
from comeforward.register.domain import RecordFacts
from comeforward.register.models import RegisterRecord
from comeforward.roles import Role

from ..cases.helpers import client_with_reason
from .conftest import cautioned_case, open_record

pytestmark = pytest.mark.django_db

FACTS = RecordFacts(
    offence="PCA1978_S1",
    offence_date=dt.date(2023, 6, 1),
    offender_dob=dt.date(1975, 2, 2),
    youngest_depicted_age=12,
    disposal_type="caution",
    relevant_date=dt.date(2025, 3, 1),
)


@pytest.mark.parametrize("with_record", [False, True])
def test_links_are_the_allowed_actions_and_the_service_refuses_the_rest(
    with_record, make_user, sign_in, police_force
):
    case = cautioned_case(police_force)
    if with_record:
        open_record(case, dt.date(2025, 3, 1))
    register = extension("register")
    for role in (Role.SUPERVISOR, Role.OFFENDER_MANAGER, Role.INVESTIGATOR):
        user = make_user(role)
        if role != Role.SUPERVISOR:
            case_team_add(actor=None, case=case, user=user)
        actions = {a.key: a for a in register.allowed_actions(user, case)}
        assert set(actions) == {"register.enter", "register.open"}
        page = client_with_reason(sign_in, user, case).get(f"/cases/{case.pk}/").content.decode()
        assert (f'href="/cases/{case.pk}/register/enter"' in page) is actions[
            "register.enter"
        ].allowed, role
        record = RegisterRecord.objects.filter(case=case).first()
        if record is not None:
            assert (f'href="/register/{record.pk}/"' in page) is actions["register.open"].allowed, (
                role
            )
        count = RegisterRecord.objects.count()
        if not actions["register.enter"].allowed:
            with pytest.raises(DomainError) as refused:
                services.register_record_enter(actor=user, case=case, facts=FACTS)
            assert refused.value.code in ("ACTION_NOT_ALLOWED", "REGISTER_RECORD_EXISTS")
            assert RegisterRecord.objects.count() == count
    # with no record, the managers are offered to enter one; an investigator is not
    if not with_record:
        manager = make_user(Role.OFFENDER_MANAGER)
        case_team_add(actor=None, case=case, user=manager)
        assert extension("register").allowed_actions(manager, case)[0].allowed
