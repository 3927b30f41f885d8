from __future__ import annotations

import pytest

from comeforward.audit.access import remember_reason


@pytest.fixture
def case_client(sign_in):
    """``case_client(user, case)`` → a signed-in client that has given its reason for the case."""

    def make(user, case):
        client = sign_in(user)
        session = client.session

        class _Request:
            pass

        request = _Request()
        request.session = session
        remember_reason(request, "case", case.pk, "Testing")
        session.save()
        return client

    return make
