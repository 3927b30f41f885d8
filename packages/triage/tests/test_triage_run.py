"""End-to-end ``triage run`` over directory trees: records, errors, reports, CLI."""

from __future__ import annotations

import hashlib
import io
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from comeforward_triage import cli, native
from comeforward_triage.containers import ArchiveLimits
from comeforward_triage.hashing import ByteBudget, Hasher, Reader, ReaderDone, ResumeState
from comeforward_triage.run import RunOptions, triage_run
from comeforward_triage.sources.base import EvidenceFile
from comeforward_triage.sources.directory import DirectorySource
from evidence_fixtures import BRIDGE, TESTDATA, digests, make_tree

XSD = str(TESTDATA / "dfxml" / "dfxml.xsd")


def _records(out: Path) -> dict[str, dict]:
    return {r["path"]: r for r in map(json.loads, (out / "files.jsonl").read_text().splitlines())}


def test_directory_run_hashes_every_file_exactly(tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    files = make_tree(ev)
    out = tmp_path / "out"
    report = triage_run(
        RunOptions(
            source=str(ev),
            out=str(out),
            exhibit="JS/1",
            examiner="DC Smith",
            perceptual=False,
            jobs=2,
        )
    )
    recs = _records(out)
    assert sorted(recs) == sorted(files)
    for rel, data in files.items():
        rec = recs[rel]
        assert {k: rec[k] for k in ("md5", "sha1", "sha256")} == digests(data)
        assert rec["size"] == len(data)
        assert rec["error"] is None and rec["match"] is None and rec["known_good"] is False
    assert recs["pics/bridge.jpg"]["is_image"] is True
    assert recs["pics/bridge.jpg"]["type"] == "image/jpeg"
    assert recs["docs/report.pdf"]["type"] == "application/pdf"
    assert recs["pics/bridge.jpg"]["pdq"] is None  # --no-perceptual
    assert report["totals"]["files"] == 5
    assert report["totals"]["bytes"] == sum(map(len, files.values()))
    assert report["totals"]["images"] == 1 and report["unmatched_images"] == 1
    assert report["categories"] == {"A": 0, "B": 0, "C": 0, "UNCATEGORISED": 0}
    assert report["source"]["kind"] == "directory"
    assert report["exhibit"] == "JS/1" and report["examiner"] == "DC Smith"
    assert report["files_sha256"] == hashlib.sha256((out / "files.jsonl").read_bytes()).hexdigest()
    on_disk = json.loads((out / "report.json").read_text())
    assert on_disk["files_sha256"] == report["files_sha256"]


def test_type_detection_uses_magic_bytes_not_names(tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "holiday.txt").write_bytes(BRIDGE.read_bytes())
    (ev / "fake.jpg").write_bytes(b"not an image at all")
    triage_run(RunOptions(source=str(ev), out=str(tmp_path / "o"), perceptual=False))
    recs = _records(tmp_path / "o")
    assert recs["holiday.txt"]["is_image"] is True
    assert recs["fake.jpg"]["is_image"] is False and recs["fake.jpg"]["type"] is None


def test_bad_evidence_is_recorded_and_the_run_completes(tmp_path: Path, monkeypatch) -> None:
    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "ok.txt").write_bytes(b"fine")
    (ev / "empty").write_bytes(b"")
    os.mkfifo(ev / "pipe")
    os.symlink("loop_b", ev / "loop_a")
    os.symlink("loop_a", ev / "loop_b")
    os.symlink("ok.txt", ev / "link")
    (ev / os.fsdecode(b"bad\xffname.bin")).write_bytes(b"x")
    with open(ev / "sparse.img", "wb") as fh:
        fh.truncate(3 << 20)
        fh.seek(2 << 20)
        fh.write(b"tail")
    (ev / "locked.bin").write_bytes(b"secret")
    real_open = os.open

    def fake_open(path, flags, *a, **kw):  # root ignores chmod 000: simulate EACCES
        if os.fsdecode(path).endswith("locked.bin"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *a, **kw)

    monkeypatch.setattr(os, "open", fake_open)
    # the Python path (where os.open can be faked); the native core's errors: test_native.py
    monkeypatch.setattr(native, "AVAILABLE", False)
    report = triage_run(RunOptions(source=str(ev), out=str(tmp_path / "o"), perceptual=False))
    recs = _records(tmp_path / "o")
    assert recs["ok.txt"]["md5"] == hashlib.md5(b"fine").hexdigest()
    assert recs["empty"]["sha256"] == hashlib.sha256(b"").hexdigest()
    assert recs["pipe"]["error_code"] == "NOT_A_REGULAR_FILE" and recs["pipe"]["md5"] is None
    assert recs["loop_a"]["error_code"] == "SYMLINK_LOOP"
    assert recs["loop_b"]["error_code"] == "SYMLINK_LOOP"
    assert recs["link"]["error"] is None and recs["link"]["md5"] is None
    assert recs["link"]["warnings"] == ["SKIPPED: symbolic link to 'ok.txt', not followed"]
    bad = recs["bad\\xffname.bin"]
    assert bad["md5"] == hashlib.md5(b"x").hexdigest()
    assert bad["warnings"][0].startswith("NAME_NOT_UTF8")
    sparse = b"\0" * (2 << 20) + b"tail" + b"\0" * ((3 << 20) - (2 << 20) - 4)
    assert recs["sparse.img"]["sha256"] == hashlib.sha256(sparse).hexdigest()
    assert recs["locked.bin"]["error"] == "UNREADABLE: Permission denied"
    assert recs["locked.bin"]["sha256"] is None
    assert report["totals"]["errors"] == 4
    assert report["issues"]["by_code"] == {
        "NAME_NOT_UTF8": 1,
        "NOT_A_REGULAR_FILE": 1,
        "SKIPPED": 1,
        "SYMLINK_LOOP": 2,
        "UNREADABLE": 1,
    }


