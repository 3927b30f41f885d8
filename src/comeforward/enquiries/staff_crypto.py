"""The staff-side decrypting path (users-and-security §3.2 req. 5).

Only the back-office process holds ``ENQUIRY_PRIVATE_KEY``; on the public-facing process it is
absent and every call here raises ``EnquiryPrivateKeyUnavailable``.
"""

from __future__ import annotations

import base64

from django.conf import settings
from nacl.public import PrivateKey, SealedBox

from .errors import EnquiryPrivateKeyUnavailable
from .public_crypto import decode_key


def staff_private_key() -> PrivateKey:
    value = getattr(settings, "ENQUIRY_PRIVATE_KEY", None)
    if not value:
        raise EnquiryPrivateKeyUnavailable(
            "This process does not hold the enquiry private key, so it cannot read messages"
        )
    return PrivateKey(decode_key(value))


def open_for_staff(ciphertext: str) -> str:
    return SealedBox(staff_private_key()).decrypt(base64.b64decode(ciphertext)).decode("utf-8")
