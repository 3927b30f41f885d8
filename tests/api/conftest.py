"""Fixtures for the integration API tests: registered clients and their tokens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from comeforward.api import services
from comeforward.api.scopes import SCOPES
from comeforward.roles import Role


@pytest.fixture
def make_client(db, police_force):
    """``make_client(role, scopes, organisation=None, **kw)`` → ``(ApiClient, token)``."""

    def make(role=Role.SUPERVISOR, scopes=None, organisation=None, **fields):
        fields.setdefault("expires_at", timezone.now() + dt.timedelta(days=30))
        if scopes is None:
            scopes = [s for s in SCOPES if role == Role.ADMINISTRATOR or s != "audit:read"]
        return services.api_client_create(
            actor=None,
            name=fields.pop("name", f"Test {role} client"),
            purpose=fields.pop("purpose", "Integration tests"),
            organisation=organisation or police_force,
            role=role,
            scopes=scopes,
            **fields,
        )

    return make


@pytest.fixture
def api(db):
    """``api(token)`` → a test client that sends the bearer token on every call."""

    def bound(token: str | None) -> Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return Client(headers=headers)

    return bound
