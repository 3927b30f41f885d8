"""Fixtures shared by the web-application tests."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from comeforward.cases.extensions import CaseExtension, extensions, extensions_overridden
from comeforward.roles import OrganisationType, Role

from .factories import DEFAULT_ORG_TYPE, OrganisationFactory, TotpDeviceFactory, UserFactory


@pytest.fixture
def police_force(db):
    return OrganisationFactory(
        name="Testshire Police", code="testshire-police", kind=OrganisationType.POLICE_FORCE
    )


@pytest.fixture
def make_user(db, police_force):
    """``make_user(Role.X, organisation=None)`` → a user with a confirmed TOTP device."""

    def make(role: str = Role.INVESTIGATOR, organisation=None, **fields):
        if organisation is None:
            kind = DEFAULT_ORG_TYPE[role]
            organisation = (
                police_force
                if kind == OrganisationType.POLICE_FORCE
                else OrganisationFactory(name=f"Test {kind}", code=f"test-{kind}", kind=kind)
            )
        user = UserFactory(role=role, organisation=organisation, **fields)
        TotpDeviceFactory(user=user)
        return user

    return make


@pytest.fixture
def sign_in():
    """``sign_in(user)`` → a test Client signed in *and* past MFA (as after the TOTP step)."""

    def signed_in(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
        session.save()
        return client

    return signed_in


class _FactsStub(CaseExtension):
    """A test extension answering the workflow facts it is given (a dict read at each call,
    or a function of the case)."""

    key = "test_facts"

    def __init__(self, values: dict[str, Any] | Callable[[Any], dict[str, Any]]):
        self.values = values

    def facts(self, case):
        return dict(self.values(case) if callable(self.values) else self.values)


def _narrowed(ext: CaseExtension, **hooks: Callable[..., Any]) -> CaseExtension:
    """The same extension (same key, panel, documents…) with some hooks replaced."""
    cls = type(ext)
    return type(f"Test{cls.__name__}", (cls,), hooks)()


class CaseExtensionsSwap:
    """What the ``case_extensions`` fixture gives a test (restored after it)."""

    def __init__(self, stack: contextlib.ExitStack):
        self._stack = stack
        self._originals = {e.key: e for e in extensions()}

    @contextlib.contextmanager
    def scoped(self):
        """The same swaps for part of a test only: ``with case_extensions.scoped() as s:``."""
        with contextlib.ExitStack() as stack:
            yield CaseExtensionsSwap(stack)

    def use(self, *replacements: CaseExtension, only: bool = False) -> list[CaseExtension]:
        """Replace the extensions with the same keys (or, ``only``, all of them)."""
        return self._stack.enter_context(extensions_overridden(*replacements, only=only))

    def facts(self, values) -> Any:
        """Every extension's workflow facts replaced by ``values`` (a dict the test may change,
        or a function of the case); returns ``values``."""
        silent = [_narrowed(e, facts=lambda self, case: {}) for e in extensions()]
        self.use(*silent, _FactsStub(values))
        return values

    def keep_facts(self, *keys: str) -> None:
        """Only the named extensions answer workflow facts (the other apps' are tested in
        their own suites); a later call may name more."""
        swapped = []
        for current in extensions():
            own = type(self._originals.get(current.key, current))
            if current.key in keys:
                swapped.append(_narrowed(current, facts=own.facts))
            else:
                swapped.append(_narrowed(current, facts=lambda self, case: {}))
        self.use(*swapped)

    def keep_policy_sources(self, *citations: str) -> None:
        """Only the named policy sources are read (e.g. ``"Person record (age today)"``)."""

        def keeping(parent: type[CaseExtension]):
            def narrowed(self, case):
                found = parent.policy_sources(self, case)
                return {source: facts for source, facts in found.items() if source in citations}

            return narrowed

        self.use(*(_narrowed(e, policy_sources=keeping(type(e))) for e in extensions()))


@pytest.fixture
def case_extensions():
    """Swap case extensions for one test (``cases.extensions.extensions_overridden``), never
    their private state: ``case_extensions.facts({...})``, ``.keep_facts("decisions")``,
    ``.keep_policy_sources("Person record (age today)")``, ``.use(MyExtension())``."""
    with contextlib.ExitStack() as stack:
        yield CaseExtensionsSwap(stack)
