"""The ``comeforward`` command's conventions (issue 20.11, INTERFACES.md "Errors").

Real subprocesses: ``--version`` is comeforward's (CHANGELOG.md), help everywhere, errors of
non-JSON commands on stderr, never a traceback, Ctrl-C exits 130 with a resumable message,
``hashset lookup -`` reads stdin, and no settings means a refusal, not a new database.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def cf(*args: str, stdin: str = "", env: dict | None = None, prog: str = "comeforward"):
    proc = subprocess.run(
        [str(BIN / prog), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env=env,
        check=False,
    )
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def test_version_is_comeforwards_own_from_the_changelog():
    proc = cf("--version")
    assert proc.returncode == 0
    top = re.search(r"^## \[(\d+\.\d+\.\d+)\]", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert top is not None
    assert proc.stdout.strip() == f"comeforward {top.group(1)}"


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (("law", "--help"), "usage: comeforward law"),
        (("law",), "usage: comeforward law"),
        (("law", "evaluate", "--help"), "usage: comeforward law"),
        (("risk", "--help"), "usage: comeforward risk"),
        (("risk", "score", "--help"), "usage: comeforward risk"),
        (("--help",), "usage: comeforward [--version]"),
    ],
)
def test_help_is_printed(args, expect):
    proc = cf(*args)
    assert proc.returncode == 0
    assert proc.stdout.startswith(expect)


def _bare_options(parser: argparse.ArgumentParser) -> list[str]:
    """Every option (and sub-command's option) of ``parser`` that has no help text."""
    bare = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                bare += _bare_options(sub)
        elif action.option_strings and not action.help:
            bare.append(f"{parser.prog} {action.option_strings[-1]}")
    return bare


def test_every_triage_and_hashset_option_has_help():
    from comeforward_triage.cli import _parser
    from comeforward_triage.hashsets.cli import _build_parser

    assert _bare_options(_parser()) == []
    assert _bare_options(_build_parser()) == []


OPERATOR_COMMANDS = [
    "serve",
    "worker",
    "scheduler",
    "register_sweep",
    "treatment_condition_sweep",
    "enquiries_purge",
    "audit",
    "rotate_field_keys",
    "demo",
    "demo_code",
    "seed",
    "leads",
]


@pytest.mark.parametrize("name", OPERATOR_COMMANDS)
def test_every_management_command_option_has_help(name):
    from django.core.management import get_commands, load_command_class

    command = load_command_class(get_commands()[name], name)
    assert command.help
    assert _bare_options(command.create_parser("comeforward", name)) == []


def test_standalone_triage_help_names_the_standalone_command():
    proc = cf("--help", prog="comeforward-triage")
    assert proc.returncode == 0
    assert proc.stdout.startswith("usage: comeforward-triage")
    assert "comeforward-triage hashset --help" in " ".join(proc.stdout.split())


def test_unwritable_out_is_a_json_error_not_a_traceback(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("x")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    proc = cf("triage", "run", str(src), "--out", str(blocker / "out"), "--quiet")
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["error"]["code"] == "IO_ERROR"


def test_hashset_lookup_reads_hashes_from_stdin(tmp_path):
    md5 = "0" * 31 + "1"
    other = "f" * 40
    listing = tmp_path / "list.md5"
    listing.write_text(f"{md5}  a.jpg\n")
    out = tmp_path / "set.cfhs"
    made = cf(
        "hashset",
        "compile",
        str(listing),
        "--format",
        "md5sum",
        "--out",
        str(out),
        "--profile",
        "uncategorised",
    )
    assert made.returncode == 0, made.stdout
    proc = cf("hashset", "lookup", str(out), "-", stdin=f"{md5}\n\n{other}\n")
    assert proc.returncode == 0, proc.stdout
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(r["hash"], r["found"]) for r in rows] == [(md5, True), (other, False)]


def test_a_django_command_error_goes_to_stderr():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "comeforward.web.settings.test"}
    proc = cf("no_such_command", env=env)
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert "Unknown command" in proc.stderr


def test_without_settings_it_refuses_instead_of_making_a_database(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["COMEFORWARD_VAR_DIR"] = str(tmp_path / "var")
    proc = cf("migrate", env=env)
    assert proc.returncode == 2
    assert "DJANGO_SETTINGS_MODULE" in proc.stderr
    assert not (tmp_path / "var").exists()


def test_ctrl_c_exits_130_with_a_resume_message(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(20000):
        (src / f"f{i}.bin").write_bytes(os.urandom(64))
    proc = subprocess.Popen(
        [
            str(BIN / "comeforward"),
            "triage",
            "run",
            str(src),
            "--out",
            str(tmp_path / "o"),
            "--quiet",
            "--jobs",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while not (tmp_path / "o").exists() and time.monotonic() < deadline:
        time.sleep(0.02)  # interrupt as soon as the run has started writing
    time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert "Traceback" not in out + err
    assert proc.returncode == 130, (out, err)
    assert "run the same command again to resume" in err


def test_standalone_hashset_help_names_the_standalone_command():
    proc = cf("hashset", "lookup", "--help", prog="comeforward-triage")
    assert proc.returncode == 0
    assert proc.stdout.startswith("usage: comeforward-triage hashset lookup")
    assert cf("hashset", "--help").stdout.startswith("usage: comeforward hashset")
