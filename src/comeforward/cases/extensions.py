"""The case-extension contract: the one way an app adds to a case (issue 19.1, docs/extensions.md).

An app that knows something about a case, shows something on the case page, produces a
document, answers a search or lets a user act on a case implements **one**
:class:`CaseExtension` subclass in ``<app>/extension.py`` and registers it in one line from its
``AppConfig.ready``::

    # comeforward/safeguarding/apps.py
    def ready(self) -> None:
        from comeforward.cases.extensions import register_extension
        from .extension import SafeguardingExtension

        register_extension(SafeguardingExtension())

so that ``cases`` imports none of the apps that extend it, and no app needs to import another app
to add to a case (no app cycles: ``tests/architecture/test_app_cycles.py``). Every hook has a
harmless default (nothing known, no panel, no documents, no search results, no actions), so an
extension implements only what it owns.

What each hook answers:

``facts(case)``
    The workflow guards' facts this app owns (fields of ``cases.domain.workflow.CaseFacts``),
    e.g. ``{"safeguarding_screened": True}``. Unknown names are a programming error.
``policy_facts(case)``
    The eligibility policy's facts this app knows (fields of ``comeforward.policy.PolicyFacts``),
    cited on the recommendation as ``policy_source``. ``None`` values mean "not known here" and
    are dropped; the policy combines every source most-restrictively (issue 12.3).
``policy_sources(case)``
    For an app whose records are *several* sources the recommendation cites apart (the
    safeguarding screen and the children recorded): ``{citation: facts}``. The default is
    ``{policy_source: policy_facts(case)}``; override one or the other, not both.
``panel(request, case)``
    The context of this app's section of the case page, rendered with ``panel_template``;
    ``None`` hides the section. It must read through the app's selectors, scoped to
    ``request.user``, and take its buttons from ``allowed_actions`` (never re-derive a guard).
``document_kinds()``
    The documents this app can produce (``comeforward.documents.registry.DocumentKind``).
``search(user, query)``
    Search results this app contributes for a user (:class:`SearchHit`), already scoped; a hit
    that names a case (``case_id``) adds that case to the case search's results.
``allowed_actions(user, case)``
    **The one source of permissions** (issue 19.2): every action this app offers on a case,
    each an :class:`Action` saying whether ``user`` may take it now and, if not, why in plain
    words. It is pure over the objects given (no writes). The view decorator
    (``comeforward.cases.case_pages.case_action``), the panel's buttons and the service's guard
    (:func:`require_action`) all read it, so they cannot disagree.
``case_urls()``
    URL patterns for this app's case pages, mounted once under ``cases/<case_id>/<key>/``
    (namespace ``url_namespace`` or ``key``) where the case is loaded, scoped and its
    consultation audited with the reason.

Tests swap extensions with the ``case_extensions`` fixture (``tests/conftest.py``), which uses
:func:`extensions_overridden`; they never touch this module's private state.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from comeforward.errors import DomainError

if TYPE_CHECKING:  # pragma: no cover - types only
    from django.urls import URLPattern, URLResolver

    from comeforward.documents.registry import DocumentKind


class ActionNotAllowed(DomainError):
    """The user may not take this action on this case now (the reason says why)."""

    code = "ACTION_NOT_ALLOWED"


class UnknownAction(DomainError):
    code = "UNKNOWN_ACTION"


class ExtensionConflict(DomainError):
    code = "EXTENSION_CONFLICT"


@dataclass(frozen=True)
class Action:
    """One thing a user might do on a case, and whether they may do it now.

    ``key`` is ``"<extension key>.<verb>"`` (e.g. ``"decisions.recommend"``); ``reason`` says in
    plain words why not, when ``allowed`` is false ("Only a supervisor can approve a decision").
    ``error`` (a :class:`DomainError` subclass) and ``details`` are what the service guard
    raises when refused, so that an app keeps its stable error codes (docs/interfaces.md "Errors");
    by default :class:`ActionNotAllowed` (``ACTION_NOT_ALLOWED``).
    """

    key: str
    label: str
    allowed: bool
    reason: str = ""
    error: type[DomainError] | None = None
    code: str = ""
    details: Mapping[str, Any] | None = None

    def __bool__(self) -> bool:
        return self.allowed


def allow(key: str, label: str) -> Action:
    return Action(key=key, label=label, allowed=True)


def deny(
    key: str,
    label: str,
    reason: str,
    *,
    error: type[DomainError] | None = None,
    code: str = "",
    details: Mapping[str, Any] | None = None,
) -> Action:
    return Action(
        key=key,
        label=label,
        allowed=False,
        reason=reason,
        error=error,
        code=code,
        details=details,
    )


@dataclass(frozen=True)
class SearchHit:
    """One search result an extension contributes (already scoped to the user)."""

    title: str
    url: str
    kind: str
    summary: str = ""
    #: The case this hit belongs to, when it is one (the case search lists the case).
    case_id: int | None = None


class CaseExtension:
    """Base class of every case extension; override only the hooks the app owns."""

    #: The app's key: its URL segment under ``cases/<id>/`` and the prefix of its action keys.
    key: ClassVar[str] = ""
    #: The heading of its case-page section.
    title: ClassVar[str] = ""
    #: Where its section sits on the case page (lower first).
    order: ClassVar[int] = 100
    #: The Jinja template of its case-page section (``None``: no section).
    panel_template: ClassVar[str | None] = None
    #: How the recommendation cites this app's policy facts (``None``: it supplies none).
    policy_source: ClassVar[str | None] = None
    #: The URL namespace of its case pages (``None``: ``key``). An app whose other pages
    #: already use ``key`` as their namespace names another (``register-case``).
    url_namespace: ClassVar[str | None] = None

    def facts(self, case: Any) -> dict[str, Any]:
        return {}

    def policy_facts(self, case: Any) -> dict[str, Any]:
        return {}

    def policy_sources(self, case: Any) -> Mapping[str, dict[str, Any]]:
        if self.policy_source is None:
            return {}
        return {self.policy_source: self.policy_facts(case)}

    def panel(self, request: Any, case: Any) -> dict[str, Any] | None:
        return None

    def document_kinds(self) -> Iterable[DocumentKind]:
        return ()

    def search(self, user: Any, query: str) -> Iterable[SearchHit]:
        return ()

    def allowed_actions(self, user: Any, case: Any) -> Iterable[Action]:
        return ()

    def case_urls(self) -> list[URLPattern | URLResolver]:
        return []

    def intake_next(self, user: Any, case: Any) -> str | None:
        """A page the intake journey goes on to once the case is opened (optional questions
        the app asks at intake), or ``None``. The first extension (by ``order``) that offers
        one wins; that page leads on to the case page."""
        return None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key!r}>"


_EXTENSIONS: dict[str, CaseExtension] = {}


def register_extension(extension: CaseExtension) -> CaseExtension:
    """Register an app's extension (idempotent for the same class; a second class is refused)."""
    if not extension.key:
        raise ExtensionConflict(f"{type(extension).__name__} has no key")
    existing = _EXTENSIONS.get(extension.key)
    if existing is not None and type(existing) is not type(extension):
        raise ExtensionConflict(
            f"Two extensions claim the key {extension.key!r}",
            details={"existing": type(existing).__qualname__, "new": type(extension).__qualname__},
        )
    _EXTENSIONS[extension.key] = extension
    return extension


