from __future__ import annotations

import pytest

from comeforward.leads.services import leads_team_add
from comeforward.roles import Role


@pytest.fixture
def leads_team(make_user):
    """A force's leads team: two members and two named supervisors."""
    analyst = make_user(Role.INVESTIGATOR, full_name="Lee Leads")
    second = make_user(Role.INTAKE_OFFICER, full_name="Ina Intake")
    boss = make_user(Role.SUPERVISOR, full_name="Sue Pervisor")
    boss2 = make_user(Role.SUPERVISOR, full_name="Sam Second")
    for user in (analyst, second):
        leads_team_add(actor=None, user=user, kind="member")
    for user in (boss, boss2):
        leads_team_add(actor=None, user=user, kind="supervisor")
    return {"member": analyst, "member2": second, "supervisor": boss, "supervisor2": boss2}
