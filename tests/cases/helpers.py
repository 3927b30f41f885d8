from __future__ import annotations

from comeforward.audit.access import remember_reason


def client_with_reason(sign_in, user, case):
    """A signed-in client that has already given its reason for opening ``case``."""
    client = sign_in(user)
    session = client.session

    class _Request:
        pass

    request = _Request()
    request.session = session
    remember_reason(request, "case", case.pk, "Testing")
    session.save()
    return client
