"""Messages are encrypted to a key the public process does not hold (users-and-security §3.2
req. 5 and 12): the web tier can write but not read."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox
from nacl.secret import SecretBox

from comeforward.enquiries import public_crypto, selectors, services, staff_crypto
from comeforward.enquiries.errors import EnquiryPrivateKeyUnavailable
from comeforward.enquiries.models import Direction, EnquiryMessage

from .conftest import ask, thread_token

pytestmark = pytest.mark.django_db
APP = Path(public_crypto.__file__).parent
PUBLIC_MODULES = [
    "public_crypto.py",
    "reference.py",
    "views_public.py",
    "abuse.py",
    "forms.py",
    "privacy.py",
    "urls_public.py",
]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_public_code_path_never_reads_the_private_key(name):
    source = (APP / name).read_text()
    assert "ENQUIRY_PRIVATE_KEY" not in source
    assert "staff_crypto" not in source


def _key_material_in(settings) -> list[bytes]:
    """Every secret the public-facing settings hold, as candidate 32-byte keys."""
    candidates = []
    for name in ("ENQUIRY_PUBLIC_KEY", "ENQUIRY_REFERENCE_PEPPER", "SECRET_KEY", "AUDIT_HMAC_KEY"):
        value = str(getattr(settings, name))
        candidates.append(hashlib.sha256(value.encode()).digest())
        try:
            raw = public_crypto.decode_key(value)
            if len(raw) == 32:
                candidates.append(raw)
        except ValueError:
            pass
    for value in settings.FIELD_ENCRYPTION_KEYS:
        candidates.append(base64.urlsafe_b64decode(value))
    return candidates


def test_public_process_stores_messages_it_cannot_read(public_client, settings):
    del settings.ENQUIRY_PRIVATE_KEY  # the public-facing process's settings
    reference = ask(public_client, "Sealed question about treatment")
    html = public_client.post("/ask/return", {"reference": reference}).content.decode()
    response = public_client.post(
        "/ask/return/message",
        {"message": "Sealed follow-up", "thread_token": thread_token(html), "leave_blank": ""},
    )
    assert response.status_code == 200  # the public flow never needed the private key
    stored = list(EnquiryMessage.objects.values_list("sealed_for_staff", flat=True))
    assert len(stored) == 2
    for ciphertext in stored:
        with pytest.raises(EnquiryPrivateKeyUnavailable):
            staff_crypto.open_for_staff(ciphertext)
        for key in _key_material_in(settings):
            with pytest.raises(CryptoError):
                SealedBox(PrivateKey(key)).decrypt(base64.b64decode(ciphertext))
            with pytest.raises(CryptoError):
                SecretBox(key).decrypt(base64.b64decode(ciphertext))
        assert b"Sealed" not in base64.b64decode(ciphertext)


def test_staff_side_reads_with_the_private_key(opened, settings):
    first = opened("Readable by staff")
    (ciphertext,) = EnquiryMessage.objects.values_list("sealed_for_staff", flat=True)
    assert staff_crypto.open_for_staff(ciphertext) == "Readable by staff"
    assert [e.text for e in selectors.enquiry_thread_for_staff(first.enquiry)] == [
        "Readable by staff"
    ]


def test_reply_for_the_enquirer_needs_the_reference(opened, make_user):
    first = opened()
    services.enquiry_reply(actor=make_user("intake_officer"), enquiry=first.enquiry, message="Hi")
    reply = EnquiryMessage.objects.get(direction=Direction.TO_ENQUIRER)
    # The staff private key does not open the enquirer's copy ...
    with pytest.raises(CryptoError):
        SealedBox(staff_crypto.staff_private_key()).decrypt(
            base64.b64decode(reply.sealed_for_enquirer)
        )
    # ... the reference does, and a different reference does not.
    assert selectors.enquiry_replies_for_holder(first.enquiry, first.reference) == ["Hi"]
    assert (
        selectors.enquiry_replies_for_holder(
            first.enquiry, "falcon ribbon spoon pond visit stanza tailor"
        )
        == []
    )
    # Staff keep their own sealed copy for the thread.
    assert staff_crypto.open_for_staff(reply.sealed_for_staff) == "Hi"


def test_sealed_boxes_differ_for_the_same_text(opened):
    opened("same text")
    opened("same text")
    a, b = EnquiryMessage.objects.values_list("sealed_for_staff", flat=True)
    assert a != b
