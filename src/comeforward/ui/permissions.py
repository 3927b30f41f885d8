"""Role checks for views. Object-level need-to-know lives in each app's selectors."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied


def role_required(*roles: str):
    """Refuse (403) any user whose role is not one of ``roles``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated or not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)
        return wrapper

    return decorator
