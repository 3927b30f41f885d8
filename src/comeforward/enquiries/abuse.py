"""Abuse resistance without third parties (users-and-security §3.2 req. 11; ADR 0201).

- **Form token**: a signed token (Django ``signing``, keyed by SECRET_KEY) issued with the
  question form. It carries the notice version shown, the time it was issued and a random
  nonce. It must be at most ``ENQUIRY_FORM_MAX_AGE_SECONDS`` old and is single-use. A minimum
  age (``ENQUIRY_MIN_FORM_SECONDS``) is off by default (issue 20.6): people paste a question
  they prepared and send it at once, which a minimum age refused as "too quickly".
  No cookie or session is involved, so nothing links two visits.
- **Honeypot**: a field people cannot see or reach that scripts fill in.
- **Proof of work that scales with load** (issue 11.6): there is no service-wide cap that
  one client could use up to lock everyone else out. Instead, while the channel is quiet
  every form works without JavaScript; once recent use (counted in the *shared* cache, a
  sliding window, no identifier of any kind) passes a free allowance, each new question and
  each reference look-up must carry a hashcash-style proof: a number ``x`` such that
  SHA-256(``nonce:x``) starts with ``bits`` zero bits, for the signed single-use nonce the
  page was served with. ``bits`` grows by ``bits_per_doubling`` each time the load doubles,
  so a flood costs its sender more and more, while each honest enquirer pays for one proof
  at the current level (a few seconds in the page's small script, ``proof-of-work.js``).
  Only requests that carried a good proof count towards the load, so junk cannot raise it.
- **Per-reference budget**: messages from one reference holder are limited per day (keyed by
  the enquiry id, never by address).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache

from .conf import setting
from .errors import (
    FormAlreadyUsed,
    FormTokenInvalid,
    FormTooQuick,
    HoneypotFilled,
    ProofRequired,
    RateLimited,
)

_FORM_SALT = "comeforward.enquiries.form"
_THREAD_SALT = "comeforward.enquiries.thread"
_CHALLENGE_SALT = "comeforward.enquiries.challenge"

#: What the proof of work protects: new questions and reference look-ups.
QUESTION = "question"
LOOKUP = "lookup"


@dataclass(frozen=True)
class FormToken:
    notice_version: str
    issued_at: float
    nonce: str
    bits: int = 0  # proof-of-work difficulty the form was served with


def form_token_issue(
    *, notice_version: str, now: float | None = None, bits: int | None = None
) -> str:
    issued = time.time() if now is None else now
    payload = {"v": notice_version, "t": issued, "n": secrets.token_urlsafe(16)}
    payload["d"] = work_bits(QUESTION, now=issued) if bits is None else bits
    return signing.dumps(payload, salt=_FORM_SALT, compress=False)


def form_token_read(token: str, *, now: float | None = None) -> FormToken:
    """Check signature, age and (without consuming it) single use."""
    current = time.time() if now is None else now
    try:
        payload = signing.loads(token, salt=_FORM_SALT)
        parsed = FormToken(
            str(payload["v"]), float(payload["t"]), str(payload["n"]), int(payload.get("d", 0))
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise FormTokenInvalid("This form has expired or was changed. Start again.")
    age = current - parsed.issued_at
    if age > setting("ENQUIRY_FORM_MAX_AGE_SECONDS") or age < -5:
        raise FormTokenInvalid("This form has expired. Start again.")
    minimum = setting("ENQUIRY_MIN_FORM_SECONDS")
    if minimum and age < minimum:
        raise FormTooQuick(
            "This was sent too quickly. Wait a few seconds, then send it again.",
            details={"min_seconds": minimum},
        )
    if cache.get(_nonce_key(parsed.nonce)):
        raise FormAlreadyUsed("This message has already been sent.")
    return parsed


def form_token_consume(token: FormToken) -> None:
    """Mark the token used. Raises ``FormAlreadyUsed`` if another request beat us to it."""
    if not cache.add(_nonce_key(token.nonce), 1, timeout=setting("ENQUIRY_FORM_MAX_AGE_SECONDS")):
        raise FormAlreadyUsed("This message has already been sent.")


def _nonce_key(nonce: str) -> str:
    return f"enq:form-used:{nonce}"


def thread_token_issue(enquiry_id: int) -> str:
    """Lets the page of replies send one or more new messages for a short while."""
    return signing.dumps({"e": enquiry_id}, salt=_THREAD_SALT)


def thread_token_read(token: str) -> int:
    try:
        payload = signing.loads(
            token, salt=_THREAD_SALT, max_age=setting("ENQUIRY_THREAD_TOKEN_SECONDS")
        )
        return int(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise FormTokenInvalid("This page has expired. Enter your reference again.")


def honeypot_check(value: str) -> None:
    if value.strip():
        raise HoneypotFilled("Leave the last field empty, then send your message again.")


_WINDOWS = {"hour": 3600, "day": 86400, "minute": 60}


# --- proof of work (issue 11.6) -------------------------------------------------------------


def _pow() -> dict:
    return setting("ENQUIRY_PROOF_OF_WORK")


def _load_key(purpose: str, window: int) -> str:
    return f"enq:load:{purpose}:{window}"


def work_load(purpose: str, *, now: float | None = None) -> float:
    """Recent use: this window's count plus the overlapping share of the previous window's
    (a sliding-window estimate kept in two shared-cache counters; no identifier)."""
    seconds = _pow()["window_seconds"]
    current = time.time() if now is None else now
    window = int(current // seconds)
    elapsed = (current % seconds) / seconds
    values = cache.get_many([_load_key(purpose, window), _load_key(purpose, window - 1)])
    this = values.get(_load_key(purpose, window), 0) or 0
    before = values.get(_load_key(purpose, window - 1), 0) or 0
    return this + before * (1 - elapsed)


def work_load_add(purpose: str, *, now: float | None = None) -> None:
    """Count one request that carried an acceptable proof (or needed none)."""
    seconds = _pow()["window_seconds"]
    window = int((time.time() if now is None else now) // seconds)
    key = _load_key(purpose, window)
    cache.add(key, 0, timeout=2 * seconds + 60)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=2 * seconds + 60)


def work_bits_for_load(load: float, *, free: int) -> int:
    """0 below the free allowance; then ``base_bits`` plus ``bits_per_doubling`` for every
    doubling of the load past it, up to ``max_bits``."""
    config = _pow()
    if load < free:
        return 0
    doublings = math.floor(math.log2(load / free))
    return min(config["max_bits"], config["base_bits"] + config["bits_per_doubling"] * doublings)


def work_bits(purpose: str, *, now: float | None = None) -> int:
    """The difficulty a form for ``purpose`` is served with now."""
    return work_bits_for_load(work_load(purpose, now=now), free=_pow()["free"][purpose])


def work_solves(nonce: str, proof: str, bits: int) -> bool:
    """Does SHA-256(``nonce:proof``) start with ``bits`` zero bits? (``proof-of-work.js``
    searches for such a ``proof``; the server checks it with one hash.)"""
    if bits <= 0:
        return True
    if not proof or len(proof) > 20 or not proof.isdigit():
        return False
    digest = hashlib.sha256(f"{nonce}:{proof}".encode()).digest()
    return int.from_bytes(digest, "big") >> (256 - bits) == 0


def work_solve(nonce: str, bits: int, *, limit: int = 1 << 28) -> str:
    """Find a proof (what the page's script does; used by tests and load checks)."""
    for n in range(limit):
        if work_solves(nonce, str(n), bits):
            return str(n)
    raise ValueError("no proof found within the limit")


def work_check(purpose: str, *, nonce: str, bits: int, proof: str, now: float | None = None):
    """Refuse a request whose form was served at too low a difficulty for the current load
    (less ``slack_bits``, so that a form opened a moment before a rise still works) or whose
    proof does not solve its own difficulty. Both raise ``ProofRequired``: the page is served
    again at today's difficulty and the script solves it on the next send."""
    required = work_bits(purpose, now=now)
    if bits < required - _pow()["slack_bits"] or not work_solves(nonce, proof, bits):
        raise ProofRequired(
            "The service is busy. Send your message again: your browser will first do a "
            "short check, which can take up to a minute. JavaScript must be turned on "
            "while the service is this busy.",
            details={"bits": max(required, bits)},
        )


def question_form_context(notice_version: str) -> dict:
    """Template context for the question form: its token and the proof it needs."""
    bits = work_bits(QUESTION)
    token = form_token_issue(notice_version=notice_version, bits=bits)
    nonce = signing.loads(token, salt=_FORM_SALT)["n"]
    return {"form_token": token, "proof_bits": bits, "proof_nonce": nonce}


def lookup_form_context() -> dict:
    """Template context for the reference form: a challenge and the proof it needs."""
    token = challenge_issue(LOOKUP)
    payload = signing.loads(token, salt=_CHALLENGE_SALT)
    return {"challenge": token, "proof_bits": payload["d"], "proof_nonce": payload["n"]}


@dataclass(frozen=True)
class Challenge:
    """A signed, single-use proof-of-work challenge for a form that has no form token."""

    purpose: str
    issued_at: float
    nonce: str
    bits: int


def challenge_issue(purpose: str, *, now: float | None = None) -> str:
    issued = time.time() if now is None else now
    payload = {"p": purpose, "t": issued, "n": secrets.token_urlsafe(16)}
    payload["d"] = work_bits(purpose, now=issued)
    return signing.dumps(payload, salt=_CHALLENGE_SALT, compress=False)


def challenge_read(token: str, purpose: str, *, now: float | None = None) -> Challenge | None:
    """The challenge, or ``None`` when absent or unreadable (then it counts as 0 bits)."""
    if not token:
        return None
    try:
        payload = signing.loads(token, salt=_CHALLENGE_SALT)
        parsed = Challenge(
            str(payload["p"]), float(payload["t"]), str(payload["n"]), int(payload["d"])
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    age = (time.time() if now is None else now) - parsed.issued_at
    if parsed.purpose != purpose or age > setting("ENQUIRY_FORM_MAX_AGE_SECONDS") or age < -5:
        return None
    return parsed


def challenge_check(purpose: str, token: str, proof: str, *, now: float | None = None) -> None:
    """``work_check`` for a form with a challenge; a solved challenge is used up once it had
    a difficulty (so one proof cannot be replayed for many requests)."""
    challenge = challenge_read(token, purpose, now=now)
    nonce, bits = (challenge.nonce, challenge.bits) if challenge else ("", 0)
    work_check(purpose, nonce=nonce, bits=bits, proof=proof, now=now)
    if bits > 0 and not cache.add(
        f"enq:challenge-used:{nonce}", 1, timeout=setting("ENQUIRY_FORM_MAX_AGE_SECONDS")
    ):
        raise ProofRequired("This check has already been used. Send your message again.")


def rate_limit_hit(name: str, *, scope: str = "all", now: float | None = None) -> None:
    """Count one event against limit ``name``; raise ``RateLimited`` once it is exceeded.

    ``name`` ends with its window (``…_per_hour``, ``…_per_day``, ``…_per_minute``).
    """
    limit = setting("ENQUIRY_RATE_LIMITS")[name]
    seconds = _WINDOWS[name.rsplit("_", 1)[1]]
    window = int((time.time() if now is None else now) // seconds)
    key = f"enq:rate:{name}:{scope}:{window}"
    cache.add(key, 0, timeout=seconds + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=seconds + 60)
        count = 1
    if count > limit:
        raise RateLimited(
            "Too many messages have been sent. Try again later.",
            details={"limit": name},
        )
