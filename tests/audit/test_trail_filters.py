"""The audit trail page: the administrator's own organisation only, filtered by user, case
and local (Europe/London) date, times shown in UK local time (issue 20.7)."""

from __future__ import annotations

import pytest

from comeforward.audit import services as audit_services
from comeforward.audit.services import audit_record
from comeforward.roles import OrganisationType, Role

from ..factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _record_at(monkeypatch, when: str, actor, ref: str):
    monkeypatch.setattr(audit_services, "_now", lambda: when)
    return audit_record(
        actor=actor,
        operation="alter",
        subject_type="case",
        subject_id="1",
        subject_ref=ref,
        scope="case.state",
    )


@pytest.fixture
def trail(monkeypatch, make_user):
    other = OrganisationFactory(
        name="Otherton Constabulary", code="otherton", kind=OrganisationType.POLICE_FORCE
    )
    ann = make_user(Role.INVESTIGATOR, email="ann@testshire.example")
    bob = make_user(Role.INVESTIGATOR, email="bob@testshire.example")
    foreign = make_user(Role.INVESTIGATOR, organisation=other, email="x@otherton.example")
    # 23:30 UTC on 30 June is 00:30 BST on 1 July (local date 1 July).
    _record_at(monkeypatch, "2026-06-30T23:30:00.000000Z", ann, "CF-2026-000001")
    _record_at(monkeypatch, "2026-07-02T10:00:05.000000Z", bob, "CF-2026-000002")
    _record_at(monkeypatch, "2026-07-02T11:00:00.000000Z", foreign, "CF-2026-000009")
    monkeypatch.undo()
    return make_user(Role.ADMINISTRATOR)


def _rows(client, query: str = "") -> str:
    return client.get(f"/audit/trail{query}").content.decode()


def test_trail_shows_only_the_own_organisation_in_uk_time(trail, sign_in):
    html = _rows(sign_in(trail))
    assert "ann@testshire.example" in html and "bob@testshire.example" in html
    assert "x@otherton.example" not in html and "CF-2026-000009" not in html
    assert "1 July 2026 00:30:00 BST" in html
    assert "2 July 2026 11:00:05 BST" in html


def test_trail_filters_by_user_case_and_local_date(trail, sign_in):
    client = sign_in(trail)
    by_user = _rows(client, "?user=ANN@testshire.example")
    assert "CF-2026-000001" in by_user and "CF-2026-000002" not in by_user
    by_case = _rows(client, "?case=cf-2026-000002")
    assert "CF-2026-000002" in by_case and "CF-2026-000001" not in by_case
    # Local date 1 July holds the 23:30 UTC record of 30 June, and nothing of 2 July.
    on_first = _rows(client, "?date_from=1/7/2026&date_to=1/7/2026")
    assert "CF-2026-000001" in on_first and "CF-2026-000002" not in on_first
    on_thirtieth = _rows(client, "?date_to=30/6/2026")
    assert "CF-2026-000001" not in on_thirtieth
    bad = _rows(client, "?date_from=31/2/2026")
    assert "Enter a real date, like 27/3/2026" in bad
