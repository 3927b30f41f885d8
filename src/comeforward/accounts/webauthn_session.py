"""WebAuthn request context: the relying party for a request, and single-use challenges.

- RP ID is the request's host without its port; the origin is scheme + host (+ port)
  (WebAuthn Level 3 §5.1.3 step 8, §7.1 step 9: the RP ID must be a registrable domain
  suffix of the origin's effective domain, so an IP address such as 127.0.0.1 cannot be one;
  browse to ``localhost`` in development). The host has already been checked against
  ``ALLOWED_HOSTS`` by ``request.get_host()``.
- Challenges are random (``webauthn.helpers.generate_challenge``, 64 bytes; WebAuthn §13.4.3
  asks for at least 16), kept in the server-side session, bound to one purpose, and removed
  the first time they are taken — whether or not the response then verifies — so that a
  response can never be replayed (ASVS 5.0 6.5.1, "OTPs usable once";
  users-and-security.md §4.2).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.http import HttpRequest
from django.http.request import split_domain_port
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.generate_challenge import generate_challenge

from comeforward.errors import DomainError

SESSION_KEY = "webauthn_challenge"
#: A challenge older than this is refused (the browser's own timeout is 60 s, §5.4 timeout).
CHALLENGE_LIFETIME_SECONDS = 300

REGISTER = "register"
AUTHENTICATE = "authenticate"


class WebAuthnChallengeMissing(DomainError):
    """No current challenge for this ceremony: never issued, already used, or too old."""

    code = "WEBAUTHN_CHALLENGE_MISSING"


@dataclass(frozen=True)
class RelyingParty:
    """Who the credential is for: the RP ID scoping the key and the origin pages come from."""

    id: str
    origin: str
    name: str = "Come forward"


def relying_party_for(request: HttpRequest) -> RelyingParty:
    """The relying party a request is made to: RP ID = host without port, origin = scheme+host."""
    host = request.get_host()
    domain, _port = split_domain_port(host)
    return RelyingParty(id=domain, origin=f"{request.scheme}://{host}")


def challenge_issue(session, purpose: str) -> bytes:
    """A fresh challenge for ``purpose``, replacing any earlier one in this session."""
    challenge = generate_challenge()
    session[SESSION_KEY] = {
        "purpose": purpose,
        "value": bytes_to_base64url(challenge),
        "issued_at": time.time(),
    }
    return challenge


def challenge_take(session, purpose: str) -> bytes:
    """Remove and return the session's challenge for ``purpose`` (single use)."""
    stored = session.pop(SESSION_KEY, None)
    if not isinstance(stored, dict) or stored.get("purpose") != purpose:
        raise WebAuthnChallengeMissing(
            "Start again: there is no security key request waiting for an answer",
            details={"purpose": purpose},
        )
    if time.time() - float(stored.get("issued_at", 0)) > CHALLENGE_LIFETIME_SECONDS:
        raise WebAuthnChallengeMissing(
            "Start again: the security key request has expired",
            details={"purpose": purpose, "lifetime_seconds": CHALLENGE_LIFETIME_SECONDS},
        )
    return base64url_to_bytes(stored["value"])
