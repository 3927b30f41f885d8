"""Service navigation per role: each role sees only the areas it works in."""

from __future__ import annotations

from dataclasses import dataclass

from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from comeforward.roles import CASEWORK_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str  # lazy: translated when the page is drawn
    url_name: str
    roles: frozenset[str]


ALL_ROLES = frozenset(Role.values)

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(_("Home"), "frontend:home", ALL_ROLES),
    NavItem(_("Cases"), "cases:list", frozenset(CASEWORK_ROLES)),
    NavItem(_("Search"), "cases:search", frozenset(CASEWORK_ROLES)),
    NavItem(
        _("Record a referral"),
        "cases:intake",
        frozenset({Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR}),
    ),
    NavItem(_("Register"), "register:list", frozenset({Role.OFFENDER_MANAGER, Role.SUPERVISOR})),
    NavItem(_("Enquiries"), "enquiries:queue", frozenset({Role.INTAKE_OFFICER, Role.SUPERVISOR})),
    NavItem(_("Statistics"), "stats:index", frozenset({Role.ANALYST, Role.SUPERVISOR})),
    # Registered triage report signing keys (issue 11.4, docs/triage-report-signing.md).
    NavItem(
        _("Triage keys"), "triage-keys:list", frozenset({Role.SUPERVISOR, Role.FORENSIC_EXAMINER})
    ),
    NavItem(_("Audit trail"), "audit:trail", frozenset({Role.ADMINISTRATOR})),
    NavItem(_("Users"), "accounts:users", frozenset({Role.ADMINISTRATOR})),
)


def items_for(user, current_path: str = "") -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if user.role not in item.roles:
            continue
        try:
            href = reverse(item.url_name)
        except NoReverseMatch:  # that part of the service is not installed
            continue
        items.append({"href": href, "text": item.label, "active": False})
    # Only the most specific item is current (``/cases/intake`` rather than ``/cases/``).
    matching = [
        entry
        for entry in items
        if current_path == entry["href"]
        or (entry["href"] != "/" and current_path.startswith(entry["href"]))
    ]
    if matching:
        max(matching, key=lambda entry: len(entry["href"]))["active"] = True
    return items


def navigation(request) -> dict:
    """Template context processor: navigation, the CSP nonce and the GOV.UK asset path."""
    context = {
        "cspNonce": str(getattr(request, "csp_nonce", "")),
        "assetPath": static("govuk/assets"),
        "navigation": [],
    }
    user = getattr(request, "user", None)
    if user is not None and getattr(request, "is_mfa_verified", False):
        context["navigation"] = items_for(user, request.path)
    return context
