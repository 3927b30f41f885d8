"""Generated triage output (report.json + files.jsonl) for tests: no imagery, only records.

Counts come from the triage engine's own counting code (``comeforward_triage.match.count``)
and the listing from its own serialiser, so the importer is checked against the engine.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

from comeforward_triage.match import count
from comeforward_triage.report import files_jsonl
from comeforward_triage.signing import ReportSigner, sign_bytes

#: The test workstation's signing key, registered for every database test by the
#: ``triage_key`` fixture (tests/exhibits/conftest.py).
TEST_SIGNER = ReportSigner.generate()


def sign(report: bytes, signer: ReportSigner = TEST_SIGNER) -> bytes:
    """``report.json.sig`` for ``report`` (what ``triage run --signing-key`` writes)."""
    return sign_bytes(signer, report)


def record(path: str, *, image=True, category=None, known_good=False, error=None) -> dict:
    digest = hashlib.sha256(path.encode()).hexdigest()
    return {
        "path": path,
        "size": 0 if error else 1000,
        "md5": None if error else digest[:32],
        "sha1": None if error else digest[:40],
        "sha256": None if error else digest,
        "is_image": image,
        "pdq": None,
        "pdq_quality": None,
        "match": None
        if category is None
        else {"category": category, "set": "t.cfhs", "via": "sha256", "distance": 0},
        "known_good": known_good,
        "error": error,
    }


STANDARD = [
    record("DCIM/a.jpg", category="A"),
    record("DCIM/b.jpg", category="B"),
    record("DCIM/c1.jpg", category="C"),
    record("DCIM/c2.jpg", category="C"),
    record("DCIM/u.jpg", category="UNCATEGORISED"),
    record("DCIM/kg.jpg", known_good=True),
    record("DCIM/x1.jpg"),
    record("DCIM/x2.jpg"),
    record("DCIM/x3.jpg"),
    record("docs/notes.txt", image=False),
    record("broken.bin", image=False, error="READ_ERROR: I/O error"),
]


def triage_output(records=STANDARD, *, exhibit="JS/1", **overrides) -> tuple[bytes, bytes]:
    listing = files_jsonl(records)
    counts = count(records)
    report = {
        "tool": {"name": "comeforward-triage", "version": "0.1.0"},
        "exhibit": exhibit,
        "examiner": "F. Examiner",
        "started_at": "2026-03-27T10:00:00Z",
        "finished_at": "2026-03-27T10:05:00Z",
        "source": {"path": "/evidence/js1", "kind": "directory", "bytes": 11000, "sha256": None},
        "totals": counts["totals"],
        "categories": counts["categories"],
        "known_good": counts["known_good"],
        "unmatched_images": counts["unmatched_images"],
        "unmatched_videos": counts["unmatched_videos"],
        "matches_by_method": counts["matches_by_method"],
        "hashsets": [{"path": "/sets/t.cfhs", "sha256": "ab" * 32, "entries": 5}],
        "issues": {
            "by_code": {"READ_ERROR": 1},
            "listed": [{"path": "broken.bin"}],
            "truncated": False,
        },
        "files_sha256": hashlib.sha256(listing).hexdigest(),
        "run_id": str(uuid.uuid4()),
    }
    report.update(overrides)
    return json.dumps(report).encode(), listing


def write_run(folder: Path, **kwargs) -> tuple[Path, Path]:
    """A signed run's report.json (+ .sig) and files.jsonl in ``folder``."""
    report, listing = triage_output(**kwargs)
    (folder / "report.json").write_bytes(report)
    (folder / "report.json.sig").write_bytes(sign(report))
    (folder / "files.jsonl").write_bytes(listing)
    return folder / "report.json", folder / "files.jsonl"
