"""What every operation does around its selector or service call: the role rule the web
pages apply, the case action (when an extension offers one) and the audit record of the call.

Role rules are the web views' own (``role_required(...)`` on the matching page); a test
(tests/api/test_permissions.py) checks that each rule here equals the view's
``allowed_roles``, so the API and the web cannot drift apart. Where the case-extension
contract (``cases.extensions``) offers an action for the write, ``require_action`` decides
instead, like the web's decorator (issue 19.2).
"""

from __future__ import annotations

from comeforward.audit.operations import Operation
from comeforward.cases import extensions
from comeforward.errors import DomainError
from comeforward.exhibits import access as exhibit_access
from comeforward.roles import CASEWORK_ROLES, Role

from . import services


class RoleNotPermitted(DomainError):
    code = "ROLE_NOT_PERMITTED"


#: web: cases.views.intake
INTAKE_ROLES = frozenset({Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR})
#: web: cases.views.case_list / case_detail
CASE_READERS = frozenset(CASEWORK_ROLES)
#: web: register.views.register_detail (READERS) and notification_new
REGISTER_READERS = frozenset({Role.OFFENDER_MANAGER, Role.SUPERVISOR, Role.INVESTIGATOR})
NOTIFICATION_RECORDERS = frozenset({Role.OFFENDER_MANAGER})
#: web: audit.views.trail
AUDIT_READERS = frozenset({Role.ADMINISTRATOR})


#: web: exhibits.views.exhibit_detail (VIEWERS) and examination_import (EXAMINERS)
EXHIBIT_VIEWERS = frozenset(exhibit_access.VIEWERS)
TRIAGE_IMPORTERS = frozenset(exhibit_access.EXAMINERS)


def require_role(request, roles, doing: str) -> None:
    user = request.user
    if not user.has_role(*roles):
        raise RoleNotPermitted(
            f"A client acting as {user.get_role_display().lower()} cannot {doing}",
            details={"role": user.role, "allowed_roles": sorted(roles)},
        )


def require_case_action(request, case, key: str, *, roles, doing: str) -> None:
    """The case action ``key`` decides when an extension offers it; else the web's role rule."""
    offered = extensions.actions_for(request.user, case)
    if key in offered:
        extensions.require_action(request.user, case, key)
    else:
        require_role(request, roles, doing)


def audit_call(request, records, *, operation: str = Operation.CONSULT, **details) -> None:
    services.api_call_audit(
        client=request.api_client,
        scope=request.api_scope,
        operation_id=_operation_id(request),
        records=[str(r) for r in records],
        operation=operation,
        details=details or None,
    )


def _operation_id(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.url_name if match and match.url_name else request.path


def respond(request, data, *, status: int = 200):
    """Render ``data`` as the operation's response without re-validating it row by row.

    For lists whose rows the operation's ``*_out`` function already builds in exactly the
    shape of its declared response schema (plain ints, strings, dates, datetimes): running
    each of a hundred rows back through pydantic cost about as much as reading the page
    (issue 18.6; docs/benchmarks.md). The OpenAPI schema is unchanged — it is still the
    operation's ``response=`` — and the schema tests (schemathesis, and
    tests/api/test_serialisation.py, which validates every such list against its schema) hold
    the rendered body to it. Headers and renderer are the API's own (``api.create_response``).
    """
    from .api import api

    return api.create_response(request, data, status=status)
