"""``comeforward api_client create|list|revoke`` — integration clients from the command line
(issue 18.2; docs/api.md). The operator at the command line acts for the organisation named
(``--organisation CODE``); the token is printed once, in the JSON, and never stored.

    comeforward api_client create --organisation testshire-police --name "Niche sync" \\
        --purpose "Nightly case sync" --role supervisor --scope cases:read --scope tasks:read \\
        --expires 2027-03-31 [--allow 192.0.2.0/24]
    comeforward api_client list
    comeforward api_client revoke PREFIX --reason "Replaced"

Output is JSON; a refusal exits 2 with ``{"error": {"code", "message", "details"}}``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from comeforward.accounts import selectors as account_selectors
from comeforward.api import selectors, services
from comeforward.errors import DomainError


class Command(BaseCommand):
    help = "Register, list and revoke integration API clients."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Register a client; prints its token once")
        create.add_argument("--organisation", required=True, help="Organisation code")
        create.add_argument("--name", required=True)
        create.add_argument("--purpose", required=True)
        create.add_argument("--role", required=True, help="The role the client acts in")
        create.add_argument("--scope", action="append", default=[], dest="scopes")
        create.add_argument("--expires", required=True, help="YYYY-MM-DD (at most 13 months)")
        create.add_argument("--allow", action="append", default=[], help="IP address/network")
        sub.add_parser("list", help="List clients (never their tokens)")
        revoke = sub.add_parser("revoke", help="Revoke a client by its token prefix")
        revoke.add_argument("prefix")
        revoke.add_argument("--reason", required=True)

    def _fail(self, error: DomainError) -> None:
        self.stdout.write(error.as_json())
        sys.exit(2)

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as error:
            self._fail(error)

    def _create(self, *, organisation, name, purpose, role, scopes, expires, allow, **_):
        org = account_selectors.organisations_all().filter(code=organisation).first()
        if org is None:
            raise DomainError(
                f"No organisation with the code {organisation!r}",
                code="UNKNOWN_ORGANISATION",
                details={"organisation": organisation},
            )
        try:
            day = dt.date.fromisoformat(expires)
        except ValueError:
            raise DomainError(
                "Give the expiry as YYYY-MM-DD", code="INVALID_INPUT", details={"expires": expires}
            ) from None
        expires_at = dt.datetime.combine(
            day, dt.time(23, 59), tzinfo=timezone.get_current_timezone()
        )
        client, token = services.api_client_create(
            actor=None,
            name=name,
            purpose=purpose,
            organisation=org,
            role=role,
            scopes=scopes,
            expires_at=expires_at,
            ip_allowlist=allow,
        )
        self.stdout.write(json.dumps({**_describe(client), "token": token}))

    def _list(self, **_):
        rows = [_describe(c) for c in selectors.api_clients_all()]
        self.stdout.write(json.dumps({"clients": rows}))

    def _revoke(self, *, prefix, reason, **_):
        client = selectors.api_client_by_prefix(prefix)
        if client is None:
            raise DomainError(
                f"No client with the prefix {prefix!r}",
                code="UNKNOWN_API_CLIENT",
                details={"prefix": prefix},
            )
        client = services.api_client_revoke(actor=None, client=client, reason=reason)
        self.stdout.write(json.dumps(_describe(client)))


def _describe(client) -> dict:
    return {
        "id": client.pk,
        "prefix": client.token_prefix,
        "name": client.name,
        "purpose": client.purpose,
        "organisation": client.organisation.code,
        "role": client.principal.role,
        "scopes": client.scopes,
        "ip_allowlist": client.ip_allowlist,
        "expires_at": client.expires_at.isoformat(),
        "revoked_at": client.revoked_at.isoformat() if client.revoked_at else None,
    }
