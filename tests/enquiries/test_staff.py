"""Staff side: queue, reading with a reason, replies, tags, combining, coming forward,
statistics (issue 7 §5, §8; users-and-security §3.2 req. 3, 9, 10)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from comeforward.audit.models import AuditEvent
from comeforward.cases.models import Case
from comeforward.enquiries import selectors, services
from comeforward.enquiries.errors import (
    ConsentRequired,
    EnquiryNotOpen,
    MergeNotAllowed,
    ReferenceNotFound,
)
from comeforward.enquiries.models import Enquiry, EnquiryStatus
from comeforward.people.models import Person
from comeforward.roles import Role

pytestmark = pytest.mark.django_db
RESPONDERS = {Role.INTAKE_OFFICER, Role.SUPERVISOR}


def _with_reason(client, enquiry, reason="Answering the enquiry"):
    session = client.session
    session["access_reasons"] = {f"enquiry:{enquiry.pk}": reason}
    session.save()
    return client


@pytest.mark.parametrize("role", list(Role.values))
def test_permission_matrix(role, make_user, sign_in, opened):
    enquiry = opened().enquiry
    client = _with_reason(sign_in(make_user(role)), enquiry)
    expected = 200 if role in RESPONDERS else 403
    assert client.get("/enquiries/").status_code == expected
    assert client.get(f"/enquiries/{enquiry.pk}/").status_code == expected
    assert client.get("/enquiries/convert").status_code == expected
    stats_expected = 200 if role in RESPONDERS | {Role.ANALYST} else 403
    assert client.get("/enquiries/statistics").status_code == stats_expected
    # Empty forms: a reply and a merge need input; empty tags clear the tags.
    for action, allowed in (("reply", 400), ("tags", 302), ("merge", 400)):
        status = client.post(f"/enquiries/{enquiry.pk}/{action}", {}).status_code
        assert status == (allowed if role in RESPONDERS else 403)


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/enquiries/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in")


def test_queue_lists_unanswered_first_and_filters_by_tag(make_user, sign_in, opened):
    officer = make_user(Role.INTAKE_OFFICER)
    answered, waiting_old, waiting_new = opened().enquiry, opened().enquiry, opened().enquiry
    services.enquiry_reply(actor=officer, enquiry=answered, message="Answer")
    Enquiry.objects.filter(pk=waiting_old.pk).update(last_activity_on=dt.date(2026, 1, 5))
    queue = selectors.enquiry_queue(officer)
    assert [e.pk for e in queue] == [waiting_old.pk, waiting_new.pk, answered.pk]
    services.enquiry_tags_set(actor=officer, enquiry=waiting_new, tags=["treatment"])
    assert [e.pk for e in selectors.enquiry_queue(officer, tag="treatment")] == [waiting_new.pk]
    html = sign_in(officer).get("/enquiries/?tag=treatment").content.decode()
    assert waiting_new.designation in html and waiting_old.designation not in html


def test_reading_an_enquiry_asks_for_a_reason_then_audits_the_consultation(
    make_user, sign_in, opened
):
    officer = make_user(Role.INTAKE_OFFICER)
    enquiry = opened("Is my partner told?").enquiry
    client = sign_in(officer)
    first = client.get(f"/enquiries/{enquiry.pk}/")
    assert first.status_code == 302 and first["Location"].startswith("/audit/reason")
    _with_reason(client, enquiry, "Answering the enquiry")
    html = client.get(f"/enquiries/{enquiry.pk}/").content.decode()
    assert "Is my partner told?" in html
    event = AuditEvent.objects.get(operation="consult", subject_type="enquiry")
    assert event.subject_ref == enquiry.designation
    assert event.justification == "Answering the enquiry"
    assert event.actor_id == officer.pk
    assert "partner" not in str(event.details)


def test_staff_page_without_private_key_says_so(make_user, sign_in, opened, settings):
    enquiry = opened("Secret text").enquiry
    del settings.ENQUIRY_PRIVATE_KEY
    client = _with_reason(sign_in(make_user(Role.SUPERVISOR)), enquiry)
    html = client.get(f"/enquiries/{enquiry.pk}/").content.decode()
    assert "does not hold the enquiry private key" in html
    assert "Secret text" not in html


def test_reply_through_the_page_is_audited_without_content(make_user, sign_in, opened):
    officer = make_user(Role.INTAKE_OFFICER)
    enquiry = opened().enquiry
    response = sign_in(officer).post(
        f"/enquiries/{enquiry.pk}/reply", {"message": "Private reply text"}
    )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.awaiting_reply is False
    event = AuditEvent.objects.get(scope="enquiry.reply")
    assert (event.operation, event.actor_id, event.subject_id) == (
        "alter",
        officer.pk,
        str(enquiry.pk),
    )
    assert "Private reply text" not in str(event.details)


def test_empty_reply_is_refused(make_user, sign_in, opened):
    enquiry = opened().enquiry
    response = sign_in(make_user(Role.INTAKE_OFFICER)).post(
        f"/enquiries/{enquiry.pk}/reply", {"message": ""}
    )
    assert response.status_code == 400
    assert "Enter your reply" in response.content.decode()
    assert AuditEvent.objects.filter(scope="enquiry.reply").count() == 0


def test_tags_are_normalised_and_audited(make_user, sign_in, opened):
    officer = make_user(Role.INTAKE_OFFICER)
    enquiry = opened().enquiry
    sign_in(officer).post(f"/enquiries/{enquiry.pk}/tags", {"tags": "Treatment, eligibility,, "})
    assert sorted(enquiry.tags.values_list("name", flat=True)) == ["eligibility", "treatment"]
    assert AuditEvent.objects.get(scope="enquiry.tags").details == {
        "tags": ["eligibility", "treatment"]
    }


def test_merge_combines_threads_and_is_audited(make_user, sign_in, opened):
    officer = make_user(Role.INTAKE_OFFICER)
    lost, current = opened("Old question"), opened("New question")
    services.enquiry_tags_set(actor=officer, enquiry=lost.enquiry, tags=["lost-reference"])
    response = sign_in(officer).post(
        f"/enquiries/{current.enquiry.pk}/merge",
        {"other": lost.enquiry.designation.lower(), "justification": "Says they lost ref"},
    )
    assert response.status_code == 302
    lost.enquiry.refresh_from_db()
    assert lost.enquiry.status == EnquiryStatus.MERGED
    assert lost.enquiry.merged_into_id == current.enquiry.pk
    thread = selectors.enquiry_thread_for_staff(current.enquiry)
    assert [(e.text, e.designation) for e in thread] == [
        ("Old question", lost.enquiry.designation),
        ("New question", current.enquiry.designation),
    ]
    assert list(current.enquiry.tags.values_list("name", flat=True)) == ["lost-reference"]
    event = AuditEvent.objects.get(operation="combine")
    assert event.scope == "enquiry.merge"
    assert event.justification == "Says they lost ref"
    assert event.details == {"combined": lost.enquiry.designation, "combined_id": lost.enquiry.pk}


def test_merge_rules(make_user, opened):
    officer = make_user(Role.INTAKE_OFFICER)
    a, b, c = opened().enquiry, opened().enquiry, opened().enquiry
    with pytest.raises(MergeNotAllowed):
        services.enquiry_merge(actor=officer, source=a, target=a, justification="x")
    with pytest.raises(MergeNotAllowed):
        services.enquiry_merge(actor=officer, source=a, target=b, justification="  ")
    services.enquiry_merge(actor=officer, source=a, target=b, justification="same person")
    with pytest.raises(MergeNotAllowed):
        services.enquiry_merge(actor=officer, source=a, target=c, justification="again")
    # Combining b (which holds a) into c moves a along, keeping one level.
    services.enquiry_merge(actor=officer, source=b, target=c, justification="same person")
    assert Enquiry.objects.get(pk=a.pk).merged_into_id == c.pk
    assert sorted(selectors.combined_ids(c)) == [a.pk, b.pk]


def test_message_with_old_reference_after_merge_reaches_the_combined_thread(make_user, opened):
    officer = make_user(Role.INTAKE_OFFICER)
    lost, current = opened("one"), opened("two")
    services.enquiry_reply(actor=officer, enquiry=current.enquiry, message="answered")
    services.enquiry_merge(
        actor=officer, source=lost.enquiry, target=current.enquiry, justification="same"
    )
    found, _ = selectors.enquiry_for_reference(lost.reference)
    services.enquiry_message_add(enquiry=found, message="found my old reference")
    current.enquiry.refresh_from_db()
    assert current.enquiry.awaiting_reply is True
    assert selectors.enquiry_thread_for_staff(current.enquiry)[-1].text == "found my old reference"


def test_coming_forward_opens_a_case_and_logs_a_combination_with_consent(
    make_user, sign_in, opened
):
    officer = make_user(Role.INTAKE_OFFICER)
    first = opened()
    response = sign_in(officer).post(
        "/enquiries/convert",
        {
            "reference": "  " + first.reference.upper() + " ",
            "given_names": "Alex",
            "family_name": "Example",
            "date_of_birth": "27/03/1985",
            "consent": "on",
            "consent_note": "Signed form SR1",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.route == "self_referral"
    assert case.owning_organisation_id == officer.organisation_id
    person = Person.objects.get()
    assert (person.given_names, person.family_name, person.date_of_birth) == (
        "Alex",
        "Example",
        dt.date(1985, 3, 27),
    )
    enquiry = Enquiry.objects.get(pk=first.enquiry.pk)
    assert enquiry.status == EnquiryStatus.CONVERTED
    assert enquiry.case_id == case.pk
    assert enquiry.converted_on == timezone.localdate()
    event = AuditEvent.objects.get(operation="combine", scope="enquiry.conversion")
    assert event.justification == services.CONVERSION_JUSTIFICATION
    assert event.details == {
        "case": case.reference,
        "person_id": person.pk,
        "consent": True,
        "consent_note": "Signed form SR1",
        "presented": enquiry.designation,
    }
    # The person and case collections were audited by their own services too.
    assert AuditEvent.objects.filter(operation="collect", subject_type="person").count() == 1
    assert AuditEvent.objects.filter(operation="collect", subject_type="case").count() == 1


def test_coming_forward_needs_consent(make_user, sign_in, opened):
    officer = make_user(Role.INTAKE_OFFICER)
    first = opened()
    response = sign_in(officer).post(
        "/enquiries/convert",
        {"reference": first.reference, "given_names": "A", "family_name": "B"},
    )
    assert response.status_code == 400
    assert "Record the person" in response.content.decode()
    assert Case.objects.count() == 0 and Person.objects.count() == 0
    with pytest.raises(ConsentRequired):
        services.enquiry_convert(
            actor=officer,
            presented_reference=first.reference,
            given_names="A",
            family_name="B",
            date_of_birth=None,
            consent=False,
        )


def test_coming_forward_twice_or_with_a_wrong_reference_is_refused(make_user, opened):
    officer = make_user(Role.INTAKE_OFFICER)
    first = opened()
    kwargs = {
        "actor": officer,
        "given_names": "A",
        "family_name": "B",
        "date_of_birth": None,
        "consent": True,
    }
    services.enquiry_convert(presented_reference=first.reference, **kwargs)
    with pytest.raises(EnquiryNotOpen):
        services.enquiry_convert(presented_reference=first.reference, **kwargs)
    with pytest.raises(ReferenceNotFound):
        services.enquiry_convert(
            presented_reference="falcon ribbon spoon pond visit stanza tailor", **kwargs
        )
    assert Case.objects.count() == 1


def test_coming_forward_with_a_combined_reference_converts_the_combined_enquiry(make_user, opened):
    officer = make_user(Role.INTAKE_OFFICER)
    lost, current = opened(), opened()
    services.enquiry_merge(
        actor=officer, source=lost.enquiry, target=current.enquiry, justification="same"
    )
    services.enquiry_convert(
        actor=officer,
        presented_reference=lost.reference,
        given_names="A",
        family_name="B",
        date_of_birth=None,
        consent=True,
    )
    assert Enquiry.objects.get(pk=current.enquiry.pk).status == EnquiryStatus.CONVERTED


def test_statistics_from_the_enquiry_table(make_user, sign_in, opened):
    officer = make_user(Role.INTAKE_OFFICER)
    empty = selectors.enquiry_statistics(officer)
    assert (empty.total, empty.conversion_rate, empty.days_to_conversion_median) == (0, None, None)
    enquiries = [opened() for _ in range(5)]
    today = timezone.localdate()
    for offset, item in zip((10, 20, 3), enquiries[:3], strict=True):
        Enquiry.objects.filter(pk=item.enquiry.pk).update(
            opened_on=today - dt.timedelta(days=offset)
        )
        services.enquiry_convert(
            actor=officer,
            presented_reference=item.reference,
            given_names="A",
            family_name="B",
            date_of_birth=None,
            consent=True,
        )
    services.enquiry_merge(
        actor=officer,
        source=enquiries[3].enquiry,
        target=enquiries[4].enquiry,
        justification="same",
    )
    stats = selectors.enquiry_statistics(officer)
    assert (stats.total, stats.open, stats.combined, stats.converted) == (5, 1, 1, 3)
    assert stats.awaiting_reply == 1
    assert stats.conversion_rate == 0.75
    assert stats.days_to_conversion_median == 10.0
    assert stats.days_to_conversion_mean == 11.0
    assert (stats.days_to_conversion_min, stats.days_to_conversion_max) == (3, 20)
    html = sign_in(make_user(Role.ANALYST)).get("/enquiries/statistics").content.decode()
    assert '<dd class="govuk-summary-list__value" id="stat-rate">75.0%</dd>' in html
    assert "median 10, mean 11.0, shortest 3, longest 20" in html
    assert selectors.enquiry_statistics(make_user(Role.INVESTIGATOR)).total == 0
