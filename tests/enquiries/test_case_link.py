"""The enquiry and the case made from it link to each other, under the consent the person
gave when they came forward; answering an enquiry has its own reason for access, kept on the
consultation and on the reply (issue 20.6)."""

from __future__ import annotations

import pytest

from comeforward.audit.access import remember_reason
from comeforward.audit.models import AuditEvent
from comeforward.cases.services import case_team_add
from comeforward.enquiries import services
from comeforward.roles import Role

pytestmark = pytest.mark.django_db


def _reasons(client, **subjects):
    session = client.session

    class _Request:
        pass

    request = _Request()
    request.session = session
    for key, reason in subjects.items():
        kind, _, pk = key.partition("_")
        remember_reason(request, kind, pk, reason)
    session.save()
    return client


@pytest.fixture
def converted(make_user, opened):
    officer = make_user(Role.INTAKE_OFFICER, full_name="Ira Intake")
    first = opened("Would I be charged?")
    case = services.enquiry_convert(
        actor=officer,
        presented_reference=first.reference,
        given_names="Robin",
        family_name="Enquirer",
        date_of_birth=None,
        consent=True,
    )
    return officer, first.enquiry, case


def test_the_enquiry_page_links_to_the_case(converted, sign_in, make_user):
    officer, enquiry, case = converted
    client = _reasons(sign_in(officer), **{f"enquiry_{enquiry.pk}": "I am answering this enquiry"})
    html = client.get(f"/enquiries/{enquiry.pk}/").content.decode()
    row = html.split('data-testid="enquiry-case"')[1].split("</dd>")[0]
    assert f'href="/cases/{case.pk}/"' in row and case.reference in row
    assert "agreed to the link" in row
    # A responder who is not on the case team learns only that there is a case.
    other = make_user(Role.INTAKE_OFFICER, full_name="Other Officer")
    html = (
        _reasons(sign_in(other), **{f"enquiry_{enquiry.pk}": "x"})
        .get(f"/enquiries/{enquiry.pk}/")
        .content.decode()
    )
    row = html.split('data-testid="enquiry-case"')[1].split("</dd>")[0]
    assert case.reference not in row and "not on the team" in row


def test_the_case_page_links_to_the_enquiry_for_responders_only(converted, sign_in, make_user):
    officer, enquiry, case = converted
    html = _reasons(sign_in(officer), **{f"case_{case.pk}": "x"}).get(f"/cases/{case.pk}/")
    panel = html.content.decode().split('data-testid="case-enquiry"')[1].split("</p>")[0]
    assert f'href="/enquiries/{enquiry.pk}/"' in panel and enquiry.designation in panel
    investigator = make_user(Role.INVESTIGATOR)
    case_team_add(actor=None, case=case, user=investigator)
    html = _reasons(sign_in(investigator), **{f"case_{case.pk}": "x"}).get(f"/cases/{case.pk}/")
    panel = html.content.decode().split('data-testid="case-enquiry"')[1].split("</p>")[0]
    assert enquiry.designation in panel and "/enquiries/" not in panel
    # A partner organisation on the case never sees it.
    assessor = make_user(Role.INDEPENDENT_ASSESSOR)
    from comeforward.cases.services import case_partner_grant

    case_partner_grant(
        actor=None, case=case, organisation=assessor.organisation, role=Role.INDEPENDENT_ASSESSOR
    )
    html = _reasons(sign_in(assessor), **{f"case_{case.pk}": "x"}).get(f"/cases/{case.pk}/")
    assert html.status_code == 200
    assert 'data-testid="case-enquiry"' not in html.content.decode()


def test_answering_an_enquiry_is_a_reason_for_access_kept_on_the_reply(sign_in, make_user, opened):
    officer = make_user(Role.INTAKE_OFFICER)
    enquiry = opened().enquiry
    client = sign_in(officer)
    first = client.get(f"/enquiries/{enquiry.pk}/")
    assert first.status_code == 302 and "/audit/reason" in first["Location"]
    page = client.get(first["Location"]).content.decode()
    assert "Why are you opening this enquiry?" in page
    assert "I am answering this enquiry" in page
    assert "I am working on this case" not in page
    response = client.post(first["Location"], {"reason": "enquiry_answer"})
    assert response.status_code == 302
    assert client.get(f"/enquiries/{enquiry.pk}/").status_code == 200
    consult = AuditEvent.objects.filter(scope="enquiry.messages").get()
    assert consult.justification == "I am answering this enquiry"
    client.post(f"/enquiries/{enquiry.pk}/reply", {"message": "Thank you for asking."})
    reply = AuditEvent.objects.filter(scope="enquiry.reply").get()
    assert reply.justification == "I am answering this enquiry"
    # A case's reasons are unchanged.
    assert (
        "I am working on this case"
        in client.get("/audit/reason?subject=case:1&next=/").content.decode()
    )
