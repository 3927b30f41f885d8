"""The documents given to the person in Welsh (issue 20.9): the notice of notification
requirements and the letter at the end, generated in Welsh on request (a draft translation,
said so in the document), with the PDF's language set; a kind not yet translated is refused
in Welsh, never given silently in English."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zlib

import pytest

from comeforward.audit.models import AuditEvent
from comeforward.documents.services import LanguageNotAvailable, document_generate
from comeforward.roles import Role

from .conftest import cautioned_case, open_record

pytestmark = pytest.mark.django_db
D = dt.date
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext is not installed"
)


def _objects(data: bytes) -> bytes:
    inflated = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(inflated)


@needs_pdftotext
def test_the_notice_in_welsh(make_user, police_force, fixed_today):
    fixed_today(D(2025, 3, 2))
    manager = make_user(Role.OFFENDER_MANAGER, full_name="Nia Notice")
    case = cautioned_case(police_force)
    open_record(case, D(2025, 3, 1))
    document = document_generate(
        actor=manager,
        case=case,
        kind="notification_notice",
        justification="Their copy",
        language="cy",
    )
    data = bytes(document.content)
    text = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert "Hysbysiad o’r gofynion hysbysu" in text
    assert f"Achos {case.reference}" in text
    assert "Dyddiad perthnasol 1 Mawrth 2025" in text
    assert "Hysbysiad cychwynnol Erbyn 3 Mawrth 2025" in text
    assert "Cyfieithiad drafft sy’n aros am adolygiad" in text  # never presented as verified
    assert "Cyfnod 2 flynedd" in text  # the law's period text, in Welsh
    assert "Deddf Troseddau Rhywiol 2003 adran 83(1), (6): mae’r hysbysiad cychwynnol" in text
    assert "Tudalen 1 o 1" in text
    objects = _objects(data)
    assert b"/Lang (cy)" in objects and b"/StructTreeRoot" in objects
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.details["language"] == "cy"
    english = document_generate(
        actor=manager, case=case, kind="notification_notice", justification="Their copy"
    )
    assert b"/Lang (en-GB)" in _objects(bytes(english.content))


def test_a_document_not_yet_in_welsh_is_refused_in_welsh(
    make_user, police_force, sign_in, monkeypatch
):
    from comeforward.documents import services

    manager = make_user(Role.OFFENDER_MANAGER)
    case = cautioned_case(police_force)
    open_record(case, D(2025, 3, 1))
    # Every kind given to the person is in Welsh now; a kind added without a translation
    # (left out of WELSH_KINDS) is refused in Welsh, never given silently in English.
    monkeypatch.setattr(services, "WELSH_KINDS", services.WELSH_KINDS - {"notification_notice"})
    with pytest.raises(LanguageNotAvailable):
        document_generate(
            actor=manager, case=case, kind="notification_notice", justification="x", language="cy"
        )
    with pytest.raises(LanguageNotAvailable):
        document_generate(
            actor=manager, case=case, kind="notification_notice", justification="x", language="fr"
        )
