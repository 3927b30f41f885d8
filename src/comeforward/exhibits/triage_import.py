"""Reading a triage run's ``report.json`` + ``files.jsonl`` (docs/interfaces.md §7), pure Python.

Before anything is accepted:

1. ``report.json`` must be JSON of the documented shape (``REPORT_INVALID_JSON``,
   ``REPORT_SHAPE_INVALID``, ``REPORT_TOO_LARGE``);
2. the report seals the listing: its ``files_sha256`` must equal the SHA-256 of the
   ``files.jsonl`` bytes (``REPORT_SEAL_MISMATCH``) — ACPO principle 3, an audit trail a third
   party can check (forensic-triage §5.1);
3. every listing line must be a file record (``FILES_LISTING_INVALID``), and recounting the
   listing with the docs/interfaces.md §7 counting rule must give the report's counts
   (``REPORT_COUNTS_MISMATCH``);
4. the report's ``exhibit`` must be the exhibit it is imported for (``REPORT_EXHIBIT_MISMATCH``);
5. where the report has a ``pdq`` section (perceptual matching, forensic-triage §2), its
   ``matched`` must equal the listing's matches ``via: "pdq"``; matches flagged ``series`` /
   ``victim_identified`` (VICS ``Series`` / ``VictimIdentified``, forensic-triage §1.7) are
   counted in the same streaming pass;
6. ``new-material.vics.json`` (the VICS 2.0 case of unmatched images, §1.7 "Case export"),
   when given, must have the SHA-256 the report's ``new_material.sha256`` declares
   (``NEW_MATERIAL_SEAL_MISMATCH``) — see ``check_new_material``.

Before all of these, the caller checks ``report.json.sig`` (``signing_keys.report_signer_check``:
a registered key's Ed25519 signature over the exact report bytes, issue 11.4) — the seal in
step 2 only binds the listing to the report; the signature binds the report to a workstation.
The report must carry the ``run_id`` the engine gives each run (``REPORT_SHAPE_INVALID``).

Only counts and a bounded summary come out: no file content, no per-file listing, no paths.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from comeforward_triage.filetype import is_video_record

from .errors import (
    FilesListingInvalid,
    NewMaterialInvalid,
    NewMaterialNotInReport,
    NewMaterialSealMismatch,
    NewMaterialTooLarge,
    ReportCountsMismatch,
    ReportExhibitMismatch,
    ReportInvalidJson,
    ReportSealMismatch,
    ReportShapeInvalid,
    ReportTooLarge,
)

CATEGORIES = ("A", "B", "C", "UNCATEGORISED")
MAX_REPORT_BYTES = 16 * 1024 * 1024
SUMMARY_ITEMS = 20  # at most this many hash sets / issue codes / match methods are kept
#: Largest new-material export accepted (about 100,000 media at ~700 bytes each, with room).
MAX_NEW_MATERIAL_BYTES = 128 * 1024 * 1024
VICS2_UK_CASES = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/UK/$metadata#Cases"


@dataclass(frozen=True)
class PdqSummary:
    """The report's ``pdq`` section: what perceptual matching did (forensic-triage §2)."""

    enabled: bool
    radius: int
    matched: int
    low_quality: int


@dataclass(frozen=True)
class NewMaterialInfo:
    """The report's ``new_material`` section: the sealed VICS export of unmatched images."""

    count: int
    files: int
    sha256: str


@dataclass(frozen=True)
class TriageResult:
    tool_name: str
    tool_version: str
    exhibit: str
    examiner: str
    started_at: str
    finished_at: str
    categories: dict[str, int]
    known_good: int
    unmatched_images: int
    total_files: int
    total_bytes: int
    total_images: int
    total_errors: int
    report_sha256: str
    files_sha256: str
    summary: dict[str, Any] = field(default_factory=dict)
    pdq: PdqSummary | None = None
    new_material: NewMaterialInfo | None = None
    series_matches: int = 0
    #: Unmatched videos (no match, not known-good, a video by type or name): ungraded (12.2).
    unmatched_videos: int = 0
    #: ``(kind, md5, sha1, sha256)`` of each unmatched image or video and uncategorised
    #: match (12.2).
    ungraded_items: tuple[tuple[str, str, str, str], ...] = ()
    #: Files under file-sharing clients' folders, by client (a suggestion of distribution).
    file_sharing: dict[str, int] = field(default_factory=dict)
    victim_identified_matches: int = 0
    #: The run's id (``run_id``, written when the engine finalises and signs the report).
    run_id: str = ""


