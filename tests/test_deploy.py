"""deploy/ matches the code it runs (docs/deploy.md): the container is non-root on a
read-only root file system, every secret production requires is handed to every process, and
the services run real ``comeforward`` commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from comeforward.web.settings.secrets import REQUIRED_SECRETS

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
COMMANDS = {"serve", "worker", "scheduler"}


def test_container_runs_as_a_non_root_user():
    text = (DEPLOY / "Containerfile").read_text()
    users = re.findall(r"^USER (\S+)$", text, re.M)
    assert users and users[-1].split(":")[0] not in {"0", "root"}


def test_compose_services_are_read_only_and_get_every_required_secret():
    text = (DEPLOY / "compose.yaml").read_text()
    assert "read_only: true" in text and "no-new-privileges:true" in text
    for name in (*REQUIRED_SECRETS, "DATABASE_URL"):
        assert f"- {name.lower()}\n" in text, name
    for command in COMMANDS:
        assert f'command: ["{command}"' in text


@pytest.mark.parametrize("unit", ["web", "worker", "scheduler"])
def test_systemd_units_load_every_required_secret_and_run_a_real_command(unit):
    text = (DEPLOY / "systemd" / f"comeforward-{unit}.service").read_text()
    for name in (*REQUIRED_SECRETS, "DATABASE_URL"):
        assert f"LoadCredential={name.lower()}:" in text, name
    command = re.search(r"^ExecStart=\S+/comeforward (\w+)", text, re.M).group(1)
    assert command in COMMANDS
    assert "ProtectSystem=strict" in text and "NoNewPrivileges=true" in text


def test_the_proxy_keeps_metrics_and_readiness_off_the_public_side():
    text = (DEPLOY / "Caddyfile").read_text()
    assert "respond /metrics 404" in text and "respond /readyz 404" in text
