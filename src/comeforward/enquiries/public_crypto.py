"""Encryption the public-facing process may do: it can write, but not read, messages.

users-and-security §3.2 req. 5: content is encrypted to a key the web tier cannot use —
libsodium sealed boxes (X25519 + XSalsa20-Poly1305, via PyNaCl) to ``ENQUIRY_PUBLIC_KEY``.
Replies from staff — and, since issue 20.6, the enquirer's own messages — are also sealed to
a second key pair derived from the enquirer's reference (``reference.reply_seed``), so only
the reference holder can open them on return and read the whole conversation.

This module must never read the staff private key setting (a test checks the source).
"""

from __future__ import annotations

import base64

from django.conf import settings
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from . import reference
from .errors import EnquiryChannelNotConfigured


def decode_key(text: str) -> bytes:
    """Standard or URL-safe base64, padding optional."""
    text = text.strip().replace("-", "+").replace("_", "/")
    return base64.b64decode(text + "=" * (-len(text) % 4))


def staff_public_key() -> PublicKey:
    value = getattr(settings, "ENQUIRY_PUBLIC_KEY", None)
    if not value:
        raise EnquiryChannelNotConfigured("ENQUIRY_PUBLIC_KEY is not set")
    return PublicKey(decode_key(value))


def pepper() -> str:
    value = getattr(settings, "ENQUIRY_REFERENCE_PEPPER", None)
    if not value:
        raise EnquiryChannelNotConfigured("ENQUIRY_REFERENCE_PEPPER is not set")
    return str(value)


def seal(text: str, recipient: PublicKey) -> str:
    return base64.b64encode(SealedBox(recipient).encrypt(text.encode("utf-8"))).decode()


def seal_for_staff(text: str) -> str:
    return seal(text, staff_public_key())


def seal_for_holder(text: str, reply_public_key_b64: str) -> str:
    """Seal to the enquiry's reply key, so that the reference holder can read it again
    (their own messages as well as replies: issue 20.6)."""
    return seal(text, PublicKey(decode_key(reply_public_key_b64)))


def reply_keypair(normalised: str, params: reference.ScryptParams) -> PrivateKey:
    return PrivateKey(reference.reply_seed(pepper(), normalised, params))


def reply_public_key_b64(private: PrivateKey) -> str:
    return base64.b64encode(bytes(private.public_key)).decode()


def open_reply(ciphertext: str, private: PrivateKey) -> str | None:
    """A reply the holder can read, or ``None`` if it was sealed to another key."""
    try:
        return SealedBox(private).decrypt(base64.b64decode(ciphertext)).decode("utf-8")
    except (CryptoError, ValueError):
        return None
