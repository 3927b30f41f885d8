"""Errors and limits (issue 18.3): RFC 9457 problem details with the stable codes, request
size limits, per-client rate limits and Idempotency-Key on creates."""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from comeforward.api.models import IdempotentResponse
from comeforward.cases.models import Case
from comeforward.roles import Role

pytestmark = pytest.mark.django_db

CREATE = "/api/v1/cases"


def _post(client, body, **headers):
    return client.post(CREATE, json.dumps(body), content_type="application/json", headers=headers)


def test_invalid_input_is_a_problem_with_the_stable_code(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:create"])
    response = _post(api(token), {"family_name": "Smith", "date_of_birth": "2999-01-01"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:comeforward:error:INVALID_INPUT"
    assert problem["code"] == "INVALID_INPUT" and problem["status"] == 422
    assert problem["details"]["errors"][0]["loc"][-1] == "date_of_birth"
    assert Case.objects.count() == 0


def test_malformed_json_is_a_problem(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:create"])
    response = api(token).post(CREATE, "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"


def test_a_domain_refusal_keeps_its_code(make_client, api):
    _c, token = make_client(Role.OFFENDER_MANAGER, scopes=["cases:create"])
    response = _post(api(token), {"family_name": "Smith"})
    assert (response.status_code, response.json()["code"]) == (403, "ROLE_NOT_PERMITTED")


def test_an_unknown_record_is_not_found(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    response = api(token).get("/api/v1/cases/999999")
    assert (response.status_code, response.json()["code"]) == (404, "NOT_FOUND")


def test_a_bad_cursor_is_refused(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    response = api(token).get("/api/v1/cases?cursor=bm9wZQ")
    assert (response.status_code, response.json()["code"]) == (422, "CURSOR_INVALID")


def test_a_body_over_the_limit_is_refused_before_it_is_read(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:create"])
    response = _post(api(token), {"family_name": "S" * 70_000})
    assert (response.status_code, response.json()["code"]) == (413, "REQUEST_TOO_LARGE")
    assert response.json()["details"]["max_bytes"] == 64 * 1024
    assert Case.objects.count() == 0


def test_each_client_is_rate_limited(make_client, api, settings):
    settings.API_RATE_LIMIT = "3/60"
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    _c2, other = make_client(Role.SUPERVISOR, scopes=["cases:read"], name="Other")
    statuses = [api(token).get("/api/v1/cases").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = api(token).get("/api/v1/cases")
    assert refused.json()["code"] == "RATE_LIMITED"
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert refused["RateLimit-Limit"] == "3" and refused["RateLimit-Remaining"] == "0"
    assert api(other).get("/api/v1/cases").status_code == 200  # counted per client


def test_responses_are_not_cached(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    assert api(token).get("/api/v1/cases")["Cache-Control"].startswith("no-store")


def test_a_retried_create_with_the_same_key_opens_one_case(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:create"])
    body = {"given_names": "Jo", "family_name": "Smith"}
    first = _post(api(token), body, **{"Idempotency-Key": "abc-1"})
    again = _post(api(token), body, **{"Idempotency-Key": "abc-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Case.objects.count() == 1
    other = _post(api(token), body, **{"Idempotency-Key": "abc-2"})
    assert other.json()["reference"] != first.json()["reference"]


def test_the_same_key_with_another_request_is_refused(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:create"])
    _post(api(token), {"family_name": "Smith"}, **{"Idempotency-Key": "k"})
    response = _post(api(token), {"family_name": "Jones"}, **{"Idempotency-Key": "k"})
    assert (response.status_code, response.json()["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")
    assert Case.objects.count() == 1


def test_keys_belong_to_one_client(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:create"])
    _c2, other = make_client(Role.SUPERVISOR, scopes=["cases:create"], name="Other")
    body = {"family_name": "Smith"}
    _post(api(token), body, **{"Idempotency-Key": "shared"})
    _post(api(other), body, **{"Idempotency-Key": "shared"})
    assert Case.objects.count() == 2


def test_a_failed_create_stores_nothing(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:create"])
    response = _post(api(token), {"person_id": 424242}, **{"Idempotency-Key": "f"})
    assert response.status_code == 404
    assert IdempotentResponse.objects.count() == 0 and Case.objects.count() == 0


def test_an_unprintable_key_is_refused(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:create"])
    response = _post(api(token), {"family_name": "S"}, **{"Idempotency-Key": "x" * 201})
    assert response.json()["code"] == "IDEMPOTENCY_KEY_INVALID"


def test_an_unknown_query_parameter_is_refused(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    response = api(token).get("/api/v1/cases?sate=cautioned")
    assert (response.status_code, response.json()["code"]) == (422, "UNKNOWN_PARAMETER")
    assert response.json()["details"]["unknown"] == ["sate"]


def test_dates_must_be_iso_8601_text(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    assert api(token).get("/api/v1/cases?changed_since=0.5").status_code == 422
    assert api(token).get("/api/v1/cases?changed_since=2026-01-02T03:04:05Z").status_code == 200


def test_anything_else_under_the_api_is_a_problem(api):
    response = api(None).get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert api(None).get("/api/v1/cases/not-a-number").status_code == 401


def test_creates_need_no_csrf_token_only_the_bearer_token(make_client):
    from django.test import Client

    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:create"])
    strict = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token}"})
    response = strict.post(
        CREATE, json.dumps({"family_name": "Smith"}), content_type="application/json"
    )
    assert response.status_code == 201


def test_control_characters_never_reach_a_record(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:create", "cases:read"])
    response = _post(api(token), {"family_name": "Smi\x00th\u202e"})
    assert response.status_code == 201
    assert response.json()["person"]["family_name"] == "Smith"
    export = api(token).get("/api/v1/exports/cases?purpose=%00%00%00%00%00%00x")
    assert (export.status_code, export.json()["code"]) == (422, "PURPOSE_REQUIRED")


def test_times_out_of_range_are_refused(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    old = api(token).get("/api/v1/cases?changed_since=1641-05-14T00:39:35%2B19:20")
    assert old.status_code == 422
    odd_offset = api(token).get("/api/v1/cases?changed_since=2026-05-14T00:39:35%2B19:20")
    assert odd_offset.status_code == 200


def test_unknown_body_fields_are_refused(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:create"])
    response = _post(api(token), {"family_name": "Smith", "famly_name": "Smyth"})
    assert (response.status_code, response.json()["code"]) == (422, "INVALID_INPUT")
    assert Case.objects.count() == 0


def test_a_single_valued_parameter_given_twice_is_refused(make_client, api):
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    assert api(token).get("/api/v1/cases?limit=5&limit=6").status_code == 422
    assert api(token).get("/api/v1/cases?state=referred&state=closed").status_code == 200


def test_the_rate_counter_starts_again_in_each_window(make_client, api, settings, monkeypatch):
    from comeforward.api import security

    settings.API_RATE_LIMIT = "2/60"
    _c, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    monkeypatch.setattr(security.time, "time", lambda: 6000.0)  # window 100
    assert [api(token).get("/api/v1/cases").status_code for _ in range(3)] == [200, 200, 429]
    monkeypatch.setattr(security.time, "time", lambda: 6060.0)  # window 101
    again = api(token).get("/api/v1/cases")
    assert again.status_code == 200 and again["RateLimit-Remaining"] == "1"


#: Every app but ``audit``: a committing test's tables are flushed afterwards, and the audit
#: table's triggers refuse that (append-only); this test writes no audit records.
NOT_AUDIT = [
    app.split(".apps.")[0] for app in settings.INSTALLED_APPS if app != "comeforward.audit"
]


@pytest.mark.django_db(transaction=True, available_apps=NOT_AUDIT)
def test_the_rate_counter_commits_on_its_own_outside_a_transaction(
    make_client, api, settings, monkeypatch
):
    """Outside a test transaction the counter commits by itself (on PostgreSQL without waiting
    for the WAL flush): each call still sees the count of every call before it."""
    from comeforward.api import services as api_services
    from comeforward.api.models import ApiRateCounter

    monkeypatch.setattr(api_services, "audit_record", lambda **_: None)
    settings.API_RATE_LIMIT = "5/60"
    client, token = make_client(Role.SUPERVISOR, scopes=["cases:read"])
    remaining = [api(token).get("/api/v1/cases")["RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["4", "3", "2"]
    assert ApiRateCounter.objects.get(client=client).count == 3
