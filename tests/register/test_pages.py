"""Register pages: need-to-know matrix, the list order, the record page showing law's
deadlines and explanations, and the forms."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.audit.models import AuditEvent
from comeforward.cases.services import case_partner_grant, case_team_add
from comeforward.register.models import RegisterBreach, RegisterRecord
from comeforward.roles import OrganisationType, Role

from ..factories import OrganisationFactory
from ..web.matrix import assert_matrix
from .conftest import cautioned_case, open_record

pytestmark = pytest.mark.django_db
D = dt.date
OM, SUP, INV = Role.OFFENDER_MANAGER, Role.SUPERVISOR, Role.INVESTIGATOR


@pytest.fixture
def users(make_user):
    return {role: make_user(role) for role in Role.values}


def test_role_matrix_for_the_list(users, sign_in):
    assert_matrix({"/register/": frozenset({OM, SUP})}, users, sign_in)


def test_record_matrix(users, sign_in, make_user, police_force, fixed_today):
    """Offender managers and supervisors of the owning force; an investigator only on the
    case team; partners with access to the case never; other forces never."""
    fixed_today(D(2025, 3, 2))
    case = cautioned_case(police_force)
    record = open_record(case, D(2025, 3, 1))
    on_team = make_user(INV)
    case_team_add(actor=None, case=case, user=on_team)
    provider = users[Role.TREATMENT_PROVIDER]
    case_partner_grant(
        actor=None, case=case, organisation=provider.organisation, role=Role.TREATMENT_PROVIDER
    )
    other_force = OrganisationFactory(kind=OrganisationType.POLICE_FORCE)
    outsiders = {
        f"{role} of another force": make_user(role, organisation=other_force) for role in (OM, SUP)
    }
    from comeforward.register import services

    trip = services.register_trip_record(
        actor=None,
        record=record,
        departure=D(2025, 3, 2),
        destinations="France",
        known_on=D(2025, 3, 1),
        notified_on=None,
    )
    period = services.register_period_record(
        actor=None, record=record, reason="hospital", began_on=D(2025, 3, 1)
    )
    breach = services.register_breach_open(
        actor=None, record=record, kind="travel", event_ref="travel 2025-03-02"
    )
    base = f"/register/{record.pk}/"
    assert_matrix(
        {
            base: frozenset({OM, SUP, "investigator on the team"}),
            base + "notifications/new": frozenset({OM}),
            base + "visits/new": frozenset({OM}),
            base + "arms/new": frozenset({OM}),
            base + "periods/new": frozenset({OM}),
            base + f"periods/{period.pk}/end": frozenset({OM}),
            base + "trips/new": frozenset({OM}),
            base + f"trips/{trip.pk}/return": frozenset({OM}),
            base + f"trips/{trip.pk}/notice": frozenset({OM}),
            base + f"breaches/{breach.pk}/outcome": frozenset({OM, SUP}),
            base + "management": frozenset({OM, SUP}),
            base + "review": frozenset({OM, SUP}),
        },
        users | outsiders | {"investigator on the team": on_team},
        sign_in,
        remember_reason_for=("case", case.pk),
    )


def test_enter_matrix(users, sign_in, police_force):
    case = cautioned_case(police_force)
    case_team_add(actor=None, case=case, user=users[OM])
    # Supervisors see every case of their force; the offender manager is on the team.
    assert_matrix(
        {f"/cases/{case.pk}/register/enter": frozenset({OM, SUP})},
        users,
        sign_in,
        remember_reason_for=("case", case.pk),
    )


def test_breach_post_permissions(users, sign_in, police_force, fixed_today):
    fixed_today(D(2025, 3, 10))
    record = open_record(cautioned_case(police_force), D(2025, 3, 1))
    url = f"/register/{record.pk}/breaches"
    for role, user in users.items():
        response = sign_in(user).post(url, {"kind": "initial"})
        if role in (OM, SUP):
            assert response.status_code == 302, role
        else:
            assert response.status_code in (403, 404), role
    assert RegisterBreach.objects.filter(record=record).count() == 1
    assert sign_in(users[OM]).get(url).status_code == 405


def _client(sign_in, user, case):
    from comeforward.audit.access import remember_reason

    client = sign_in(user)
    session = client.session

    class _R:
        pass

    request = _R()
    request.session = session
    remember_reason(request, "case", case.pk, "Managing notification requirements")
    session.save()
    return client


def test_list_shows_overdue_first(users, sign_in, police_force, fixed_today):
    fixed_today(D(2025, 3, 10))
    due_later = open_record(cautioned_case(police_force), D(2025, 3, 9))  # initial 11 March
    overdue = open_record(cautioned_case(police_force), D(2025, 2, 1))  # initial 3 February
    html = sign_in(users[OM]).get("/register/").content.decode()
    assert html.index(overdue.case.reference) < html.index(due_later.case.reference)
    assert "Overdue" in html


def test_record_page_shows_laws_deadlines_and_sentences(users, sign_in, police_force, fixed_today):
    fixed_today(D(2025, 3, 2))
    case = cautioned_case(police_force)
    record = open_record(case, D(2025, 3, 1))
    client = _client(sign_in, users[OM], case)
    response = client.post(
        f"/register/{record.pk}/notifications/new", {"kind": "initial", "date": "2025-03-02"}
    )
    assert response.status_code == 302
    html = client.get(f"/register/{record.pk}/").content.decode()
    assert "2 March 2026" in html  # next periodic, as law computes it
    assert "SOA 2003 s.85(1), (5): the periodic notification is due within one year" in html
    assert "SOA 2003 s.82(1): the notification period is 2 years (cautioned)." in html
    assert "need legal sign-off" in html  # the anniversary reading is [D], flagged
    consult = AuditEvent.objects.filter(scope="register.record", operation="consult").last()
    assert consult.subject_id == str(case.pk)
    assert consult.justification == "Managing notification requirements"


def test_record_page_asks_for_a_reason_first(users, sign_in, police_force, fixed_today):
    fixed_today(D(2025, 3, 2))
    case = cautioned_case(police_force)
    record = open_record(case, D(2025, 3, 1))
    response = sign_in(users[OM]).get(f"/register/{record.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/audit/reason")


def test_invalid_notification_shows_the_error_on_the_field(
    users, sign_in, police_force, fixed_today
):
    fixed_today(D(2025, 3, 2))
    case = cautioned_case(police_force)
    record = open_record(case, D(2025, 3, 1))
    response = sign_in(users[OM]).post(
        f"/register/{record.pk}/notifications/new", {"kind": "travel", "date": "2025-03-02"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter the date of departure" in html
    assert record.notifications.count() == 0


def test_entering_a_person_already_subject(users, sign_in, police_force, fixed_today):
    fixed_today(D(2025, 3, 2))
    case = cautioned_case(police_force)
    response = _client(sign_in, users[SUP], case).post(
        f"/cases/{case.pk}/register/enter",
        {
            "offence": "PCA1978_S1",
            "offence_date": "2023-06-01",
            "offender_dob": "1975-02-02",
            "youngest_depicted_age": "10",
            "disposal_type": "conditional_caution",
            "relevant_date": "2024-06-01",
        },
    )
    record = RegisterRecord.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == f"/register/{record.pk}/"
    assert (record.last_day, record.initial_due) == (D(2026, 5, 31), D(2024, 6, 3))
    assert AuditEvent.objects.filter(scope="register.record", operation="collect").count() == 1


def test_the_enter_page_is_a_case_page_and_opens_an_existing_record(
    users, sign_in, police_force, fixed_today
):
    """Under ``cases/<id>/register/`` (issue 19.3): the reason is asked first and the
    consultation audited; a case that already has a record opens it (before the rule's
    refusal sends the user back to the case)."""
    fixed_today(D(2025, 3, 2))
    case = cautioned_case(police_force)
    url = f"/cases/{case.pk}/register/enter"
    asked = sign_in(users[SUP]).get(url)
    assert asked.status_code == 302 and "/audit/reason" in asked["Location"]
    client = _client(sign_in, users[SUP], case)
    assert client.get(url).status_code == 200
    consulted = AuditEvent.objects.filter(operation="consult", subject_id=str(case.pk)).get()
    assert consulted.scope == "register.enter"
    record = open_record(case, D(2025, 3, 1))
    opened = client.get(url)
    assert (opened.status_code, opened["Location"]) == (302, f"/register/{record.pk}/")


def test_case_panel_for_police_but_not_partners(users, sign_in, police_force, fixed_today):
    fixed_today(D(2025, 3, 2))
    case = cautioned_case(police_force)
    open_record(case, D(2025, 3, 1))
    provider = users[Role.TREATMENT_PROVIDER]
    case_partner_grant(
        actor=None, case=case, organisation=provider.organisation, role=Role.TREATMENT_PROVIDER
    )
    police_html = _client(sign_in, users[SUP], case).get(f"/cases/{case.pk}/").content.decode()
    partner_html = _client(sign_in, provider, case).get(f"/cases/{case.pk}/").content.decode()
    assert "Notification requirements" in police_html
    assert "Open the register record" in police_html
    assert "Notification requirements" not in partner_html


def test_record_page_shows_trips_periods_particulars_and_late_notices(
    users, sign_in, police_force, fixed_today
):
    from comeforward.register import services

    fixed_today(D(2025, 6, 20))
    case = cautioned_case(police_force)
    record = open_record(case, D(2025, 3, 1))
    client = _client(sign_in, users[OM], case)
    response = client.post(
        f"/register/{record.pk}/notifications/new",
        {
            "kind": "initial",
            "date": "2025-03-02",
            "police_station": "Central",
            "particular_kind": "card",
            "particular_value": "4111 1111 1111 1234",
            "particular_detail": "Test Bank debit card",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/register/{record.pk}/trips/new",
        {
            "departure": "2025-06-20",
            "destinations": "Spain",
            "known_on": "2025-05-01",
            "notified_on": "2025-06-18",
            "carrier": "Test Air",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/register/{record.pk}/periods/new",
        {"reason": "custody", "began_on": "2025-04-01", "ended_on": "2025-04-05"},
    )
    assert response.status_code == 302
    html = client.get(f"/register/{record.pk}/").content.decode()
    assert "••••••••••••1234" in html and "4111 1111 1111 1234" not in html
    assert "Central" in html
    assert "Spain" in html and "Test Air" in html
    assert (
        "In custody (remand, sentence or service detention): 1 April 2025 to 5 April 2025" in html
    )
    assert "Travel notice (s.86, Travel Regs 2004) – travel 2025-06-20" in html
    assert "Awaiting sign-off" in html
    response = client.post(
        f"/register/{record.pk}/breaches",
        {"kind": "travel", "due": "2025-06-13", "event_ref": "travel 2025-06-20"},
    )
    breach = RegisterBreach.objects.get(record=record)
    assert (breach.kind, breach.notified_late_on) == ("travel", D(2025, 6, 18))
    response = client.post(
        f"/register/{record.pk}/breaches/{breach.pk}/outcome",
        {"outcome": "reasonable_excuse", "notes": "Booking moved"},
    )
    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.outcome == "reasonable_excuse"
    assert services.record_law_position(record, D(2025, 6, 20)).late[0]["type"] == "travel"


def test_queues_and_filters(users, sign_in, police_force, fixed_today, make_user):
    from comeforward.register import services

    fixed_today(D(2025, 3, 10))
    overdue = open_record(cautioned_case(police_force), D(2025, 2, 1))  # initial 3 February
    this_week = open_record(cautioned_case(police_force), D(2025, 3, 9))  # initial 11 March
    ending = services.register_open_for_caution(  # last day 19 March 2025
        actor=None,
        case=cautioned_case(police_force),
        caution_date=D(2023, 3, 20),
        offence="CJA1988_S160",
        offence_date=D(2022, 1, 10),
        offender_dob=D(1980, 5, 1),
        youngest_depicted_age=12,
    )
    services.register_notification_record(
        actor=None, record=ending, kind="initial", date=D(2023, 3, 21)
    )
    services.register_notification_record(
        actor=None, record=ending, kind="periodic", date=D(2024, 3, 20)
    )  # the next would fall after the last day: nothing due
    travelling = open_record(cautioned_case(police_force), D(2025, 1, 1))
    services.register_trip_record(
        actor=None,
        record=travelling,
        departure=D(2025, 3, 8),
        planned_return=D(2025, 3, 15),
        destinations="Italy",
        known_on=D(2025, 2, 1),
        notified_on=D(2025, 2, 2),
    )
    manager = users[OM]
    services.register_management_update(actor=None, record=this_week, manager=manager, area="North")
    client = sign_in(manager)

    def refs(query: str) -> set[str]:
        html = client.get(f"/register/?{query}").content.decode()
        return {
            r.case.reference
            for r in (overdue, this_week, ending, travelling)
            if r.case.reference in html.split("Reminders")[0]
        }

    assert refs("queue=overdue") == {overdue.case.reference, travelling.case.reference}
    assert refs("queue=week") == {this_week.case.reference}
    assert refs("queue=travelling") == {travelling.case.reference}
    assert refs("queue=ending") == {ending.case.reference}
    assert refs(f"queue=all&manager={manager.pk}") == {this_week.case.reference}
    assert refs("queue=all&area=North") == {this_week.case.reference}
    assert refs("queue=all&risk=high") == set()
    assert refs("queue=nonsense") == {
        overdue.case.reference,
        this_week.case.reference,
        ending.case.reference,
        travelling.case.reference,
    }


def test_ended_record_page_offers_the_letter_and_refuses_new_notices(
    users, sign_in, police_force, fixed_today
):
    from comeforward.register import services

    fixed_today(D(2027, 3, 1))
    case = cautioned_case(police_force)
    record = open_record(case, D(2025, 3, 1))
    services.register_sweep(today=D(2027, 3, 1))
    client = _client(sign_in, users[OM], case)
    html = client.get(f"/register/{record.pk}/").content.decode()
    assert "Requirements ended" in html and "28 February 2027" in html
    assert f"/cases/{case.pk}/documents/generate?kind=requirements_ended" in html
    response = client.post(
        f"/register/{record.pk}/notifications/new", {"kind": "periodic", "date": "2027-02-27"}
    )
    assert response.status_code == 200
    assert "have ended for this person" in response.content.decode()
    assert record.notifications.count() == 0
    assert record.case.reference not in sign_in(users[OM]).get("/register/").content.decode()


def test_review_steps_through_the_page(users, sign_in, police_force, fixed_today):
    from comeforward.register import services

    fixed_today(D(2040, 3, 5))
    case = cautioned_case(police_force)
    record = open_record(case, D(2025, 3, 1))
    record.last_day = None
    services._recompute(record, D(2040, 3, 5))
    client = _client(sign_in, users[SUP], case)
    response = client.post(f"/register/{record.pk}/review", {"step": "applied", "on": "2040-03-02"})
    assert response.status_code == 302
    record.review_task.refresh_from_db()
    assert (record.review_task.status, record.review_task.determine_by) == (
        "applied",
        D(2040, 5, 25),
    )
    html = client.get(f"/register/{record.pk}/").content.decode()
    assert "Application received; determine by 25 May 2040" in html


@pytest.mark.parametrize("queue", ["all", "overdue", "week", "late", "travelling", "ending"])
def test_queue_pages_use_a_bounded_number_of_queries(
    users, sign_in, police_force, fixed_today, django_assert_max_num_queries, queue
):
    """The page's query count does not grow with the records shown (bench/ measures time)."""
    fixed_today(D(2025, 3, 10))
    client = sign_in(users[OM])
    open_record(cautioned_case(police_force), D(2025, 2, 1))
    client.get(f"/register/?queue={queue}")
    with django_assert_max_num_queries(20) as few:
        client.get(f"/register/?queue={queue}")
    for _ in range(5):
        open_record(cautioned_case(police_force), D(2025, 2, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/register/?queue={queue}")
