"""Each enquiry belongs to one force, and only that force's staff read it; the thread token
shown to the enquirer is opaque (issue 11.8; docs/need-to-know.md)."""

from __future__ import annotations

import base64
import json

import pytest

from comeforward.audit.models import AuditEvent
from comeforward.cases.models import Case
from comeforward.enquiries import selectors, services, thread_token
from comeforward.enquiries.errors import FormTokenInvalid, ReferenceNotFound
from comeforward.enquiries.force import enquiry_force
from comeforward.roles import OrganisationType, Role

from ..factories import OrganisationFactory
from .conftest import thread_token as token_in

pytestmark = pytest.mark.django_db


def _other_force():
    return OrganisationFactory(
        name="Otherton Constabulary", code="otherton", kind=OrganisationType.POLICE_FORCE
    )


def test_an_enquiry_goes_to_the_one_force(opened, police_force):
    assert opened().enquiry.organisation_id == police_force.pk


def test_with_several_forces_the_setting_decides(opened, police_force, settings):
    other = _other_force()
    settings.ENQUIRY_FORCE = "otherton"
    assert opened().enquiry.organisation_id == other.pk
    settings.ENQUIRY_FORCE = "test-assessment_service"  # not a police force
    OrganisationFactory(code="test-assessment_service", kind=OrganisationType.ASSESSMENT_SERVICE)
    assert enquiry_force() is None


def test_an_undecided_force_keeps_the_question_for_nobody_until_assigned(
    opened, police_force, make_user, capsys
):
    """Several forces and no ENQUIRY_FORCE: the question is kept (nothing lost) but read by
    nobody (fail closed) until an operator assigns it."""
    from django.core.management import call_command

    other = _other_force()
    enquiry = opened().enquiry
    assert enquiry.organisation_id is None
    supervisors = [make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR, organisation=other)]
    for supervisor in supervisors:
        assert list(selectors.enquiries_visible_to(supervisor)) == []
    with pytest.raises(SystemExit) as exit_info:
        call_command("enquiries_assign_force", "no-such-force")
    assert exit_info.value.code == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "ENQUIRY_FORCE_UNKNOWN"
    call_command("enquiries_assign_force", "testshire-police")
    assert json.loads(capsys.readouterr().out) == {
        "organisation": "testshire-police",
        "assigned": 1,
    }
    assert list(selectors.enquiries_visible_to(supervisors[0])) == [enquiry]
    assert list(selectors.enquiries_visible_to(supervisors[1])) == []
    event = AuditEvent.objects.get(scope="enquiry.force")
    assert event.details == {"organisation": "testshire-police", "enquiries": [enquiry.pk]}


def test_another_forces_staff_cannot_read_an_enquiry(
    make_user, sign_in, opened, police_force, settings
):
    enquiry = opened().enquiry  # made to Testshire Police
    other = _other_force()
    outsiders = [make_user(role, organisation=other) for role in (Role.INTAKE_OFFICER,)]
    outsiders.append(make_user(Role.SUPERVISOR, organisation=other))
    insider = make_user(Role.INTAKE_OFFICER)
    for user, expected in [(insider, 200), *[(u, 404) for u in outsiders]]:
        client = sign_in(user)
        session = client.session
        session["access_reasons"] = {f"enquiry:{enquiry.pk}": "Answering the enquiry"}
        session.save()
        assert client.get(f"/enquiries/{enquiry.pk}/").status_code == expected
        queue = client.get("/enquiries/").content.decode()
        assert (enquiry.designation in queue) is (expected == 200)
        for action in ("reply", "tags", "merge"):
            status = client.post(f"/enquiries/{enquiry.pk}/{action}", {"message": "x"}).status_code
            assert (status == 404) is (expected == 404), (user.role, action, status)
    assert selectors.enquiry_statistics(outsiders[1]).total == 0
    assert selectors.enquiry_statistics(insider).total == 1


def test_another_force_cannot_convert_the_enquiry(make_user, opened):
    first = opened()
    officer = make_user(Role.INTAKE_OFFICER, organisation=_other_force())
    with pytest.raises(ReferenceNotFound):
        services.enquiry_convert(
            actor=officer,
            presented_reference=first.reference,
            given_names="Alex",
            family_name="Example",
            date_of_birth=None,
            consent=True,
        )
    assert Case.objects.count() == 0


def test_an_enquiry_with_no_force_is_read_by_nobody(make_user, opened):
    enquiry = opened().enquiry
    enquiry.organisation = None
    enquiry.save()
    assert list(selectors.enquiries_visible_to(make_user(Role.SUPERVISOR))) == []


def test_thread_token_is_opaque_and_still_works(public_client, opened):
    first = opened()
    html = public_client.post("/ask/return", {"reference": first.reference}).content.decode()
    token = token_in(html)
    # No database id to read: not Django's signed base64 JSON, nothing decodes to {"e": id}.
    head = token.split(":")[0]
    try:
        decoded = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4))
        readable = json.loads(decoded)
    except ValueError:
        readable = None
    assert not (isinstance(readable, dict) and "e" in readable)
    assert thread_token.thread_token_read(token) == first.enquiry.pk
    assert thread_token.thread_token_issue(first.enquiry.pk) != token  # a fresh nonce each time
    response = public_client.post(
        "/ask/return/message", {"message": "More", "thread_token": token, "leave_blank": ""}
    )
    assert response.status_code == 200
    tampered = token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")
    with pytest.raises(FormTokenInvalid):
        thread_token.thread_token_read(tampered)


def test_thread_token_expires(settings, opened, monkeypatch):
    first = opened()
    token = thread_token.thread_token_issue(first.enquiry.pk)
    import time as time_module

    real = time_module.time
    monkeypatch.setattr(time_module, "time", lambda: real() + 31 * 60)
    with pytest.raises(FormTokenInvalid):
        thread_token.thread_token_read(token)
