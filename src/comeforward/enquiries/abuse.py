"""Abuse resistance without third parties (users-and-security §3.2 req. 11; ADR 0201).

- **Form token**: a signed token (Django ``signing``, keyed by SECRET_KEY) issued with the
  question form. It carries the notice version shown, the time it was issued and a random
  nonce. It must be at least ``ENQUIRY_MIN_FORM_SECONDS`` old (scripts post at once; people
  read the notice first), at most ``ENQUIRY_FORM_MAX_AGE_SECONDS`` old, and is single-use.
  No cookie or session is involved, so nothing links two visits.
- **Honeypot**: a field people cannot see or reach that scripts fill in.
- **Rate limits**: fixed windows in the Django cache, per reference (by enquiry id) and
  service-wide — never per IP address.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache

from .conf import setting
from .errors import FormAlreadyUsed, FormTokenInvalid, FormTooQuick, HoneypotFilled, RateLimited

_FORM_SALT = "comeforward.enquiries.form"
_THREAD_SALT = "comeforward.enquiries.thread"


@dataclass(frozen=True)
class FormToken:
    notice_version: str
    issued_at: float
    nonce: str


def form_token_issue(*, notice_version: str, now: float | None = None) -> str:
    issued = time.time() if now is None else now
    payload = {"v": notice_version, "t": issued, "n": secrets.token_urlsafe(16)}
    return signing.dumps(payload, salt=_FORM_SALT, compress=False)


def form_token_read(token: str, *, now: float | None = None) -> FormToken:
    """Check signature, age and (without consuming it) single use."""
    current = time.time() if now is None else now
    try:
        payload = signing.loads(token, salt=_FORM_SALT)
        parsed = FormToken(str(payload["v"]), float(payload["t"]), str(payload["n"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise FormTokenInvalid("This form has expired or was changed. Start again.")
    age = current - parsed.issued_at
    if age > setting("ENQUIRY_FORM_MAX_AGE_SECONDS") or age < -5:
        raise FormTokenInvalid("This form has expired. Start again.")
    minimum = setting("ENQUIRY_MIN_FORM_SECONDS")
    if age < minimum:
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