def test_read_error_midway_drops_hashes(tmp_path: Path, monkeypatch) -> None:
    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "big.bin").write_bytes(b"a" * (3 << 20))
    (ev / "small.bin").write_bytes(b"b")
    real_fdopen = os.fdopen

    class Flaky:
        def __init__(self, fh):
            self.fh, self.n = fh, 0

        def read(self, size=-1):
            self.n += 1
            if self.n == 2:
                raise OSError(5, "Input/output error")
            return self.fh.read(size)

        def close(self):
            self.fh.close()

    def fake_fdopen(fd, *a, **kw):
        fh = real_fdopen(fd, *a, **kw)
        return Flaky(fh) if os.fstat(fd).st_size == 3 << 20 else fh

    monkeypatch.setattr(os, "fdopen", fake_fdopen)
    monkeypatch.setattr(native, "AVAILABLE", False)  # faked through Python's os: Python path
    report = triage_run(RunOptions(source=str(ev), out=str(tmp_path / "o"), perceptual=False))
    recs = _records(tmp_path / "o")
    assert recs["big.bin"]["error"] == "READ_ERROR: Input/output error (after 1048576 bytes)"
    assert recs["big.bin"]["md5"] is None
    assert recs["small.bin"]["md5"] == hashlib.md5(b"b").hexdigest()
    assert report["totals"]["errors"] == 1


