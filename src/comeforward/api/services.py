"""Writes of the integration API: registering, revoking and authenticating clients, and the
idempotent-create store (issue 18.2, 18.3; docs/api.md).

Tokens are ``cf_<prefix>_<secret>``: a 12-character public prefix that finds the client and a
256-bit random secret. Only the SHA-256 of the whole token is stored (a random secret of that
strength needs no slow password hash); it is shown once, when the client is registered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from comeforward.accounts import services as account_services
from comeforward.audit.operations import Operation, Outcome
from comeforward.audit.services import audit_record
from comeforward.errors import DomainError
from comeforward.roles import ROLE_ORGANISATION_TYPES, Role

from .models import ApiClient, IdempotentResponse
from .scopes import ADMINISTRATOR_ONLY, SCOPES, unknown_scopes

TOKEN_PREFIX = "cf_"  # noqa: S105 - the public marker of a client token, not a secret
#: The longest a client may be registered for (renew by registering a new one).
MAX_LIFETIME = dt.timedelta(days=397)


class ApiClientInvalid(DomainError):
    code = "API_CLIENT_INVALID"


class TokenMissing(DomainError):
    code = "TOKEN_MISSING"


class TokenInvalid(DomainError):
    code = "TOKEN_INVALID"


class TokenExpired(DomainError):
    code = "TOKEN_EXPIRED"


class ClientRevoked(DomainError):
    code = "CLIENT_REVOKED"


class AddressNotAllowed(DomainError):
    code = "ADDRESS_NOT_ALLOWED"


class ScopeRequired(DomainError):
    code = "SCOPE_REQUIRED"


class IdempotencyKeyReused(DomainError):
    code = "IDEMPOTENCY_KEY_REUSED"


class IdempotencyKeyInvalid(DomainError):
    code = "IDEMPOTENCY_KEY_INVALID"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    prefix = secrets.token_hex(6)
    return prefix, f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


def _clean_allowlist(entries) -> list[str]:
    cleaned, bad = [], []
    for entry in entries or ():
        text = str(entry).strip()
        if not text:
            continue
        try:
            cleaned.append(str(ipaddress.ip_network(text, strict=False)))
        except ValueError:
            bad.append(text)
    if bad:
        raise ApiClientInvalid(
            "Enter IP addresses or networks such as 192.0.2.10 or 198.51.100.0/24",
            details={"ip_allowlist": bad},
        )
    return cleaned


def api_client_create(
    *,
    actor,
    name: str,
    purpose: str,
    organisation,
    role: str,
    scopes,
    expires_at: dt.datetime,
    ip_allowlist=(),
) -> tuple[ApiClient, str]:
    """Register a client and return it with its token (shown once, never stored).

    An administrator registers clients of their own organisation only (``actor=None`` is the
    operator at the command line). The client's service principal is an account in ``role``
    that cannot sign in to the web service; ``audit:read`` needs the administrator role."""
    problems: dict[str, Any] = {}
    name, purpose = (name or "").strip(), (purpose or "").strip()
    scopes = sorted(set(scopes or ()))
    if not name:
        problems["name"] = "Enter the client's name"
    if not purpose:
        problems["purpose"] = "Enter what the client uses the API for"
    if not scopes:
        problems["scopes"] = "Choose at least one scope"
    elif unknown_scopes(scopes):
        problems["scopes"] = f"Unknown scopes: {', '.join(unknown_scopes(scopes))}"
    elif set(scopes) & ADMINISTRATOR_ONLY and role != Role.ADMINISTRATOR:
        problems["scopes"] = "Only a client acting as an administrator may read the audit trail"
    if role not in ROLE_ORGANISATION_TYPES:
        problems["role"] = "Choose the role the client acts in"
    now = timezone.now()
    if expires_at is None or expires_at <= now:
        problems["expires_at"] = "The expiry must be in the future"
    elif expires_at > now + MAX_LIFETIME:
        problems["expires_at"] = "A client can be registered for at most 13 months"
    if problems:
        raise ApiClientInvalid(
            "The client cannot be registered: " + "; ".join(problems.values()),
            details={"fields": problems},
        )
    allowlist = _clean_allowlist(ip_allowlist)
    prefix, token = _new_token()
    with transaction.atomic():
        principal = account_services.user_create(
            actor=actor,
            email=f"api-client-{prefix}@clients.comeforward.invalid",
            full_name=f"API client: {name}"[:200],
            organisation=organisation,
            role=role,
            password=None,  # unusable: the principal never signs in to the web service
        )
        client = ApiClient.objects.create(
            name=name,
            purpose=purpose,
            organisation=organisation,
            principal=principal,
            scopes=scopes,
            ip_allowlist=allowlist,
            token_prefix=prefix,
            token_sha256=token_digest(token),
            expires_at=expires_at,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            operation=Operation.COLLECT,
            subject_type="api_client",
            subject_id=client.pk,
            subject_ref=prefix,
            scope="api.client",
            details={
                "name": name,
                "organisation": organisation.code,
                "role": role,
                "scopes": scopes,
                "expires_at": expires_at.isoformat(),
                "ip_allowlist": allowlist,
            },
        )
    return client, token


def api_client_revoke(*, actor, client: ApiClient, reason: str) -> ApiClient:
    """Revoke a client at once: its token stops working and its principal is deactivated."""
    if not (reason or "").strip():
        raise ApiClientInvalid("Enter why the client is being revoked", details={"reason": ""})
    if client.revoked_at is not None:
        raise ApiClientInvalid("This client is already revoked", details={"client": client.pk})
    with transaction.atomic():
        client.revoked_at = timezone.now()
        client.revoked_reason = reason.strip()[:300]
        client.save(update_fields=["revoked_at", "revoked_reason"])
        if client.principal.is_active:
            account_services.user_deactivate(
                actor=actor, user=client.principal, reason=f"API client revoked: {reason}"
            )
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="api_client",
            subject_id=client.pk,
            subject_ref=client.token_prefix,
            scope="api.client.revoked",
            justification=reason.strip(),
        )
    return client


def api_client_authenticate(token: str, *, address: str | None) -> ApiClient:
    """The client a bearer token belongs to, or the refusal: unknown or malformed token,
    expired, revoked, or a caller address outside the allow-list. Constant-time comparison."""
    if not token:
        raise TokenMissing("Send the client's token as 'Authorization: Bearer <token>'")
    start = len(TOKEN_PREFIX)
    prefix = token[start : start + 12]
    if (
        not token.startswith(TOKEN_PREFIX)
        or len(token) > 100
        or token[start + 12 : start + 13] != "_"
        or len(prefix) != 12
    ):
        raise TokenInvalid("The token is not a valid client token")
    client = (
        ApiClient.objects.filter(token_prefix=prefix)
        .select_related("principal", "principal__organisation", "organisation")
        .first()
    )
    if client is None or not hmac.compare_digest(client.token_sha256, token_digest(token)):
        raise TokenInvalid("The token is not a valid client token")
    if client.revoked_at is not None or not client.principal.is_active:
        raise ClientRevoked("This client has been revoked", details={"client": prefix})
    if client.expires_at <= timezone.now():
        raise TokenExpired(
            "This client's registration has expired",
            details={"client": prefix, "expired_at": client.expires_at.isoformat()},
        )
    if client.ip_allowlist:
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            ip = None
        if ip is None or not any(
            ip in ipaddress.ip_network(net, strict=False) for net in client.ip_allowlist
        ):
            raise AddressNotAllowed(
                "Calls from this address are not allowed for this client",
                details={"client": prefix},
            )
    return client


def require_scope(client: ApiClient, scope: str) -> None:
    if scope not in SCOPES:  # a programming error in an operation's declaration
        raise ValueError(f"Unknown scope {scope!r}")
    if scope not in client.scopes:
        raise ScopeRequired(
            f"This client's token does not carry the scope {scope}",
            details={"scope": scope, "client": client.token_prefix},
        )


def api_call_audit(
    *,
    client: ApiClient,
    scope: str,
    operation_id: str,
    records: list[str],
    operation: str = Operation.CONSULT,
    outcome: str = Outcome.SUCCESS,
    details: dict[str, Any] | None = None,
) -> None:
    """One audit record per API call: which client, under which scope, which records (issue
    18.2). Reads are consultations, so the client's registered purpose is the justification."""
    audit_record(
        actor=client.principal,
        operation=operation,
        subject_type="api_call",
        subject_id=client.pk,
        subject_ref=client.token_prefix,
        scope=f"api:{scope}",
        justification=f"Integration client {client.name}: {client.purpose}",
        outcome=outcome,
        details={
            "client": client.token_prefix,
            "operation_id": operation_id,
            "records": records[:200],
            "records_count": len(records),
            **(details or {}),
        },
    )


