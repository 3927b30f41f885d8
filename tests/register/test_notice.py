"""The written notice of requirements as a documents kind, with the person's deadlines."""

from __future__ import annotations

import datetime as dt

import pytest

from comeforward.documents.registry import DocumentUnavailable, document_kind
from comeforward.roles import Role

from .conftest import cautioned_case, open_record

pytestmark = pytest.mark.django_db
D = dt.date


def test_notice_kind_lists_the_persons_deadlines(make_user, police_force, fixed_today):
    from django.template.loader import render_to_string

    fixed_today(D(2025, 3, 2))
    manager = make_user(Role.OFFENDER_MANAGER)
    case = cautioned_case(police_force)
    kind = document_kind("notification_notice")
    assert kind.roles == frozenset({Role.OFFENDER_MANAGER, Role.SUPERVISOR})
    with pytest.raises(DocumentUnavailable):
        kind.context(manager, case)
    open_record(case, D(2025, 3, 1))
    context = kind.context(manager, case)
    html = render_to_string(
        kind.template,
        context
        | {
            "case": case,
            "document_title": kind.title,
            "generated_at": dt.datetime(2025, 3, 2, 12, 0, tzinfo=dt.UTC),
            "generated_by": manager,
            "marking": "OFFICIAL-SENSITIVE",
        },
    )
    assert "By 3 March 2025" in html
    assert "28 February 2027" in html
    assert "SOA 2003 s.83(1), (6): the initial notification is due within 3 days" in html


@pytest.mark.skipif(
    __import__("shutil").which("pdftotext") is None, reason="pdftotext is not installed"
)
def test_notice_pdf_generates_end_to_end_with_the_persons_deadlines(
    make_user, police_force, fixed_today
):
    """The registered kind through ``document_generate``: real PDF, the person's own dates in
    its text, protective marking on every page, audited as a disclose."""
    import subprocess

    from comeforward.audit.models import AuditEvent
    from comeforward.documents.services import document_generate
    from comeforward.register import services

    fixed_today(D(2025, 3, 2))
    manager = make_user(Role.OFFENDER_MANAGER, full_name="Nia Notice")
    case = cautioned_case(police_force)
    record = open_record(case, D(2025, 3, 1))
    services.register_notification_record(
        actor=manager, record=record, kind="initial", date=D(2025, 3, 2)
    )
    document = document_generate(
        actor=manager, case=case, kind="notification_notice", justification="Their copy"
    )
    data = bytes(document.content)
    assert data.startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    pages = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    assert pages and all(page.count("OFFICIAL-SENSITIVE") == 2 for page in pages)
    flat = " ".join(text.split())
    assert "Notice of notification requirements" in flat
    assert f"Case {case.reference}" in flat
    assert "Relevant date 1 March 2025" in flat
    assert "Period 2 years" in flat
    assert "Last day subject 28 February 2027" in flat
    assert "Initial notification By 3 March 2025 (made 2 March 2025)" in flat
    # s.85(1), (3): one year *after* the last notification (law.deadlines).
    assert "Next periodic notification By 2 March 2026" in flat
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.operation, event.scope) == ("disclose", "document.notification_notice")


@pytest.mark.skipif(
    __import__("shutil").which("pdftotext") is None, reason="pdftotext is not installed"
)
def test_end_of_requirements_letter_only_once_the_period_has_ended(
    make_user, police_force, fixed_today
):
    """13.5: after the sweep closes a 2-year period, the letter to the person is a real PDF
    through the documents app, naming the day it ended; before that it is refused."""
    import subprocess

    from comeforward.audit.models import AuditEvent
    from comeforward.documents.services import document_generate
    from comeforward.register import services

    fixed_today(D(2027, 2, 28))
    manager = make_user(Role.OFFENDER_MANAGER)
    case = cautioned_case(police_force)
    open_record(case, D(2025, 3, 1))
    with pytest.raises(DocumentUnavailable):
        document_generate(
            actor=manager, case=case, kind="requirements_ended", justification="Their letter"
        )
    services.register_sweep(today=D(2027, 3, 1))
    document = document_generate(
        actor=manager, case=case, kind="requirements_ended", justification="Their letter"
    )
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=bytes(document.content), capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "Requirements ended 28 February 2027" in flat
    assert "beginning with the relevant date ended on this day (s.82)" in flat
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.operation, event.scope) == ("disclose", "document.requirements_ended")