def _shape_error(path: str, expected: str) -> ReportShapeInvalid:
    return ReportShapeInvalid(
        f"report.json is not a triage report: {path} must be {expected}",
        details={"field": path, "expected": expected},
    )


def _get(data: dict[str, Any], path: str, kind: str) -> Any:
    value: Any = data
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            raise _shape_error(path, kind)
        value = value[key]
    if kind == "count" and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise _shape_error(path, "a whole number, zero or more")
    if kind == "text" and (not isinstance(value, str) or not value.strip()):
        raise _shape_error(path, "text")
    if kind == "sha256" and not (
        isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
    ):
        raise _shape_error(path, "a lower-case SHA-256 in hex")
    return value


def _load_report(report_bytes: bytes) -> dict[str, Any]:
    if len(report_bytes) > MAX_REPORT_BYTES:
        raise ReportTooLarge(
            "report.json is larger than a triage report can be",
            details={"bytes": len(report_bytes), "limit": MAX_REPORT_BYTES},
        )
    try:
        data = json.loads(report_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReportInvalidJson(
            "report.json is not valid JSON", details={"reason": str(error)[:200]}
        ) from None
    if not isinstance(data, dict):
        raise _shape_error("(top level)", "an object")
    return data


#: Path markers of file-sharing clients' folders (lower case): a file under one suggests
#: distribution (issue 12.2). A suggestion only: the examiner confirms. Only the client's name
#: and a count are kept, never the path.
FILE_SHARING_MARKERS = {
    "/emule/": "eMule",
    "/limewire/": "LimeWire",
    "/frostwire/": "FrostWire",
    "/shareaza/": "Shareaza",
    "/ares/": "Ares",
    "/kazaa": "Kazaa",
    "/utorrent/": "µTorrent",
    "/bittorrent/": "BitTorrent",
    "/qbittorrent/": "qBittorrent",
    "/vuze/": "Vuze",
    "/gnutella/": "Gnutella",
    "/dc++/": "DC++",
    "/soulseek": "Soulseek",
    "/tor browser/": "Tor Browser",
}


def file_sharing_client(path: str) -> str | None:
    """The file-sharing client whose folder holds ``path``, or ``None``."""
    lowered = "/" + path.replace("\\", "/").lower().lstrip("/")
    for marker, client in FILE_SHARING_MARKERS.items():
        if marker in lowered:
            return client
    return None


def _hex(record: dict[str, Any], key: str, width: int) -> str:
    value = record.get(key)
    if isinstance(value, str) and len(value) == width:
        return value.lower()
    return ""


def _recount(
    lines: Iterable[bytes],
    ungraded: list[tuple[str, str, str, str]] | None = None,
    sharing: dict[str, int] | None = None,
) -> tuple[str, dict[str, int]]:
    """SHA-256 of the listing and its counts by the docs/interfaces.md §7 counting rule.

    When given, ``ungraded`` collects ``(kind, md5, sha1, sha256)`` of each unmatched image,
    unmatched video and uncategorised match, and ``sharing`` counts files under file-sharing
    clients' folders. A video is known by its listed ``type`` (magic bytes) or, with no type,
    by its name's extension (``comeforward_triage.filetype.is_video_record``)."""
    digest = hashlib.sha256()
    counts = dict.fromkeys(
        ("files", "images", "errors", "known_good", "unmatched_images", "unmatched_videos"), 0
    )
    counts |= {f"category:{c}": 0 for c in CATEGORIES}
    counts |= dict.fromkeys(("pdq_matched", "series", "victim_identified"), 0)
    for number, line in enumerate(lines, start=1):
        digest.update(line)
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise FilesListingInvalid(
                f"files.jsonl line {number} is not JSON", details={"line": number}
            ) from None
        match = record.get("match") if isinstance(record, dict) else None
        if (
            not isinstance(record, dict)
            or not isinstance(record.get("path"), str)
            or not (
                match is None or (isinstance(match, dict) and match.get("category") in CATEGORIES)
            )
        ):
            raise FilesListingInvalid(
                f"files.jsonl line {number} is not a file record", details={"line": number}
            )
        counts["files"] += 1
        counts["errors"] += bool(record.get("error"))
        counts["images"] += bool(record.get("is_image"))
        if sharing is not None and (client := file_sharing_client(record["path"])):
            sharing[client] = sharing.get(client, 0) + 1
        unmatched = match is None and not record.get("known_good")
        kind = (
            "uncategorised"
            if match is not None and match["category"] == "UNCATEGORISED"
            else "unmatched"
            if unmatched and record.get("is_image")
            else "unmatched_video"
            if unmatched and is_video_record(record)
            else None
        )
        if ungraded is not None and kind is not None:
            ungraded.append(
                (
                    kind,
                    _hex(record, "md5", 32),
                    _hex(record, "sha1", 40),
                    _hex(record, "sha256", 64),
                )
            )
        if match is not None:
            counts[f"category:{match['category']}"] += 1
            counts["pdq_matched"] += match.get("via") == "pdq"
            counts["series"] += match.get("series") is True
            counts["victim_identified"] += match.get("victim_identified") is True
        elif record.get("known_good"):
            counts["known_good"] += 1
        elif record.get("is_image"):
            counts["unmatched_images"] += 1
        elif kind == "unmatched_video":
            counts["unmatched_videos"] += 1
    return digest.hexdigest(), counts


def _bounded_summary(report: dict[str, Any], files_listed: int) -> dict[str, Any]:
    hashsets = report.get("hashsets") if isinstance(report.get("hashsets"), list) else []
    issues = report.get("issues") if isinstance(report.get("issues"), dict) else {}
    by_code = issues.get("by_code") if isinstance(issues.get("by_code"), dict) else {}
    by_method = report.get("matches_by_method")
    source = report.get("source") if isinstance(report.get("source"), dict) else {}
    return {
        "files_listed": files_listed,
        "source": {k: source.get(k) for k in ("kind", "bytes", "sha256") if k in source},
        "hashsets": [
            {"sha256": s.get("sha256"), "entries": s.get("entries")}
            for s in hashsets[:SUMMARY_ITEMS]
            if isinstance(s, dict)
        ],
        "issues_by_code": dict(sorted(by_code.items())[:SUMMARY_ITEMS]),
        "matches_by_method": (
            dict(sorted(by_method.items())[:SUMMARY_ITEMS]) if isinstance(by_method, dict) else {}
        ),
    }


def _pdq_section(report: dict[str, Any]) -> PdqSummary | None:
    if "pdq" not in report or report["pdq"] is None:
        return None
    enabled = _get(report, "pdq.enabled", "any")
    if not isinstance(enabled, bool):
        raise _shape_error("pdq.enabled", "true or false")
    return PdqSummary(
        enabled=enabled,
        radius=_get(report, "pdq.radius", "count"),
        matched=_get(report, "pdq.matched", "count"),
        low_quality=_get(report, "pdq.low_quality", "count"),
    )


def _new_material_section(report: dict[str, Any]) -> NewMaterialInfo | None:
    if "new_material" not in report or report["new_material"] is None:
        return None
    return NewMaterialInfo(
        count=_get(report, "new_material.count", "count"),
        files=_get(report, "new_material.files", "count"),
        sha256=_get(report, "new_material.sha256", "sha256"),
    )


def check_new_material(export: bytes, declared: NewMaterialInfo | None) -> str:
    """Check a ``new-material.vics.json`` against the report that declares it; its SHA-256.

    The report seals the export as it seals the listing (``new_material.sha256``); the
    export must also be the VICS 2.0 UK case file the engine writes (forensic-triage §1.7:
    ``@odata.context`` of ``#Cases``, one case, ``TotalMediaFiles`` = the report's count).
    """
    if declared is None:
        raise NewMaterialNotInReport(
            "This report does not declare a new-material export: upload the export of the "
            "same run, or none"
        )
    if len(export) > MAX_NEW_MATERIAL_BYTES:
        raise NewMaterialTooLarge(
            "new-material.vics.json is larger than the limit for an export",
            details={"bytes": len(export), "limit": MAX_NEW_MATERIAL_BYTES},
        )
    actual = hashlib.sha256(export).hexdigest()
    if actual != declared.sha256:
        raise NewMaterialSealMismatch(
            "new-material.vics.json is not the export this report was sealed with: it has been "
            "changed, or belongs to another run",
            details={"report_new_material_sha256": declared.sha256, "export_sha256": actual},
        )
    try:
        doc = json.loads(export.decode("utf-8"))
        (case,) = doc["value"]
        ok = doc["@odata.context"] == VICS2_UK_CASES and case["TotalMediaFiles"] == declared.count
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        raise NewMaterialInvalid(
            "new-material.vics.json is not a VICS 2.0 case with the report's count of media",
            details={"count": declared.count},
        )
    return actual


def read_triage_report(
    report_bytes: bytes, files_lines: Iterable[bytes], *, expected_exhibit: str
) -> TriageResult:
    """Validate a triage run's output for ``expected_exhibit`` and return its counts.

    ``files_lines`` yields the raw bytes of ``files.jsonl`` line by line (newlines kept), so a
    large listing is streamed, never held in memory.
    """
    report = _load_report(report_bytes)
    tool_name = _get(report, "tool.name", "text")
    tool_version = _get(report, "tool.version", "text")
    categories = {c: _get(report, f"categories.{c}", "count") for c in CATEGORIES}
    totals = {
        k: _get(report, f"totals.{k}", "count") for k in ("files", "bytes", "images", "errors")
    }
    known_good = _get(report, "known_good", "count")
    unmatched = _get(report, "unmatched_images", "count")
    # Reports written before videos were counted have no ``unmatched_videos``: the listing's
    # count is used (and checked against the report where it has one).
    videos_declared = (
        _get(report, "unmatched_videos", "count") if "unmatched_videos" in report else None
    )
    sealed = _get(report, "files_sha256", "sha256")
    run_id = _get(report, "run_id", "text")
    if len(run_id) > 64:
        raise _shape_error("run_id", "an identifier of at most 64 characters")
    exhibit = report.get("exhibit")
    if exhibit is not None and not isinstance(exhibit, str):
        raise _shape_error("exhibit", "text")
    examiner = report.get("examiner") or ""
    if not isinstance(examiner, str):
        raise _shape_error("examiner", "text")
    started_at, finished_at = report.get("started_at") or "", report.get("finished_at") or ""
    if not isinstance(started_at, str) or not isinstance(finished_at, str):
        raise _shape_error("started_at", "text")

    pdq = _pdq_section(report)
    new_material = _new_material_section(report)

    ungraded: list[tuple[str, str, str, str]] = []
    sharing: dict[str, int] = {}
    actual, recount = _recount(files_lines, ungraded, sharing)
    if actual != sealed:
        raise ReportSealMismatch(
            "The files listing is not the one this report was sealed with: files.jsonl has "
            "been changed, or belongs to another run",
            details={"report_files_sha256": sealed, "files_jsonl_sha256": actual},
        )
    declared = {
        "files": totals["files"],
        "images": totals["images"],
        "errors": totals["errors"],
        "known_good": known_good,
        "unmatched_images": unmatched,
    } | {f"category:{c}": n for c, n in categories.items()}
    if pdq is not None:
        declared["pdq_matched"] = pdq.matched
    if videos_declared is not None:
        declared["unmatched_videos"] = videos_declared
    differing = {
        k: {"report": declared[k], "listing": recount[k]}
        for k in declared
        if declared[k] != recount[k]
    }
    if differing:
        raise ReportCountsMismatch(
            "The report's counts do not match its files listing",
            details={"differences": differing},
        )
    if (exhibit or "").strip() != expected_exhibit.strip():
        raise ReportExhibitMismatch(
            f"This report is for exhibit {exhibit or '(none)'}, not {expected_exhibit}",
            details={"report_exhibit": exhibit, "exhibit": expected_exhibit},
        )
    return TriageResult(
        tool_name=tool_name,
        tool_version=tool_version,
        exhibit=exhibit or "",
        examiner=examiner,
        started_at=started_at,
        finished_at=finished_at,
        categories=categories,
        known_good=known_good,
        unmatched_images=unmatched,
        total_files=totals["files"],
        total_bytes=totals["bytes"],
        total_images=totals["images"],
        total_errors=totals["errors"],
        report_sha256=hashlib.sha256(report_bytes).hexdigest(),
        files_sha256=sealed,
        summary=_bounded_summary(report, recount["files"]),
        pdq=pdq,
        new_material=new_material,
        series_matches=recount["series"],
        unmatched_videos=recount["unmatched_videos"],
        victim_identified_matches=recount["victim_identified"],
        run_id=run_id.strip(),
        ungraded_items=tuple(ungraded),
        file_sharing=dict(sorted(sharing.items())),
    )