def extensions() -> list[CaseExtension]:
    """Every registered extension, in case-page order."""
    return sorted(_EXTENSIONS.values(), key=lambda e: (e.order, e.key))


def extension(key: str) -> CaseExtension:
    try:
        return _EXTENSIONS[key]
    except KeyError:
        known = {"known": sorted(_EXTENSIONS)}
        raise ExtensionConflict(f"No extension {key!r}", details=known) from None


@contextmanager
def extensions_overridden(
    *replacements: CaseExtension, only: bool = False
) -> Iterator[list[CaseExtension]]:
    """Swap extensions for a test: ``replacements`` replace those with the same key (or, with
    ``only=True``, become the only ones); everything is restored afterwards."""
    saved = dict(_EXTENSIONS)
    try:
        if only:
            _EXTENSIONS.clear()
        for replacement in replacements:
            _EXTENSIONS[replacement.key] = replacement
        yield extensions()
    finally:
        _EXTENSIONS.clear()
        _EXTENSIONS.update(saved)


# --- what the hooks add up to --------------------------------------------------------------


def actions_for(user: Any, case: Any) -> dict[str, Action]:
    """Every action every extension offers ``user`` on ``case``, by key."""
    found: dict[str, Action] = {}
    for ext in extensions():
        for action in ext.allowed_actions(user, case):
            if not action.key.startswith(ext.key + "."):
                raise ExtensionConflict(
                    f"{ext!r} offered an action outside its key: {action.key!r}"
                )
            found[action.key] = action
    return found


