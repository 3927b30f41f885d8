"""The repository explains itself to an operator: licence, changelog, version (issue 17.8)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_licence_is_the_agpl_the_package_declares():
    text = (ROOT / "LICENSE").read_text()
    assert "GNU AFFERO GENERAL PUBLIC LICENSE" in text
    assert "Version 3, 19 November 2007" in text
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert "END OF TERMS AND CONDITIONS" in text
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert meta["license"] == "AGPL-3.0-or-later"
    assert "either\nversion 3 of the License, or (at your option) any later version" in text


def test_changelog_top_entry_is_the_package_version():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    top = re.search(
        r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", (ROOT / "CHANGELOG.md").read_text(), re.M
    )
    assert top is not None
    assert top.group(1) == meta["version"]


def test_every_command_the_readme_shows_exists():
    """Each ``./comeforward X`` / ``make X`` in the README names a real command or target
    (the fresh-machine CI step then runs the set-up ones as written)."""
    from django.core.management import get_commands

    readme = (ROOT / "README.md").read_text()
    known = set(get_commands()) | {"law", "risk", "policy", "triage", "hashset", "--version"}
    shown = set(re.findall(r"\./comeforward ([\w-]+)", readme)) - {"COMMAND"}
    assert shown and shown <= known, shown - known
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(), re.M))
    made = set(re.findall(r"\bmake ([a-z]+)\b", readme))
    assert {"demo", "test", "code"} <= made <= targets, made - targets
    assert (ROOT / "comeforward").stat().st_mode & 0o111  # the script is executable
