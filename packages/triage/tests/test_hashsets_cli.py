"""``hashset compile | info | lookup`` CLI (INTERFACES.md §4): JSON out, exit 2 on errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from comeforward_triage.hashsets.cli import main
from hashset_fixtures import md5, sha1, sha256, vics2_hashset, write_json


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict]]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def compiled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    media = [
        {"MD5": md5(1), "SHA1": sha1(1), "Category": 1, "Series": "s"},
        {"MD5": md5(2), "Category": 3},
    ]
    src = write_json(tmp_path / "set.json", vics2_hashset(media))
    code, out = run(
        capsys,
        "compile",
        str(src),
        "--format",
        "vics",
        "--profile",
        "numeric-abc",
        "--out",
        str(tmp_path / "set.cfhs"),
    )
    assert code == 0
    assert out[0]["entries"] == {"md5": 2, "sha1": 1, "sha256": 0, "pdq": 0}
    return tmp_path / "set.cfhs"


def test_info(compiled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "info", str(compiled))
    assert code == 0
    info = out[0]
    assert info["verified"] is True
    assert info["categories"] == {"md5": {"A": 1, "C": 1}, "sha1": {"A": 1}}
    assert info["source"]["format"] == "vics" and info["source"]["file_name"] == "set.json"
    assert len(info["input_sha256"]) == 64 and info["created"].endswith("Z")


def test_lookup_json_lines(compiled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "lookup", str(compiled), md5(1).upper(), sha1(1), sha256(1), md5(2))
    assert code == 0
    assert [(o["hash"], o["found"], o["category"], o["set"]) for o in out] == [
        (md5(1).upper(), True, "A", "set"),
        (sha1(1), True, "A", "set"),
        (sha256(1), False, None, "set"),
        (md5(2), True, "C", "set"),
    ]
    assert out[0]["series"] is True and out[0]["algorithm"] == "md5"


@pytest.mark.parametrize("bad", ["xyz", "g" * 32, md5(1)[:-1]])
def test_lookup_invalid_hash(compiled: Path, capsys: pytest.CaptureFixture[str], bad: str) -> None:
    code, out = run(capsys, "lookup", str(compiled), md5(1), bad)
    assert code == 2
    assert out == [out[0]] and out[0]["error"]["code"] == "INVALID_HASH"  # nothing else printed


def test_errors_are_json_exit_2(
    tmp_path: Path, compiled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_json(tmp_path / "u.json", vics2_hashset([{"MD5": md5(1), "Category": 9}]))
    code, out = run(
        capsys,
        "compile",
        str(src),
        "--format",
        "vics",
        "--profile",
        "numeric-abc",
        "--out",
        str(tmp_path / "u.cfhs"),
    )
    assert (code, out[0]["error"]["code"], out[0]["error"]["details"]["unmapped"]) == (
        2,
        "UNMAPPED_CATEGORY",
        ["9"],
    )
    code, out = run(capsys, "compile", str(tmp_path / "nope"), "--format", "md5sum", "--out", "x")
    assert (code, out[0]["error"]["code"]) == (2, "INPUT_NOT_FOUND")
    code, out = run(capsys, "compile", str(src), "--format", "encase", "--out", "x")
    assert (code, out[0]["error"]["code"]) == (2, "INVALID_ARGUMENTS")
    code, out = run(capsys, "frobnicate")
    assert (code, out[0]["error"]["code"]) == (2, "INVALID_ARGUMENTS")
    data = compiled.read_bytes()
    compiled.write_bytes(data[:-3])
    code, out = run(capsys, "info", str(compiled))
    assert (code, out[0]["error"]["code"]) == (2, "CORRUPT_HASHSET")
    compiled.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    code, out = run(capsys, "info", str(compiled))  # info runs the full check
    assert (code, out[0]["error"]["code"]) == (2, "CORRUPT_HASHSET")


def test_module_entry_point(compiled: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "comeforward_triage.hashsets.cli", "lookup", str(compiled), md5(2)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["category"] == "C"


def test_compile_progress_only_on_a_terminal(tmp_path: Path) -> None:
    """Piped (as here), stderr carries no progress display: scripts see only the JSON."""
    media = [{"MD5": md5(i), "Category": 1} for i in range(50)]
    src = write_json(tmp_path / "set.json", vics2_hashset(media))
    res = subprocess.run(
        [
            sys.executable,
            "-c",
            "from comeforward_triage.cli import main; raise SystemExit(main())",
            "hashset",
            "compile",
            str(src),
            "--format",
            "vics",
            "--profile",
            "numeric-abc",
            "--out",
            str(tmp_path / "s.cfhs"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert res.stderr == ""
    assert json.loads(res.stdout)["entries"]["md5"] == 50


def test_compile_progress_display_on_a_terminal(tmp_path: Path) -> None:
    from comeforward_triage.hashsets.cli import _compile_progress

    with _compile_progress(False) as none:
        assert none is None
    with _compile_progress(True) as update:
        assert update is not None
        update("reading", 10)
        update("sorting", 10)
