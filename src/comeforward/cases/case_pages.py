"""Case pages, mounted once (issue 19.3; docs/extensions.md).

Every page about one case lives under ``cases/<case_id>/<extension key>/…``: an app lists its
pages in its case extension's ``case_urls()`` and :func:`case_urlpatterns` mounts them all
(``web/urls.py``), in the extension's URL namespace (``decisions:recommend``…).

Every one of those pages is a :func:`case_page`: before the view runs, the case is loaded
**scoped to the user** (``cases.selectors.case_get_for_user``: a case the user may not see is
a 404, need-to-know per force and team) and the consultation is written to the audit trail
with the user's reason (DPA 2018 s.62(2); the reason is asked once per case per session,
``audit.access``). The view receives the loaded case as ``record``. Mounting refuses a view
that is not a case page, so that no case URL can skip the audit.

:func:`case_action` is the view's side of the one permission rule (issue 19.2): it reads the
extension's ``allowed_actions`` — the same answers the panel's buttons and the service's guard
(``cases.extensions.require_action``) read — and, when the user may not take the action now,
goes back to the case page with the reason in plain words. Role checks stay with
``ui.permissions.role_required`` (outside ``case_page``: a role that may never act is refused
before it is asked for a reason).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, include, path

from comeforward.audit.access import consult_with_reason
from comeforward.cases.extensions import action_for, extensions

#: The marker :func:`case_page` leaves on a view (kept by ``functools.wraps`` in the
#: decorators around it), read when mounting.
SCOPE_ATTRIBUTE = "case_page_scope"


def _load_case(request, case_id: int, **_kwargs):
    from comeforward.cases.selectors import case_get_for_user

    return case_get_for_user(request.user, case_id=case_id)


def case_page(scope: str, *, load: Callable[..., Any] | None = None):
    """Load the case (scoped to the user), record the consultation with the reason, pass the
    case to the view as ``record``. ``scope`` names what is read ("decision.recommendation")."""
    audited = consult_with_reason(subject_type="case", scope=scope, load=load or _load_case)

    def decorator(view):
        wrapper = audited(view)
        setattr(wrapper, SCOPE_ATTRIBUTE, scope)
        return wrapper

    return decorator


def case_action(key: str):
    """Only when the extension allows ``key`` to this user on this case now (inside
    :func:`case_page`, which gives ``record``); otherwise back to the case page with why."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, record, **kwargs):
            action = action_for(request.user, record, key)
            if not action.allowed:
                messages.error(request, action.reason or f"You cannot {action.label.lower()}")
                return redirect("cases:detail", case_id=record.pk)
            return view(request, *args, record=record, **kwargs)

        wrapper.case_action = key
        return wrapper

    return decorator


def _views(patterns) -> list[tuple[str, Any]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += [(f"{pattern.pattern}{p}", v) for p, v in _views(pattern.url_patterns)]
        elif isinstance(pattern, URLPattern):
            found.append((str(pattern.pattern), pattern.callback))
    return found


def case_urlpatterns() -> list[URLResolver]:
    """Every extension's case pages under ``cases/<case_id>/<key>/``, namespace ``key`` (or
    the extension's ``url_namespace``)."""
    mounted = []
    for ext in extensions():
        urls = ext.case_urls()
        if not urls:
            continue
        for route, view in _views(urls):
            if getattr(view, SCOPE_ATTRIBUTE, None) is None:
                raise ImproperlyConfigured(
                    f"{ext!r}: the case URL {route!r} is not a case_page (cases/case_pages.py)"
                )
        namespace = ext.url_namespace or ext.key
        mounted.append(path(f"cases/<int:case_id>/{ext.key}/", include((urls, namespace))))
    return mounted
