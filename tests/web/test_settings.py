"""Settings: DATABASE_URL parsing, secrets directories, production refusing to start, and the
SQLite configuration for concurrent use (web/settings/*; docs/deploy.md "Settings")."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from comeforward.web.settings.database import database_from_url, sqlite_database
from comeforward.web.settings.secrets import read_secret

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "comeforward.web.settings.production",
    "DJANGO_SECRET_KEY": "s" * 64,
    "AUDIT_HMAC_KEY": "ab" * 32,
    "FIELD_ENCRYPTION_KEYS": "rPS6S6Xk9oVXXMYdsJ0OBFW0-QpWkUJ4Syr7NTZwc7Q=",
    "ENQUIRY_PUBLIC_KEY": "b50GZ3gYq83+L1dXKdsgAgG1aQLBfXStBH/5axDoyT8=",
    "ENQUIRY_REFERENCE_PEPPER": "11" * 32,
    "DATABASE_URL": "postgres://cf@db.example:5432/cf",
    "COMEFORWARD_ALLOWED_HOSTS": "comeforward.police.example",
    "PATH": "/usr/bin:/bin",
}


def test_database_url_keeps_sslmode_and_decodes_the_password():
    config = database_from_url(
        "postgres://cf%40force:p%40ss%2Fw%3Ard@db.police.example:6432/comeforward"
        "?sslmode=verify-full&sslrootcert=/etc/ssl/force-ca.pem"
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"]) == ("cf@force", "p@ss/w:rd")
    assert (config["HOST"], config["PORT"], config["NAME"]) == (
        "db.police.example",
        6432,
        "comeforward",
    )
    assert config["OPTIONS"] == {"sslmode": "verify-full", "sslrootcert": "/etc/ssl/force-ca.pem"}
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


def test_a_sqlite_url_gets_the_concurrency_settings(tmp_path):
    config = database_from_url(f"sqlite:///{tmp_path}/x.sqlite3")
    assert config == sqlite_database(f"{tmp_path}/x.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] == 20
    assert "PRAGMA journal_mode=WAL" in config["OPTIONS"]["init_command"]


@pytest.mark.django_db
def test_sqlite_connection_is_wal_with_immediate_transactions(tmp_path):
    """A real connection made by Django from these settings (not just the dict)."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings_dict = {
        **sqlite_database(str(tmp_path / "db.sqlite3")),
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
    wrapper = DatabaseWrapper(settings_dict, alias="probe")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20000
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()


def test_secrets_come_from_a_secrets_directory(tmp_path, monkeypatch):
    (tmp_path / "audit_hmac_key").write_text("from-file\n")
    (tmp_path / "DJANGO_SECRET_KEY").write_text("upper-case-name")
    monkeypatch.delenv("AUDIT_HMAC_KEY", raising=False)
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    monkeypatch.setenv("COMEFORWARD_SECRETS_DIR", str(tmp_path))
    assert read_secret("AUDIT_HMAC_KEY") == "from-file"
    assert read_secret("DJANGO_SECRET_KEY") == "upper-case-name"
    monkeypatch.setenv("AUDIT_HMAC_KEY", "from-env")
    assert read_secret("AUDIT_HMAC_KEY") == "from-env"  # the environment wins


def test_secrets_come_from_systemd_credentials(tmp_path, monkeypatch):
    (tmp_path / "field_encryption_keys").write_text("k1,k2")
    monkeypatch.delenv("FIELD_ENCRYPTION_KEYS", raising=False)
    monkeypatch.delenv("COMEFORWARD_SECRETS_DIR", raising=False)
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    assert read_secret("FIELD_ENCRYPTION_KEYS") == "k1,k2"


def _production(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_starts_with_everything_given(tmp_path):
    proc = _production({**PRODUCTION_ENV, "COMEFORWARD_VAR_DIR": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "started"


def test_production_refuses_sqlite_and_names_every_missing_secret(tmp_path):
    env = {**PRODUCTION_ENV, "COMEFORWARD_VAR_DIR": str(tmp_path)}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/db.sqlite3"
    del env["AUDIT_HMAC_KEY"], env["ENQUIRY_REFERENCE_PEPPER"]
    proc = _production(env)
    assert proc.returncode != 0
    assert "production settings refuse to start" in proc.stderr
    assert "AUDIT_HMAC_KEY is not set" in proc.stderr
    assert "ENQUIRY_REFERENCE_PEPPER is not set" in proc.stderr
    assert "DATABASE_URL must be a PostgreSQL URL" in proc.stderr
    assert list(tmp_path.iterdir()) == []  # no database, no keys made


def test_production_refuses_without_a_database_url(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DATABASE_URL"}
    proc = _production({**env, "COMEFORWARD_VAR_DIR": str(tmp_path)})
    assert proc.returncode != 0
    assert "DATABASE_URL is not set" in proc.stderr


def test_the_command_line_says_why_production_refuses(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    env["COMEFORWARD_VAR_DIR"] = str(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "comeforward.cli", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("comeforward: configuration: production settings refuse")
    assert "DJANGO_SECRET_KEY is not set" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_production_serves_static_files_with_whitenoise(tmp_path):
    env = {**PRODUCTION_ENV, "COMEFORWARD_VAR_DIR": str(tmp_path)}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.MIDDLEWARE[s.MIDDLEWARE.index('django.middleware.security.SecurityMiddleware')+1]);"
        "print(s.STORAGES['staticfiles']['BACKEND'])"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.stdout.split() == [
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ], proc.stderr


def test_environment_has_no_stray_production_variables():
    assert os.environ.get("DJANGO_SETTINGS_MODULE") == "comeforward.web.settings.test"
