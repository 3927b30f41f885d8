"""Lists are rendered without re-validating each row through pydantic (``calls.respond``):
every such response must still be exactly what its declared schema would produce (issue 18.6).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from ninja.responses import NinjaJSONEncoder

from comeforward.api.schemas import (
    AuditPage,
    CasePage,
    ExhibitList,
    PersonList,
    RegisterPage,
    TaskList,
)
from comeforward.cases.models import CaseTask
from comeforward.cases.services import case_open
from comeforward.exhibits.services import exhibit_record
from comeforward.roles import Role

from ..factories import PersonFactory
from ..register.conftest import open_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(police_force, make_user):
    cases = []
    for n in range(3):
        person = PersonFactory(family_name="Family", date_of_birth=dt.date(1980, 1, 1 + n))
        case = case_open(actor=None, person=person, owning_organisation=police_force)
        open_record(case, dt.date.today() - dt.timedelta(days=1))
        cases.append(case)
    CaseTask.objects.create(
        case=cases[0],
        kind="review",
        label="Review",
        assigned_role=Role.SUPERVISOR,
        due=dt.date.today(),
    )
    exhibit_record(
        actor=make_user(Role.INVESTIGATOR),
        case=cases[0],
        reference="JS/1",
        kind="phone",
        description="Black phone",
        storage_location="Property store",
    )
    return cases


@pytest.mark.parametrize(
    ("role", "url", "schema"),
    [
        (Role.SUPERVISOR, "/api/v1/cases?limit=2", CasePage),
        (Role.SUPERVISOR, "/api/v1/tasks", TaskList),
        (Role.SUPERVISOR, "/api/v1/people?name=Family", PersonList),
        (Role.SUPERVISOR, "/api/v1/cases/{case}/exhibits", ExhibitList),
        (Role.SUPERVISOR, "/api/v1/register/records?limit=2", RegisterPage),
        (Role.ADMINISTRATOR, "/api/v1/audit/events?limit=5", AuditPage),
    ],
)
def test_a_list_renders_exactly_as_its_schema_would(make_client, api, seeded, role, url, schema):
    scopes = ["audit:read"] if role == Role.ADMINISTRATOR else None
    _c, token = make_client(role, **({"scopes": scopes} if scopes else {}))
    response = api(token).get(url.format(case=seeded[0].pk))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["items"], "the list must have rows for the comparison to mean anything"
    # What the validating path renders: each row through the schema, then the API's renderer.
    validated = json.loads(
        json.dumps(schema.model_validate(body).model_dump(), cls=NinjaJSONEncoder)
    )
    assert body == validated
    assert response["Cache-Control"].startswith("no-store")
    assert response["RateLimit-Limit"]
