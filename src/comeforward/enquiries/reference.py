"""The enquirer's reference: seven words, never stored, only a keyed hash of it.

users-and-security §3.1 (SecureDrop ``passphrases.py`` / ``source_user.py``) and §3.2 req. 2–3:

- 7 words drawn with ``secrets`` from a list of ≥ 7,000 words (``wordlist/words.txt``, 9,776
  words → 7 × log2 9,776 ≈ 92.8 bits);
- input is normalised (case, spacing, stray punctuation) before anything else, because
  "invalid codename" reports at SecureDrop came from stray spaces and capitals (#7661);
- three things are derived, each with its own subkey of the server-side pepper
  (docs/adr/0201-enquiry-reference-hashing.md):
    * a **lookup key**, HMAC-SHA256 — fast and indexed, so a reference can be found;
    * a **verifier**, scrypt with a per-row salt — slow, checked before anything is shown;
    * a **reply key seed**, scrypt with another per-row salt — the X25519 key that replies
      are sealed to, so that only the reference holder can read them later.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from .errors import EnquiryChannelNotConfigured, ReferenceMalformed, ReferenceNotFound

WORDS_FILE = Path(__file__).parent / "wordlist" / "words.txt"
REFERENCE_WORDS = 7
#: Longest input accepted before any hashing (SecureDrop bounds passphrases to avoid DoS).
MAX_INPUT_CHARS = 200
SCRYPT_R = 8
SCRYPT_P = 1
_NOT_LETTERS = re.compile(r"[^a-z]+")
_DESIGNATION_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L


@functools.cache
def wordlist() -> tuple[str, ...]:
    words = WORDS_FILE.read_text(encoding="utf-8").split()
    return tuple(dict.fromkeys(words))


@functools.cache
def _word_set() -> frozenset[str]:
    return frozenset(wordlist())


def reference_generate() -> str:
    """A new reference: 7 words from the list, chosen with the OS's CSPRNG."""
    words = wordlist()
    return " ".join(secrets.choice(words) for _ in range(REFERENCE_WORDS))


def reference_normalise(text: str) -> str:
    """Lower-case the input, treat anything that is not a letter as a gap, and check the words.

    ``"  Apple-Banana,CHERRY  …"`` → ``"apple banana cherry …"``.
    """
    if len(text) > MAX_INPUT_CHARS:
        raise ReferenceMalformed(
            "Your reference is too long. It is 7 words.",
            details={"max_chars": MAX_INPUT_CHARS},
        )
    words = _NOT_LETTERS.sub(" ", text.lower()).split()
    if len(words) != REFERENCE_WORDS:
        raise ReferenceMalformed(
            f"Enter all 7 words of your reference. You entered {len(words)}.",
            details={"words": len(words)},
        )
    unknown = [word for word in words if word not in _word_set()]
    if unknown:
        raise ReferenceMalformed(
            f"‘{unknown[0]}’ is not one of the words we use. Check the spelling.",
            details={"unknown_words": len(unknown)},
        )
    return " ".join(words)


def designation_generate() -> str:
    """The label staff see, unrelated to the reference: ``ENQ-7KQ2-M9XD``."""
    chars = "".join(secrets.choice(_DESIGNATION_ALPHABET) for _ in range(8))
    return f"ENQ-{chars[:4]}-{chars[4:]}"


def _subkey(pepper: str, purpose: str) -> bytes:
    if not pepper:
        raise EnquiryChannelNotConfigured("ENQUIRY_REFERENCE_PEPPER is not set")
    return hmac.new(pepper.encode(), f"comeforward.enquiries.{purpose}".encode(), "sha256").digest()


def lookup_key(pepper: str, normalised: str) -> str:
    """HMAC-SHA256(pepper → "lookup", reference), hex: the indexed column."""
    return hmac.new(_subkey(pepper, "lookup"), normalised.encode(), "sha256").hexdigest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode())


@dataclass(frozen=True)
class ScryptParams:
    log2_n: int
    salt: bytes
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    def encode(self) -> str:
        return f"scrypt${self.log2_n}${self.r}${self.p}${_b64(self.salt)}"

    @classmethod
    def decode(cls, text: str) -> ScryptParams:
        name, log2_n, r, p, salt = text.split("$")[:5]
        if name != "scrypt":
            raise ValueError(f"unknown key-derivation function {name!r}")
        return cls(log2_n=int(log2_n), salt=_unb64(salt), r=int(r), p=int(p))

    @classmethod
    def fresh(cls, log2_n: int) -> ScryptParams:
        return cls(log2_n=log2_n, salt=secrets.token_bytes(16))


def _scrypt(pepper: str, purpose: str, normalised: str, params: ScryptParams) -> bytes:
    password = hmac.new(_subkey(pepper, purpose), normalised.encode(), "sha256").digest()
    n = 2**params.log2_n
    return hashlib.scrypt(
        password, salt=params.salt, n=n, r=params.r, p=params.p, maxmem=256 * n * params.r, dklen=32
    )


def verifier_make(pepper: str, normalised: str, *, log2_n: int) -> str:
    """``scrypt$14$8$1$<salt>$<hash>``: the slow, salted, peppered verifier."""
    params = ScryptParams.fresh(log2_n)
    return f"{params.encode()}${_b64(_scrypt(pepper, 'verify', normalised, params))}"


def verifier_check(pepper: str, normalised: str, stored: str) -> None:
    """Raise ``ReferenceNotFound`` unless ``normalised`` matches the stored verifier."""
    params = ScryptParams.decode(stored)
    expected = _unb64(stored.rsplit("$", 1)[1])
    if not hmac.compare_digest(_scrypt(pepper, "verify", normalised, params), expected):
        raise ReferenceNotFound("We could not find an enquiry with that reference.")


def reply_seed(pepper: str, normalised: str, params: ScryptParams) -> bytes:
    """32 bytes from which the enquirer's X25519 reply key pair is made."""
    return _scrypt(pepper, "reply", normalised, params)
