"""Schemathesis against the running API (issue 18.5): every operation of the published
OpenAPI 3.1 schema, generated valid and invalid input, all of schemathesis's default checks —
zero server errors (5xx) and zero schema violations (status codes, content types, headers and
bodies as documented).

The application is the real WSGI application (all middleware) called in-process, over the
test database seeded with a case, a register record and an exhibit of the client's force. Two
clients call it: a force supervisor with every scope but ``audit:read``, and an administrator
(the data protection officer's stand-in) for the audit operations. Runs in CI's SQLite and
PostgreSQL steps like any other test.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from comeforward.api.scopes import SCOPES
from comeforward.cases.domain.states import CaseState
from comeforward.exhibits.services import exhibit_record
from comeforward.roles import Role

from ..factories import CaseFactory
from ..register.conftest import open_record

EXAMPLES = int(os.environ.get("API_SCHEMA_EXAMPLES", "25"))


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes database connections when a request finishes (Django's test
    Client switches that off too): keep the test's transaction open across calls."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db, make_client, make_user, police_force, settings):
    settings.API_RATE_LIMIT = "1000000/60"
    case = CaseFactory(owning_organisation=police_force, state=CaseState.CAUTIONED)
    open_record(case, dt.date.today() - dt.timedelta(days=2))
    exhibit_record(
        actor=make_user(Role.INVESTIGATOR),
        case=case,
        reference="JS/1",
        kind="phone",
        description="Black phone",
        storage_location="Property store",
    )
    _c, force = make_client(Role.SUPERVISOR, scopes=[s for s in SCOPES if s != "audit:read"])
    _a, dpo = make_client(Role.ADMINISTRATOR, scopes=["audit:read"], name="DPO")
    return {"force": force, "dpo": dpo}


#: Schema-valid input that a domain rule refuses (a cursor the API never gave out, a
#: notification the statute does not allow, a people lookup with no criterion) answers 422 with
#: its stable code: such rules cannot be written in JSON Schema, so 422 is an accepted answer
#: to "positive" data. Everything else is schemathesis's defaults.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
            }
        }
    }
)

#: Loaded once, through the application itself (the schema is public and reads no data).
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every CI run (API_SCHEMA_EXAMPLES=N to explore)
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case, tokens):
    path = case.operation.path
    token = tokens["dpo"] if "/audit" in path else tokens["force"]
    meta = getattr(case, "meta", None)
    if meta is not None and meta.is_negative_at(ParameterLocation.HEADER):
        # The generated headers are wrong on purpose (e.g. the token left out): send them as
        # generated — adding a valid token would repair the request and the API would rightly
        # accept it, which schemathesis then reports as "invalid data accepted".
        case.call_and_validate()
    else:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
