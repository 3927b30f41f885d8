"""The scheduled refresh is incremental (issue 14.9): a force is recalculated only when a
write concerning it has been audited since its snapshot, or the date has moved on — and an
incremental refresh gives exactly the figures of a full recompute. Every page says how fresh
the figures are."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.accounts import team_services
from comeforward.roles import OrganisationType, Role
from comeforward.statistics import selectors, services
from comeforward.statistics.models import FiguresSnapshot
from tests.factories import CaseFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 11, 30)


@pytest.fixture
def two_forces(police_force):
    other = OrganisationFactory(
        name="Otherton Constabulary", code="otherton", kind=OrganisationType.POLICE_FORCE
    )
    cases = [CaseFactory(owning_organisation=police_force) for _ in range(6)]
    for _ in range(6):
        CaseFactory(owning_organisation=other)
    return police_force, other, cases


def _latest(force):
    return selectors.latest_snapshot(force.pk)


def test_only_the_force_whose_records_changed_is_recalculated(two_forces, make_user):
    force, other, cases = two_forces
    services.figures_refresh(as_of=AS_OF)
    first, other_first = _latest(force), _latest(other)
    # Nothing changed: both snapshots are kept, marked as checked.
    services.figures_refresh(as_of=AS_OF)
    assert _latest(force).pk == first.pk and _latest(other).pk == other_first.pk
    assert _latest(force).checked_at is not None
    # An audited write on a case of the first force: only that force is recalculated.
    supervisor = make_user(Role.SUPERVISOR)
    for case in cases:
        services.equality_record(actor=supervisor, case=case, sex="male")
    services.figures_refresh(as_of=AS_OF)
    incremental = _latest(force)
    assert incremental.pk != first.pk
    assert _latest(other).pk == other_first.pk
    sex = {r["label"]: r["cells"] for r in incremental.data["tables"]["equality_sex"]["rows"]}
    assert sex["Male"][-2] == "6"  # the six answers are in (total column before the share)
    # The same figures as a full recompute of every force.
    services.figures_refresh(as_of=AS_OF, full=True)
    assert _latest(force).pk != incremental.pk
    assert _latest(force).data == incremental.data
    assert _latest(other).data == other_first.data


def test_a_write_not_about_a_case_or_a_new_date_recalculates_every_force(two_forces, make_user):
    force, other, _ = two_forces
    services.figures_refresh(as_of=AS_OF)
    first, other_first = _latest(force), _latest(other)
    admin = make_user(Role.ADMINISTRATOR)
    team_services.team_create(actor=admin, organisation=admin.organisation, name="North")
    services.figures_refresh(as_of=AS_OF)
    assert _latest(force).pk != first.pk and _latest(other).pk != other_first.pk
    second = _latest(other)
    services.figures_refresh(as_of=AS_OF + dt.timedelta(days=1))
    assert _latest(other).pk != second.pk
    assert FiguresSnapshot.objects.filter(organisation=other).count() == 3  # the last 3 kept


def test_every_page_says_how_fresh_the_figures_are(two_forces, make_user, sign_in):
    force, _, cases = two_forces
    services.figures_refresh(as_of=AS_OF)
    client = sign_in(make_user(Role.ANALYST))
    for url in ("/statistics/", "/statistics/funnel", "/statistics/time", "/statistics/costs"):
        page = client.get(url).content.decode()
        assert 'data-testid="figures-as-of"' in page and "No change has been recorded" in page
    services.equality_record(actor=make_user(Role.SUPERVISOR), case=cases[0], sex="female")
    page = client.get("/statistics/equality").content.decode()
    assert "Records have changed since" in page


def test_a_local_authority_analyst_is_told_plainly_why_there_are_no_figures(
    two_forces, make_user, sign_in
):
    services.figures_refresh(as_of=AS_OF)
    council = OrganisationFactory(
        name="Exampleshire Council", code="exampleshire", kind=OrganisationType.LOCAL_AUTHORITY
    )
    client = sign_in(make_user(Role.ANALYST, organisation=council))
    for url in ("/statistics/", "/statistics/outcomes"):
        page = client.get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert 'data-testid="no-figures-for-organisation"' in text
        assert "Exampleshire Council is a local authority" in text
        assert "<table" not in text  # nothing record-level, no other force's figures
    assert client.get("/statistics/export/backlog.csv").status_code == 404