def test_reports_validate(tmp_path: Path) -> None:
    if shutil.which("xmllint") is None:
        pytest.skip("xmllint (apt libxml2-utils) is not installed")
    ev = tmp_path / "ev"
    files = make_tree(ev)
    (ev / "ctl\x01name").write_bytes(b"c")
    out = tmp_path / "o"
    report = triage_run(
        RunOptions(
            source=str(ev), out=str(out), exhibit="JS/1", examiner="DC Smith", perceptual=False
        )
    )
    res = subprocess.run(
        ["xmllint", "--noout", "--schema", XSD, str(out / "report.dfxml")],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    xml = (out / "report.dfxml").read_text()
    assert xml.count("<fileobject>") == len(files) + 1
    assert f"<hashdigest type='sha256'>{digests(files['a.txt'])['sha256']}</hashdigest>" in xml
    case = json.loads((out / "report.case.jsonld").read_text())
    graph = case["@graph"]
    types = [n["@type"] for n in graph]
    assert types.count("uco-observable:File") == len(files) + 1
    assert types.count("uco-tool:Tool") == 1 and types.count("uco-identity:Identity") == 1
    action = next(n for n in graph if n["@type"] == "case-investigation:InvestigativeAction")
    assert len(action["uco-action:result"]) == len(files) + 1
    assert action["uco-action:startTime"]["@value"] == report["started_at"]
    ids = {n["@id"] for n in graph}
    assert all(r["@id"] in ids for r in action["uco-action:result"])
    a_txt = next(
        n
        for n in graph
        if n["@type"] == "uco-observable:File"
        and n["uco-core:hasFacet"][0]["uco-observable:filePath"] == "a.txt"
    )
    hashes = {
        h["uco-types:hashMethod"]: h["uco-types:hashValue"]["@value"]
        for h in a_txt["uco-core:hasFacet"][1]["uco-observable:hash"]
    }
    assert hashes["MD5"] == digests(b"hello")["md5"].upper()


def test_case_report_passes_case_validate(tmp_path: Path) -> None:
    """The CASE/UCO report conforms to the ontology bundled with case-utils (offline)."""
    case_validate = shutil.which("case_validate")
    if case_validate is None:
        pytest.skip("case-utils (dev dependency group) is not installed")
    ev = tmp_path / "ev"
    make_tree(ev)
    os.mkfifo(ev / "pipe")  # a record with an error and no hashes
    out = tmp_path / "o"
    triage_run(
        RunOptions(
            source=str(ev), out=str(out), exhibit="JS/1", examiner="DC Smith", perceptual=False
        )
    )
    res = subprocess.run(
        [case_validate, str(out / "report.case.jsonld")], capture_output=True, text=True
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Conforms: True" in res.stdout
    assert "Results (" not in res.stdout  # not even a warning or an informational note


def _pipeline(files: list[EvidenceFile], defer_small: bool) -> dict[str, dict]:
    """Reader + two hashing threads over *files*, as ``triage run`` wires them."""
    work_q: queue.Queue = queue.Queue(maxsize=8)
    result_q: queue.Queue = queue.Queue()
    budget = ByteBudget(8 << 20)
    reader = Reader(
        iter(files),
        work_q,
        result_q,
        budget,
        ArchiveLimits(),
        ResumeState(),
        None,
        threading.Event(),
        defer_small=defer_small,
    )
    threads = [threading.Thread(target=reader.run)]
    threads += [threading.Thread(target=Hasher(work_q, result_q, budget, None).run) for _ in "ab"]
    for t in threads:
        t.start()
    records: dict[str, dict] = {}
    left, done = 2, False
    while left or not done:
        item = result_q.get()
        if item is None:
            left -= 1
        elif isinstance(item, ReaderDone):
            assert item.error is None
            done = True
            for _ in "ab":
                work_q.put(None)
        elif isinstance(item, list):
            records.update((r.record["path"], r.record) for r in item)
    for t in threads:
        t.join()
    assert budget.used == 0
    return records


class _FailingRead(io.BytesIO):
    def __init__(self, data: bytes, fail_at: int):
        super().__init__(data)
        self.calls, self.fail_at = 0, fail_at

    def read(self, size: int | None = -1, /) -> bytes:
        self.calls += 1
        if self.calls == self.fail_at:
            raise OSError(5, "Input/output error")
        return super().read(size)


@pytest.mark.parametrize("defer_small", [False, True])
def test_size_hint_is_only_a_hint(defer_small: bool) -> None:
    """Files larger or smaller than their recorded size are read to their real end; read
    errors give the same codes whether the reader or a hashing thread reads the file."""
    grown = bytes(range(256)) * 12289  # recorded as 10 bytes, really 3 MiB + 256
    shrunk = b"short"  # recorded as 1000 bytes
    files = [
        EvidenceFile("grown", 10, lambda: io.BytesIO(grown)),
        EvidenceFile("shrunk", 1000, lambda: io.BytesIO(shrunk)),
        EvidenceFile("fail-first", 10, lambda: _FailingRead(b"0123456789", 1)),
        EvidenceFile("fail-eof-check", 10, lambda: _FailingRead(b"0123456789", 2)),
        EvidenceFile("fail-later", 10, lambda: _FailingRead(grown, 3)),
        EvidenceFile("unopenable", 10, lambda: open("/nonexistent/x", "rb")),  # noqa: SIM115
    ]
    recs = _pipeline(files, defer_small)
    assert recs["grown"]["size"] == len(grown) == 3 * (1 << 20) + 256
    assert recs["grown"]["sha256"] == hashlib.sha256(grown).hexdigest()
    assert recs["grown"]["md5"] == hashlib.md5(grown).hexdigest()
    assert recs["shrunk"]["size"] == 5
    assert recs["shrunk"]["sha1"] == hashlib.sha1(shrunk).hexdigest()
    assert recs["fail-first"]["error"] == "READ_ERROR: Input/output error"
    assert recs["fail-eof-check"]["error"] == "READ_ERROR: Input/output error"
    assert recs["fail-later"]["error"] == (
        "READ_ERROR: Input/output error (after 4107 bytes)"  # 11-byte first read + 4 KiB check
    )
    assert recs["unopenable"]["error"] == "UNREADABLE: No such file or directory"
    for key in ("fail-first", "fail-eof-check", "fail-later", "unopenable"):
        assert recs[key]["md5"] is None and recs[key]["sha256"] is None


def test_parallel_small_reads_give_the_same_listing(tmp_path: Path, monkeypatch) -> None:
    """ADR 0102: hashing threads reading small files themselves changes no output byte."""
    ev = tmp_path / "ev"
    make_tree(ev)
    for i in range(40):
        (ev / "many" / f"f{i:02d}.bin").parent.mkdir(exist_ok=True)
        (ev / "many" / f"f{i:02d}.bin").write_bytes(bytes([i]) * (i * 997))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("inner/m.txt", b"member")
        z.writestr("pic.jpg", BRIDGE.read_bytes())
    (ev / "arc.zip").write_bytes(buf.getvalue())
    (ev / "bad.zip").write_bytes(b"PK\x03\x04 truncated")
    listings = []
    for parallel in (True, False):
        monkeypatch.setattr(DirectorySource, "PARALLEL_SMALL_READS", parallel)
        out = tmp_path / f"o-{parallel}"
        triage_run(RunOptions(source=str(ev), out=str(out), perceptual=False, jobs=2))
        listings.append((out / "files.jsonl").read_bytes())
    assert listings[0] == listings[1]
    recs = _records(tmp_path / "o-True")
    assert recs["arc.zip!/inner/m.txt"]["md5"] == hashlib.md5(b"member").hexdigest()
    assert recs["arc.zip!/pic.jpg"]["is_image"] is True
    assert recs["arc.zip"]["container"] == {"members": 2, "error": None}
    assert recs["bad.zip"]["container"]["error"].startswith("CORRUPT_ARCHIVE")
    assert recs["many/f39.bin"]["sha256"] == hashlib.sha256(bytes([39]) * 39 * 997).hexdigest()


def test_cli_run_and_errors(tmp_path: Path, capsys) -> None:
    ev = tmp_path / "ev"
    make_tree(ev)
    rc = cli.main(
        [
            "triage",
            "run",
            str(ev),
            "--out",
            str(tmp_path / "o"),
            "--quiet",
            "--no-perceptual",
            "--exhibit",
            "JS/1",
        ]
    )
    assert rc == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["totals"]["files"] == 5
    assert cli.main(["triage", "run", str(tmp_path / "nope"), "--out", str(tmp_path / "x")]) == 2
    err = json.loads(capsys.readouterr().out)["error"]
    assert err["code"] == "SOURCE_NOT_FOUND"
    assert cli.main(["triage", "run", str(ev)]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "INVALID_ARGUMENTS"
    assert cli.main(["triage", "run", str(ev), "--out", str(ev / "inside"), "--quiet"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "INVALID_ARGUMENTS"
    assert not (ev / "inside").exists()


def test_resume_with_different_options_is_refused(tmp_path: Path, capsys) -> None:
    ev = tmp_path / "ev"
    make_tree(ev)
    out = str(tmp_path / "o")
    assert cli.main(["triage", "run", str(ev), "--out", out, "--quiet", "--no-perceptual"]) == 0
    capsys.readouterr()
    assert (
        cli.main(
            [
                "triage",
                "run",
                str(ev),
                "--out",
                out,
                "--quiet",
                "--no-perceptual",
                "--archive-max-depth",
                "2",
            ]
        )
        == 2
    )
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "RESUME_MISMATCH"


def test_perceptual_hash_written_for_images(tmp_path: Path) -> None:
    pytest.importorskip("comeforward_triage.perceptual")
    ev = tmp_path / "ev"
    make_tree(ev)
    triage_run(RunOptions(source=str(ev), out=str(tmp_path / "o")))
    rec = _records(tmp_path / "o")["pics/bridge.jpg"]
    assert len(rec["pdq"]) == 64 and rec["pdq_quality"] >= 50
    assert _records(tmp_path / "o")["a.txt"]["pdq"] is None


def test_hashset_is_delegated(monkeypatch) -> None:
    calls = []
    import types

    fake = types.ModuleType("comeforward_triage.hashsets.cli")
    fake.main = lambda argv, prog=None: calls.append(argv) or 0
    monkeypatch.setitem(__import__("sys").modules, "comeforward_triage.hashsets.cli", fake)
    assert cli.main(["hashset", "info", "x.cfhs"]) == 0
    assert calls == [["info", "x.cfhs"]]


def test_a_run_without_images_never_imports_numpy(tmp_path: Path) -> None:
    """numpy/Pillow (PDQ) are imported when an image needs them, not at start (issue 16 item
    1): a tree of text files is triaged, with perceptual hashing on, without them."""
    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "a.txt").write_bytes(b"hello")
    code = (
        "import sys; from comeforward_triage.cli import main; "
        f"rc = main(['triage', 'run', {str(ev)!r}, '--out', {str(tmp_path / 'o')!r}, '--quiet']); "
        "print(rc, 'numpy' in sys.modules, 'PIL.Image' in sys.modules)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.splitlines()[-1] == "0 False False"
    report = json.loads((tmp_path / "o" / "report.json").read_text())
    assert report["configuration"]["perceptual"]["enabled"] is True


def test_files_jsonl_reuses_journal_lines_byte_for_byte(tmp_path: Path) -> None:
    """files.jsonl takes the journal's line of an unchanged record (no second json.dumps):
    the bytes are those of serialising every record afresh."""
    from comeforward_triage.report import files_jsonl

    ev = tmp_path / "ev"
    make_tree(ev)
    out = tmp_path / "o"
    triage_run(RunOptions(source=str(ev), out=str(out), perceptual=False))
    listing = (out / "files.jsonl").read_bytes()
    records = [json.loads(line) for line in listing.splitlines()]
    assert files_jsonl(records) == listing


def test_case_report_in_parts_each_valid(tmp_path: Path) -> None:
    """A very large exhibit gets its CASE report in parts (issue 16 item 5): each part is a
    graph of its own — tool, exhibit, the action with its own files' results — and sealed."""
    ev = tmp_path / "ev"
    make_tree(ev)
    out = tmp_path / "o"
    report = triage_run(
        RunOptions(
            source=str(ev), out=str(out), exhibit="JS/1", perceptual=False, case_part_files=2
        )
    )
    files = report["totals"]["files"]
    names = sorted(p.name for p in out.glob("report.case*.jsonld"))
    assert len(names) == -(-files // 2) and names[0] == "report.case.jsonld"
    results = []
    for name in names:
        graph = json.loads((out / name).read_text())["@graph"]
        action = next(n for n in graph if n["@type"] == "case-investigation:InvestigativeAction")
        ids = {n["@id"] for n in graph}
        assert all(r["@id"] in ids for r in action["uco-action:result"])
        assert sum(n["@type"] == "uco-tool:Tool" for n in graph) == 1
        results += [r["@id"] for r in action["uco-action:result"]]
    assert len(results) == len(set(results)) == files
    sealed = json.loads((out / "report.json").read_text())["sealed_files"]
    assert sorted(n for n in sealed if n.startswith("report.case")) == names
    case_validate = shutil.which("case_validate")
    if case_validate is not None:
        res = subprocess.run([case_validate, str(out / names[-1])], capture_output=True, text=True)
        assert "Conforms: True" in res.stdout, res.stdout + res.stderr


def _case_from_report(out: Path) -> bytes:
    """The CASE document made afresh from what the run left: report.json and files.jsonl."""
    from comeforward_triage.report import case_jsonld

    report = json.loads((out / "report.json").read_text())
    records = [json.loads(line) for line in (out / "files.jsonl").read_text().splitlines()]
    (part,) = case_jsonld(report, records)
    return part


@pytest.mark.parametrize("fork", [True, False])
def test_case_written_early_is_the_report_s_case(tmp_path: Path, monkeypatch, fork: bool) -> None:
    """The CASE writer starts before the report is finished (issue 16 item 5), from the part of
    the report CASE reads (``case_head``): its bytes are those the finished report.json and
    files.jsonl give — forked or, where a child cannot be forked, written in the process."""
    from comeforward_triage import run as run_mod

    if not fork:
        monkeypatch.setattr(run_mod, "_can_fork", lambda: False)
    ev = tmp_path / "ev"
    make_tree(ev)
    out = tmp_path / "o"
    triage_run(
        RunOptions(
            source=str(ev), out=str(out), exhibit="JS/1", examiner="DC Smith", perceptual=False
        )
    )
    written = (out / "report.case.jsonld").read_bytes()
    assert written == _case_from_report(out)
    sealed = json.loads((out / "report.json").read_text())["sealed_files"]
    assert sealed["report.case.jsonld"] == hashlib.sha256(written).hexdigest()


def test_a_failure_after_the_case_writer_started_leaves_no_child(tmp_path: Path) -> None:
    """DFXML failing while the CASE child runs: the run fails with that error and the child is
    stopped and reaped (no zombie, no process left writing into the output folder). In a fresh
    interpreter: the writer forks only where no other thread runs, which a test runner's
    worker process does not promise."""
    ev = tmp_path / "ev"
    make_tree(ev)
    script = """
import json, os, sys
from comeforward_triage import run as run_mod
from comeforward_triage.run import RunOptions, triage_run

forked = []
real_fork = run_mod._fork_case_writer

def fork_and_note(*args, **kwargs):
    child = real_fork(*args, **kwargs)
    if child is not None:
        forked.append(child[0])
    return child

def broken(*args, **kwargs):
    raise OSError(28, "No space left on device")

run_mod._fork_case_writer = fork_and_note
run_mod.dfxml_chunks = broken
error = None
try:
    triage_run(RunOptions(source=sys.argv[1], out=sys.argv[2], perceptual=False))
except OSError as exc:
    error = str(exc)
state = []
for pid in forked:
    try:
        os.waitpid(pid, os.WNOHANG)
        state.append("not reaped")
    except ChildProcessError:
        state.append("reaped")
print(json.dumps({"error": error, "state": state}))
"""
    res = subprocess.run(
        [sys.executable, "-c", script, str(ev), str(tmp_path / "o")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert "No space left" in out["error"]
    assert out["state"] == ["reaped"]  # it did fork, and the child is gone


def test_reports_written_in_chunks_are_the_joined_bytes(tmp_path: Path, monkeypatch) -> None:
    """files.jsonl, DFXML and CASE are written chunk by chunk (a million files are never
    joined into one copy, issue 16 item 5): with chunks of 3 lines the files are the bytes
    each report's single-string form gives, and the seal covers them."""
    from comeforward_triage import report as report_mod

    monkeypatch.setattr(report_mod, "_CHUNK_LINES", 3)
    ev = tmp_path / "ev"
    make_tree(ev)
    out = tmp_path / "o"
    triage_run(RunOptions(source=str(ev), out=str(out), exhibit="JS/1", perceptual=False))
    listing = (out / "files.jsonl").read_bytes()
    records = [json.loads(line) for line in listing.splitlines()]
    assert len(records) > 3
    assert report_mod.files_jsonl(records) == listing
    report = json.loads((out / "report.json").read_text())
    assert report["files_sha256"] == hashlib.sha256(listing).hexdigest()
    assert (out / "report.dfxml").read_bytes() == report_mod.dfxml(report, records)
    assert (out / "report.case.jsonld").read_bytes() == _case_from_report(out)
    sealed = report["sealed_files"]
    for name in ("report.dfxml", "report.case.jsonld"):
        assert sealed[name] == hashlib.sha256((out / name).read_bytes()).hexdigest()


@pytest.mark.parametrize("script", [["comeforward-triage"], ["comeforward", "triage"]])
def test_console_scripts_end_at_once_with_everything_written(tmp_path: Path, script) -> None:
    """The console scripts leave with ``os._exit`` after the run (the records are not freed
    one by one, issue 16 item 5): the exit code, the whole JSON summary on stdout and every
    sealed report are there; a refused run still exits 2 with its error code."""
    exe = Path(sys.executable).parent / script[0]
    if not exe.exists():
        pytest.skip(f"{script[0]} is not installed in this environment")
    ev = tmp_path / "ev"
    make_tree(ev)
    out = tmp_path / "o"
    res = subprocess.run(
        [str(exe), *script[1:], "run", str(ev), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    report = json.loads((out / "report.json").read_text())
    assert summary["files_sha256"] == report["files_sha256"]
    for name, digest in report["sealed_files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    # a command-line run forks the CASE writer early: its document is the finished report's
    assert (out / "report.case.jsonld").read_bytes() == _case_from_report(out)
    bad = subprocess.run(
        [str(exe), *script[1:], "run", str(tmp_path / "nope"), "--out", str(tmp_path / "x")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert json.loads(bad.stdout)["error"]["code"]


def test_files_jsonl_takes_one_line_per_record_in_order() -> None:
    """The journal's lines come aligned with the records (no look-up by key): a line is
    reused as is for an unchanged record, a record whose line is None is serialised afresh,
    and lines that do not match the records one to one are refused, not misattributed."""
    from comeforward_triage.report import files_jsonl

    recs = [{"container": None, "path": "a", "size": 1}, {"container": None, "path": "b"}]
    listing = files_jsonl(recs, ['{"path": "a", "size": 1}', None])
    assert listing == files_jsonl(recs)
    assert files_jsonl(recs, ['{"path": "a", "size": 9}', None]).startswith(
        b'{"container": null, "path": "a", "size": 9}\n'  # the line itself, as journaled
    )
    with pytest.raises(ValueError, match="one line"):
        files_jsonl(recs, ['{"path": "a", "size": 1}'])
