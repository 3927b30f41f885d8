"""The demo (SQLite) database file is owner-only, mode 0600 (issue 11.8): it holds fictional
but special-category-shaped data, and SQLite would otherwise create it with the umask
(usually 0644, readable by every local user)."""

from __future__ import annotations

import os
import stat
from types import SimpleNamespace

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper

from comeforward.demo.management.commands import demo
from comeforward.web.apps import sqlite_file_create_private, sqlite_file_path


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _sqlite(path) -> dict:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}


def test_the_file_is_created_0600_whatever_the_umask(tmp_path):
    path = tmp_path / "var" / "comeforward.sqlite3"
    old = os.umask(0o022)
    try:
        sqlite_file_create_private(_sqlite(path))
    finally:
        os.umask(old)
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700


def test_an_existing_loose_file_is_tightened(tmp_path):
    path = tmp_path / "comeforward.sqlite3"
    path.write_bytes(b"")
    path.chmod(0o644)
    sqlite_file_create_private(_sqlite(path))
    assert _mode(path) == 0o600


@pytest.mark.sqlite_only  # opens a second connection with the default's (SQLite) settings
@pytest.mark.django_db
def test_opening_a_sqlite_database_tightens_its_file(tmp_path):
    from django.db import connections

    path = tmp_path / "other.sqlite3"
    path.write_bytes(b"")
    path.chmod(0o664)
    wrapper = DatabaseWrapper(
        {**connections["default"].settings_dict, "NAME": str(path)}, alias="cf-mode-probe"
    )
    try:
        wrapper.ensure_connection()
    finally:
        wrapper.close()
    assert _mode(path) == 0o600


def test_memory_and_other_engines_are_left_alone():
    assert sqlite_file_path(_sqlite(":memory:")) is None
    assert sqlite_file_path(_sqlite("file:memorydb?mode=memory")) is None
    assert sqlite_file_path({"ENGINE": "django.db.backends.postgresql", "NAME": "x"}) is None


def test_the_demo_command_creates_its_database_0600(tmp_path, monkeypatch):
    path = tmp_path / "var" / "comeforward.sqlite3"
    seen = []
    fake = SimpleNamespace(VAR_DIR=tmp_path / "var", DATABASES={"default": _sqlite(path)})
    monkeypatch.setattr(demo, "settings", fake)
    monkeypatch.setattr(demo, "call_command", lambda *a, **k: seen.append(_mode(path)))
    monkeypatch.setattr(demo, "load_demo_data", lambda: None)
    old = os.umask(0o022)
    try:
        demo.Command(stdout=open(os.devnull, "w")).handle(port=8000, no_serve=True)  # noqa: SIM115
    finally:
        os.umask(old)
    assert seen == [0o600]  # already private when migrate first opens it
