"""Search by a device's serial number (issue 20.7): the cases search finds the case holding
an exhibit with that serial number, in any letter case, only for users who may see it."""

from __future__ import annotations

import pytest

from comeforward.cases import selectors
from comeforward.exhibits.selectors import case_ids_for_exhibit_reference
from comeforward.exhibits.services import exhibit_record
from comeforward.roles import Role

from ..factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_a_case_is_found_by_an_exhibits_serial_number(make_user, sign_in, police_force):
    supervisor = make_user(Role.SUPERVISOR)
    outsider = make_user(Role.INVESTIGATOR)
    case = CaseFactory(owning_organisation=police_force)
    other = CaseFactory(owning_organisation=police_force)
    exhibit_record(
        actor=make_user(Role.INVESTIGATOR),  # exhibits are recorded by investigators
        case=case,
        reference="NP-EX-0101",
        kind="laptop",
        description="Grey laptop",
        serial_number="C02xk1ABjg5H",
        storage_location="Store 1",
    )
    exhibit_record(
        actor=make_user(Role.INVESTIGATOR),  # exhibits are recorded by investigators
        case=other,
        reference="NP-EX-0102",
        kind="phone",
        description="Phone",
        serial_number="",
        storage_location="Store 1",
    )
    assert case_ids_for_exhibit_reference(supervisor, "C02XK1ABJG5H") == [case.pk]
    assert case_ids_for_exhibit_reference(supervisor, " c02xk1abjg5h ") == [case.pk]
    assert case_ids_for_exhibit_reference(supervisor, "C02XK1ABJG5") == []  # whole number only
    assert case_ids_for_exhibit_reference(outsider, "C02XK1ABJG5H") == []
    assert [c.pk for c in selectors.case_search(supervisor, query="c02xk1abjg5h")] == [case.pk]
    html = sign_in(supervisor).get("/cases/search", {"q": "C02XK1ABJG5H"}).content.decode()
    assert case.reference in html and other.reference not in html
