"""Every operation of the API requires a client token carrying the operation's scope.

The operations are found by walking the API's routers — not listed by hand — so a new
endpoint cannot escape: without a token it must answer 401, with a token lacking its scope
403 ``SCOPE_REQUIRED`` naming that scope, and with the scope it must get past both checks.
The walk is checked against the published OpenAPI schema, so nothing is routed undocumented.
"""

from __future__ import annotations

import re

import pytest

from comeforward.api.api import api
from comeforward.api.scopes import SCOPES
from comeforward.api.security import ClientToken
from comeforward.roles import Role

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1"


def _join(*parts: str) -> str:
    path = "/".join(p.strip("/") for p in parts if p.strip("/"))
    return "/" + path


def operations() -> list[tuple[str, str, object]]:
    """``(METHOD, path template, operation)`` for every operation of every router."""
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found.append((method, _join(PREFIX, prefix, path), operation))
    return found


def _url(template: str) -> str:
    return re.sub(r"\{(?:\w+:)?\w+\}", "1", template)


def _schema_template(template: str) -> str:
    return re.sub(r"\{\w+:(\w+)\}", r"{\1}", template)


OPERATIONS = operations()
IDS = [f"{method} {path}" for method, path, _ in OPERATIONS]


def _call(client, method: str, url: str):
    return getattr(client, method.lower())(url)


def test_the_walk_finds_every_documented_operation(api):
    schema = api(None).get(f"{PREFIX}/openapi.json").json()
    documented = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    walked = {(method, _schema_template(path)) for method, path, _ in OPERATIONS}
    assert walked == documented
    assert len(OPERATIONS) >= 18


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_operation_declares_one_known_scope(method, path, operation):
    tokens = [a for a in operation.auth_callbacks if isinstance(a, ClientToken)]
    assert len(tokens) == 1 and len(operation.auth_callbacks) == 1
    assert tokens[0].scope in SCOPES


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_operation_refuses_a_call_without_a_token(method, path, operation, api):
    response = _call(api(None), method, _url(path))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "TOKEN_MISSING"


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_operation_refuses_a_token_without_its_scope(
    method, path, operation, api, make_client
):
    scope = operation.auth_callbacks[0].scope
    others = [s for s in SCOPES if s != scope]
    _client, token = make_client(Role.ADMINISTRATOR, scopes=others)
    response = _call(api(token), method, _url(path))
    assert response.status_code == 403
    assert response.json()["code"] == "SCOPE_REQUIRED"
    assert response.json()["details"]["scope"] == scope


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_operation_admits_a_token_with_its_scope(method, path, operation, api, make_client):
    scope = operation.auth_callbacks[0].scope
    _client, token = make_client(Role.ADMINISTRATOR, scopes=[scope])
    response = _call(api(token), method, _url(path))
    if response["Content-Type"] == "application/problem+json":
        assert response.json()["code"] not in {"TOKEN_MISSING", "TOKEN_INVALID", "SCOPE_REQUIRED"}
    assert response.status_code != 401
