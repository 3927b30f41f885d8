"""Synthetic triage output for the demo (clearly fictional: made-up paths and hashes, no
imagery). Used by ``comeforward.demo.data`` only."""

from __future__ import annotations

import hashlib
import json
import uuid


def _record(n: int, *, image: bool, category: str | None = None, error: str | None = None) -> dict:
    digest = hashlib.sha256(f"demo-file-{n}".encode()).hexdigest()
    return {
        "path": f"demo/file-{n:04d}.{'jpg' if image else 'txt'}",
        "size": 0 if error else 2048,
        "md5": None if error else digest[:32],
        "sha1": None if error else digest[:40],
        "sha256": None if error else digest,
        "is_image": image,
        "pdq": None,
        "pdq_quality": None,
        "match": None
        if category is None
        else {"category": category, "set": "demo.cfhs", "via": "sha256", "distance": 0},
        "known_good": False,
        "error": error,
    }


def demo_triage_output(
    exhibit: str, *, category_c: int = 3, unmatched: int = 14, others: int = 20
) -> tuple[bytes, bytes]:
    """``(report.json, files.jsonl)`` bytes for a fictional run over exhibit ``exhibit``."""
    records = [_record(i, image=True, category="C") for i in range(category_c)]
    records += [_record(100 + i, image=True) for i in range(unmatched)]
    records += [_record(500 + i, image=False) for i in range(others)]
    records.append(_record(999, image=False, error="READ_ERROR: demo unreadable file"))
    listing = b"".join(
        (json.dumps(r, sort_keys=True) + "\n").encode()
        for r in sorted(records, key=lambda r: r["path"])
    )
    report = {
        "tool": {"name": "comeforward-triage", "version": "demo"},
        "exhibit": exhibit,
        "examiner": "Freya Forensic (demo)",
        "started_at": "2026-01-05T09:00:00Z",
        "finished_at": "2026-01-05T09:04:00Z",
        "source": {"path": "demo", "kind": "directory", "bytes": 2048 * (len(records) - 1)},
        "totals": {
            "files": len(records),
            "bytes": 2048 * (len(records) - 1),
            "images": category_c + unmatched,
            "errors": 1,
        },
        "categories": {"A": 0, "B": 0, "C": category_c, "UNCATEGORISED": 0},
        "known_good": 0,
        "unmatched_images": unmatched,
        "hashsets": [],
        "files_sha256": hashlib.sha256(listing).hexdigest(),
        "run_id": str(uuid.uuid4()),
    }
    return json.dumps(report, indent=1).encode(), listing


def demo_signature(report: bytes) -> bytes:
    """``report.json.sig`` by this installation's worker key (registered if it is not yet),
    as a worker run would write it (issue 11.4)."""
    from comeforward_triage.signing import sign_bytes

    from .signing_keys import worker_signer, worker_signing_key_register

    signer = worker_signer()
    worker_signing_key_register(signer)
    return sign_bytes(signer, report)
