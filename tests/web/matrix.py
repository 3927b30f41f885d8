"""Test helper: a role × URL permission matrix that fails on any unexpected 200."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from comeforward.audit.access import remember_reason


def assert_matrix(
    matrix: Mapping[str, frozenset[str]],
    users: Mapping[str, object],
    sign_in: Callable,
    *,
    remember_reason_for: tuple[str, object] | None = None,
    refused_now: Callable[[object, str], bool] | None = None,
) -> None:
    """For every (user, url): 200 if the user's key or role is allowed, else 403/404.

    ``refused_now(user, url)``: for a role allowed the page, whether the case's permission rule
    (its extension's ``allowed_actions``) refuses the action *now* (a decision already made…);
    such a page sends the user back to the case page (302) instead of showing the form.

    ``users`` maps a label (usually the role) to a user; a user is allowed when its label is
    in the URL's set. With ``remember_reason_for``, the reason-for-access step is
    answered first, so that what is tested is need-to-know and not the reason prompt.
    """
    failures = []
    for label, user in users.items():
        client = sign_in(user)
        if remember_reason_for:
            session = client.session

            class _Request:  # the helper only needs .session
                pass

            request = _Request()
            request.session = session
            remember_reason(request, *remember_reason_for, "Testing need-to-know")
            session.save()
        for url, allowed in matrix.items():
            status = client.get(url).status_code
            expected_ok = label in allowed
            if expected_ok and refused_now is not None and refused_now(user, url):
                if status != 302:
                    failures.append(f"{label} → {url}: refused now, expected 302, got {status}")
                continue
            if expected_ok and status != 200:
                failures.append(f"{label} → {url}: expected 200, got {status}")
            if not expected_ok and status not in (403, 404):
                failures.append(f"{label} → {url}: expected 403/404, got {status}")
    assert not failures, "\n".join(failures)
