"""The statistics pages on a small seeded data set, each figure worked out by hand; the
permission matrix; exports, the extract (audited with its purpose) and follow-up events."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone

from comeforward.audit.models import AuditEvent
from comeforward.cases.models import CaseStatusChange
from comeforward.roles import Role
from comeforward.statistics import selectors, services
from comeforward.statistics.models import EqualityMonitoring, FollowUpEvent
from tests.factories import CaseFactory, PersonFactory
from tests.web.matrix import assert_matrix

AS_OF = dt.date(2026, 11, 30)
PATH = [
    "referred",
    "safeguarding_screen",
    "devices_received",
    "forensic_review",
    "interview",
    "assessment",
    "decision",
]


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def _case(force, states, start=dt.date(2026, 2, 2), step_days=7, **person):
    """A case referred on ``start`` moving through ``states`` one week apart (Mondays)."""
    case = CaseFactory(
        owning_organisation=force,
        person=PersonFactory(date_of_birth=dt.date(1980, 1, 1), **person),
        created_at=_at(start),
        state=states[-1],
        state_changed_at=_at(start + dt.timedelta(days=step_days * (len(states) - 1))),
    )
    for n, (a, b) in enumerate(zip(states, states[1:], strict=False), start=1):
        CaseStatusChange.objects.create(
            case=case, from_state=a, to_state=b, at=_at(start + dt.timedelta(days=step_days * n))
        )
    return case


@pytest.fixture
def world(police_force):
    """Seven cases referred on Monday 2 February 2026 (2026-Q1), all through to a decision a
    week per stage: five cautioned and in treatment, two referred for prosecution."""
    diverted = [_case(police_force, [*PATH, "cautioned", "in_treatment"]) for _ in range(5)]
    prosecuted = [_case(police_force, [*PATH, "referred_for_prosecution"]) for _ in range(2)]
    for case in diverted[:3]:
        EqualityMonitoring.objects.create(person=case.person, sex="male", ethnicity="white")
    FollowUpEvent.objects.create(case=prosecuted[0], kind="rearrest", date=dt.date(2026, 6, 1))
    return diverted, prosecuted


@pytest.fixture
def refreshed(world, police_force):
    services.figures_refresh(organisation_id=police_force.pk, as_of=AS_OF)
    return world


def _cells(figures, table_id):
    return {row["label"]: row["cells"] for row in figures.tables[table_id].rows}


def test_published_figures_by_hand(refreshed, make_user):
    figures = selectors.published_figures(make_user(Role.SUPERVISOR), "quarter")
    funnel = _cells(figures, "funnel_quarter")
    q1 = figures.tables["funnel_quarter"].columns.index("2026-Q1") - 1
    assert funnel["Referrals (cases opened)"][q1] == "7"
    assert funnel["Self-referrals"][q1] == "7"
    assert funnel["Devices examined"][q1] == "7"  # all left forensic review
    assert funnel["Cautioned"][q1] == "5"
    assert funnel["Treatment started"][q1] == "5"
    assert funnel["Referred for prosecution"][q1] == "fewer than 5"
    assert funnel["Cautioned"][-1] == "5"  # the total over 8 quarters
    assert figures.funnel is figures.tables["funnel_quarter"]
    # Time in stage: every stage took 7 calendar days = 5 working days (Mon → Mon).
    timing = _cells(figures, "timing")
    # All 7 within the SLA: "0 over" is under 5, so "7 within" (= 7 − 0) is hidden too.
    assert timing["Decision"] == ["7", "5", "5", "5", "[c]"]
    assert timing["Forensic examination of the devices"][2:4] == ["10", "10"]  # two weeks
    # Backlog: 5 in treatment since 30 March 2026: over 60 working days.
    backlog = _cells(figures, "backlog")
    assert backlog["In treatment"][3] == "5" and backlog["In treatment"][-1] == "5"
    # Prosecuted sex: 2 (not recorded) hidden; male 3 diverted hidden.
    sex = _cells(figures, "equality_sex")
    assert sex["Male"][0] == "fewer than 5"
    assert sex["Total"][-2] == "7"  # all seven in the grand total
    month = selectors.published_figures(make_user(Role.ANALYST), "month")
    assert month.funnel is month.tables["funnel_month"]


def test_follow_up_and_leaving_reasons(refreshed, make_user):
    figures = selectors.published_figures(make_user(Role.SUPERVISOR))
    # Disposals in 2026: no one-year window is complete by 30 November 2026.
    assert figures.tables["follow_up"].rows == []
    assert _cells(figures, "leaving_reasons")["Decision to prosecute although eligible"] == [
        "fewer than 5"
    ]


def test_figures_are_per_force(refreshed, make_user, police_force):
    from tests.factories import OrganisationFactory

    other = OrganisationFactory(name="Otherland Police", code="otherland", kind="police_force")
    services.figures_refresh(organisation_id=other.pk, as_of=AS_OF)
    figures = selectors.published_figures(make_user(Role.SUPERVISOR, organisation=other))
    assert figures.headline["referrals"] is None  # none there: 0 is "fewer than 5"


def test_pages_show_figures_with_freshness_chart_table_and_summary(refreshed, make_user, sign_in):
    client = sign_in(make_user(Role.SUPERVISOR))
    page = client.get("/statistics/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Figures as of" in html
    assert 'role="img"' in html and '<title id="chart-funnel_quarter-title">' in html
    assert 'data-testid="summary-funnel_quarter"' in html
    for name in selectors.PAGES:
        response = client.get(f"/statistics/{name}")
        assert response.status_code == 200, name
    costs = client.get("/statistics/costs").content.decode()
    assert "assumed unit costs" in costs and "officer_hour_cost" in costs
    assert client.get("/statistics/nope").status_code == 404


def test_exports_csv_and_ods(refreshed, make_user, sign_in):
    client = sign_in(make_user(Role.ANALYST))
    response = client.get("/statistics/export/funnel_quarter.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["The funnel by quarter of referral (last 8 quarters)"]
    referrals = next(r for r in rows if r[0] == "Referrals (cases opened)")
    assert "7" in referrals
    ods = client.get("/statistics/export/all.ods")
    archive = zipfile.ZipFile(io.BytesIO(ods.content))
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    assert b"fewer than 5" in archive.read("content.xml")
    assert client.get("/statistics/export/funnel_quarter.xls").status_code == 404
    assert client.get("/statistics/export/nothing.csv").status_code == 404


def test_quarterly_report_pdf(refreshed, make_user, sign_in):
    response = sign_in(make_user(Role.SUPERVISOR)).get("/statistics/report.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_extract_is_pseudonymised_and_audited_with_its_purpose(refreshed, make_user, sign_in):
    analyst = make_user(Role.ANALYST)
    client = sign_in(analyst)
    refused = client.post("/statistics/extract", {"study": "S1", "purpose": "short"})
    assert refused.status_code == 400
    assert not AuditEvent.objects.filter(scope__startswith="statistics.extract").exists()
    purpose = "Matched comparison of reoffending, University evaluation 2026"
    posted = client.post("/statistics/extract", {"study": "EVAL-1", "purpose": purpose})
    assert posted.status_code == 302 and posted["Location"] == "/statistics/extract/download"
    response = client.get("/statistics/extract/download")
    body = b"".join(response.streaming_content).decode()
    # The authorisation is used once: the same URL again goes back to the form.
    assert client.get("/statistics/extract/download").status_code == 302
    supervisor = sign_in(make_user(Role.SUPERVISOR))
    assert supervisor.get("/statistics/extract/download").status_code == 403
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 7
    assert set(rows[0]) == set(selectors.EXTRACT_COLUMNS)
    assert sorted(r["outcome"] for r in rows) == ["diverted"] * 5 + ["prosecuted"] * 2
    assert all(r["referral_month"] == "2026-02" for r in rows)
    for case in refreshed[0] + refreshed[1]:
        assert case.reference not in body and case.person.family_name not in body
    event = AuditEvent.objects.get(scope="statistics.extract.record_level")
    assert event.justification == purpose and event.operation == "disclose"
    assert event.actor_id == analyst.pk
    # Same study → same pseudonyms; another study → different ones.
    again = client.post("/statistics/extract", {"study": "EVAL-1", "purpose": purpose}, follow=True)
    assert b"".join(again.streaming_content).decode() == body
    other = client.post("/statistics/extract", {"study": "EVAL-2", "purpose": purpose}, follow=True)
    assert rows[0]["pseudonym"] not in b"".join(other.streaming_content).decode()


def test_follow_up_event_recorded_and_audited(world, make_user, sign_in):
    supervisor = make_user(Role.SUPERVISOR)
    client = sign_in(supervisor)
    case = world[0][0]
    response = client.post(
        "/statistics/follow-up",
        {"reference": case.reference, "kind": "reconviction", "date": "2026-10-01",
         "source": "PNC check"},
    )  # fmt: skip
    assert response.status_code == 302
    event = FollowUpEvent.objects.get(case=case, kind="reconviction")
    assert event.recorded_by == supervisor
    audit = AuditEvent.objects.get(scope="statistics.follow_up_event")
    assert audit.subject_ref == case.reference
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    refused = client.post(
        "/statistics/follow-up",
        {"reference": case.reference, "kind": "rearrest", "date": future, "source": "PNC"},
    )
    assert refused.status_code == 400
    assert FollowUpEvent.objects.count() == 2  # the world's one + this one: nothing added
    with pytest.raises(ValueError):
        event.save()


def test_permission_matrix(refreshed, make_user, sign_in):
    users = {role: make_user(role) for role in Role.values}
    stats = frozenset({Role.ANALYST, Role.SUPERVISOR})
    assert_matrix(
        {
            "/statistics/": stats,
            "/statistics/funnel": stats,
            "/statistics/equality": stats,
            "/statistics/export/backlog.csv": stats,
            "/statistics/extract": frozenset({Role.ANALYST}),
            "/statistics/follow-up": frozenset(
                {Role.SUPERVISOR, Role.OFFENDER_MANAGER, Role.INVESTIGATOR}
            ),
        },
        users,
        sign_in,
    )


def test_refresh_now_only_for_supervisors(world, make_user, sign_in):
    assert sign_in(make_user(Role.ANALYST)).post("/statistics/refresh").status_code == 403
    response = sign_in(make_user(Role.SUPERVISOR)).post("/statistics/refresh")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(scope="statistics.refresh").exists()


def test_menu_link_resolves_and_the_job_is_scheduled():
    from django.urls import reverse

    from comeforward.web.scheduler import JOBS

    assert reverse("stats:index") == "/statistics/"
    assert JOBS["statistics_refresh"].task_path == "comeforward.statistics.tasks.statistics_refresh"


def test_csv_cells_cannot_become_formulas():
    from comeforward.statistics.exports import _safe

    assert _safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _safe("@SUM(A1)") == "'@SUM(A1)"
    assert _safe("-1,234") == "-1,234"
    assert _safe("-£5") == "-£5"
    assert _safe("fewer than 5") == "fewer than 5"