# --- Idempotency-Key on creates (issue 18.3; draft-ietf-httpapi-idempotency-key-header) ----


@dataclass(frozen=True)
class Replay:
    status: int
    body: Any


def idempotency_key_check(key: str | None) -> str | None:
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 200 or not key.isprintable():
        raise IdempotencyKeyInvalid(
            "The Idempotency-Key must be 1 to 200 printable characters",
            details={"header": "Idempotency-Key"},
        )
    return key


def request_fingerprint(*parts: Any) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else json.dumps(part, sort_keys=True, default=str)
        if isinstance(data, str):
            data = data.encode()
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def idempotent_replay(
    *, client: ApiClient, key: str | None, operation: str, fingerprint: str
) -> Replay | None:
    """The stored response for this key, or ``None`` to go ahead. The same key with another
    request (or another operation) is refused: a key names one request."""
    if key is None:
        return None
    stored = IdempotentResponse.objects.filter(client=client, key=key).first()
    if stored is None:
        return None
    if stored.request_sha256 != fingerprint or stored.operation != operation:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used for a different request",
            details={"header": "Idempotency-Key"},
        )
    return Replay(status=stored.status, body=stored.body)


def idempotent_create(
    *, client: ApiClient, key: str | None, operation: str, fingerprint: str, create
) -> Replay:
    """Run ``create()`` (returning ``(status, body)``) once per key: the create and the stored
    response commit together, so a failed create stores nothing and a concurrent retry with
    the same key waits, then is answered from the store."""
    replay = idempotent_replay(client=client, key=key, operation=operation, fingerprint=fingerprint)
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            status, body = create()
            if key is not None:
                IdempotentResponse.objects.create(
                    client=client,
                    key=key,
                    operation=operation,
                    request_sha256=fingerprint,
                    status=status,
                    body=body,
                )
    except IntegrityError:
        replay = idempotent_replay(
            client=client, key=key, operation=operation, fingerprint=fingerprint
        )
        if replay is None:
            raise
        return replay
    return Replay(status=status, body=body)