def action_for(user: Any, case: Any, key: str) -> Action:
    ext_key = key.split(".", 1)[0]
    ext = extension(ext_key)
    for action in ext.allowed_actions(user, case):
        if action.key == key:
            return action
    raise UnknownAction(f"{ext!r} offers no action {key!r}")


def require_action(user: Any, case: Any, key: str) -> Action:
    """The service guard: raise the action's error (by default :class:`ActionNotAllowed`)
    with the plain-words reason when ``user`` may not take it on ``case`` now."""
    action = action_for(user, case, key)
    if not action.allowed:
        raise (action.error or ActionNotAllowed)(
            action.reason or f"You cannot {action.label.lower()} on this case",
            # An app's own error keeps its own details (its callers read them).
            details=dict(action.details or {}) if action.error else {"action": key},
            code=action.code,
        )
    return action


def gathered_facts(case: Any, names: Iterable[str]) -> dict[str, Any]:
    """Every extension's workflow facts, checked against the allowed ``names``."""
    allowed = set(names)
    values: dict[str, Any] = {}
    for ext in extensions():
        update = ext.facts(case)
        unknown = set(update) - allowed
        if unknown:
            raise ValueError(f"{ext!r} returned unknown facts {sorted(unknown)}")
        values.update(update)
    return values


def policy_fact_sources(case: Any) -> Mapping[str, dict[str, Any]]:
    """Each policy source's known facts (``None`` dropped), by the source's citation."""
    sources: dict[str, dict[str, Any]] = {}
    for ext in extensions():
        for source, facts in ext.policy_sources(case).items():
            known = {k: v for k, v in facts.items() if v is not None}
            if known:
                sources[source] = known
    return sources


def intake_next_step(user: Any, case: Any) -> str | None:
    """Where the intake journey continues after the case is opened (``None``: the case page)."""
    for ext in extensions():
        url = ext.intake_next(user, case)
        if url:
            return url
    return None


def case_panels(request: Any, case: Any) -> list[dict[str, Any]]:
    """The case page's sections, in order, for this request's user (hidden ones left out)."""
    rendered = []
    for ext in extensions():
        if ext.panel_template is None:
            continue
        context = ext.panel(request, case)
        if context is not None:
            rendered.append(
                {
                    "key": ext.key,
                    "title": ext.title,
                    "template": ext.panel_template,
                    "context": context,
                }
            )
    return rendered


def search_hits(user: Any, query: str) -> list[SearchHit]:
    hits: list[SearchHit] = []
    for ext in extensions():
        hits.extend(ext.search(user, query))
    return hits


def all_document_kinds() -> list[DocumentKind]:
    kinds = [kind for ext in extensions() for kind in ext.document_kinds()]
    return sorted(kinds, key=lambda k: k.title)


__all__ = [
    "Action",
    "ActionNotAllowed",
    "CaseExtension",
    "ExtensionConflict",
    "SearchHit",
    "UnknownAction",
    "action_for",
    "actions_for",
    "all_document_kinds",
    "allow",
    "case_panels",
    "deny",
    "extension",
    "extensions",
    "extensions_overridden",
    "gathered_facts",
    "policy_fact_sources",
    "register_extension",
    "require_action",
    "search_hits",
]
