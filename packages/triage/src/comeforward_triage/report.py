"""Sealed outputs of a run: ``files.jsonl``, ``report.json``, ``report.dfxml``,
``report.case.jsonld`` (INTERFACES.md §5; content per forensic-triage.md §5.2).

No content and no thumbnails, ever: only paths, sizes, hashes, types and categories.
``files_sha256`` in ``report.json`` seals the listing; DFXML follows the DFXML 2.0 schema
(fiwalk element order); CASE/UCO records the investigative action, tool, exhibit and files
with their hashes (CASE 1.x / UCO 1.x vocabulary).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import tempfile
import uuid
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

DFXML_NS = "http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML"

LIMITATIONS = [
    "Indicative categorisation by hash match against the reference sets listed; not a grading.",
    "Unallocated space is not carved; deleted files are listed only where the file system "
    "still holds their metadata.",
    "Only the default data stream of each file is read (no NTFS alternate data streams).",
    "Only ZIP and TAR archives are expanded; other containers are hashed as single files.",
]


def limitations(pdq: dict[str, Any]) -> list[str]:
    """The fixed limitations plus what perceptual matching did and did not cover."""
    if not pdq.get("enabled"):
        return [*LIMITATIONS, "Perceptual (PDQ) matching was not run (--no-perceptual)."]
    return [
        *LIMITATIONS,
        f"PDQ matches (via pdq) are near-duplicates within Hamming distance {pdq['radius']} of "
        "a reference hash, rotations and mirror images included: likely, not certain, to be "
        "the same picture; confirm by viewing under the force's procedures.",
        f"Images whose PDQ quality is below {pdq['quality_threshold']} ({pdq['low_quality']} "
        "in this run) are not perceptually matched; exact hash matching still applies.",
        "Perceptual similarity never marks an image known-good; known-good exclusion is by "
        "exact hash only.",
    ]


def atomic_write(path: str, data: bytes) -> None:
    """Write *data* to *path* so that a crash leaves either the old or the new file."""
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dfd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def sort_key(rec: dict[str, Any]) -> tuple[str, int, bool]:
    return (rec["path"], -1 if rec.get("inode") is None else rec["inode"], bool(rec["deleted"]))


def files_jsonl(records: Sequence[dict[str, Any]]) -> bytes:
    return b"".join(
        (json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8") for r in records
    )


def issues(
    records: Sequence[dict[str, Any]],
    limit: int = 1000,
    source_issues: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """Errors and warnings by code, with the first *limit* listed (coverage, §5.2 item 4).
    *source_issues* — ``(code, message)`` about the evidence as a whole, e.g. an E01 whose
    acquisition hash does not match — come first, with the path ``""``."""
    by_code: dict[str, int] = {}
    listed: list[dict[str, str]] = []
    for code, message in source_issues:
        by_code[code] = by_code.get(code, 0) + 1
        listed.append({"path": "", "code": code, "message": message})
    for rec in records:
        notes = []
        if rec.get("error_code"):
            notes.append((rec["error_code"], rec["error"]))
        if rec.get("container") and rec["container"].get("error"):
            err = rec["container"]["error"]
            notes.append((err.split(":", 1)[0], err))
        for w in rec.get("warnings", ()):
            notes.append((w.split(":", 1)[0], w))
        for code, message in notes:
            by_code[code] = by_code.get(code, 0) + 1
            if len(listed) < limit:
                listed.append({"path": rec["path"], "code": code, "message": message})
    return {
        "by_code": dict(sorted(by_code.items())),
        "listed": listed,
        "truncated": sum(by_code.values()) > len(listed),
    }


def build_report(
    *,
    version: str,
    run: dict[str, Any],
    source: dict[str, Any],
    counts: dict[str, Any],
    hashsets: list[dict[str, Any]],
    files_sha256: str,
    records: Sequence[dict[str, Any]],
    finished_at: str,
    stats: dict[str, Any],
    perceptual: dict[str, Any],
    source_issues: Sequence[tuple[str, str]] = (),
    pdq: dict[str, Any],
    new_material: dict[str, Any],
) -> dict[str, Any]:
    return {
        "tool": {
            "name": "comeforward-triage",
            "version": version,
            "python": platform.python_version(),
        },
        "exhibit": run.get("exhibit"),
        "examiner": run.get("examiner"),
        "started_at": run["started_at"],
        "finished_at": finished_at,
        "command": run.get("command"),
        "host": platform.node(),
        "source": source,
        "totals": counts["totals"],
        "categories": counts["categories"],
        "known_good": counts["known_good"],
        "unmatched_images": counts["unmatched_images"],
        "unmatched_videos": counts["unmatched_videos"],
        "matches_by_method": counts["matches_by_method"],
        "pdq": pdq,
        "new_material": new_material,
        "hashsets": hashsets,
        "configuration": {
            "perceptual": perceptual,
            "archive_limits": run.get("limits"),
            "jobs": stats.get("jobs"),
        },
        "issues": issues(records, source_issues=source_issues),
        "run": stats,
        "limitations": limitations(pdq),
        "files": "files.jsonl",
        "files_sha256": files_sha256,
    }


# -- DFXML ---------------------------------------------------------------------------------


def _el(name: str, value: Any, attrs: str = "") -> str:
    return f"<{name}{attrs}>{escape(_xml_safe(str(value)))}</{name}>"


#: What XML 1.0 cannot carry: control characters other than tab, LF and CR, U+FFFE, U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot carry most control characters: show them as \\xNN."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def dfxml(report: dict[str, Any], records: Sequence[dict[str, Any]]) -> bytes:
    out = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        f"<dfxml xmlns='{DFXML_NS}' xmlns:dc='http://purl.org/dc/elements/1.1/' "
        "version='2.0.0-beta.0'>",
        "<metadata>",
        _el("dc:type", "Hash list"),
        "</metadata>",
        "<creator>",
        _el("program", report["tool"]["name"]),
        _el("version", report["tool"]["version"]),
        "<execution_environment>",
        _el("os_sysname", platform.system()),
        _el("host", report.get("host") or ""),
        _el("command_line", " ".join(report.get("command") or [])),
        _el("start_time", report["started_at"]),
        "</execution_environment>",
        "</creator>",
        "<source>",
        _el("image_filename", report["source"]["path"]),
        "</source>",
    ]
    for i, rec in enumerate(records, 1):
        out.append("<fileobject>")
        out.append(_el("filename", rec["path"]))
        if rec.get("error"):
            out.append(_el("error", rec["error"]))
        out.append(_el("id", i))
        out.append(_el("filesize", rec["size"]))
        out.append(_el("alloc", 0 if rec.get("deleted") else 1))
        if rec.get("inode") is not None:
            out.append(_el("inode", rec["inode"]))
        if rec.get("mtime"):
            mtime = rec["mtime"] if rec["mtime"].endswith("Z") else rec["mtime"]
            out.append(_el("mtime", mtime))
        for alg, label in (("md5", "md5"), ("sha1", "sha1"), ("sha256", "sha256")):
            if rec.get(alg):
                out.append(_el("hashdigest", rec[alg], f" type='{label}'"))
        out.append("</fileobject>")
    out.append("</dfxml>")
    return ("\n".join(out) + "\n").encode("utf-8")


# -- CASE / UCO ----------------------------------------------------------------------------

CASE_CONTEXT = {
    "kb": "http://example.org/kb/",
    "case-investigation": "https://ontology.caseontology.org/case/investigation/",
    "uco-action": "https://ontology.unifiedcyberontology.org/uco/action/",
    "uco-core": "https://ontology.unifiedcyberontology.org/uco/core/",
    "uco-identity": "https://ontology.unifiedcyberontology.org/uco/identity/",
    "uco-observable": "https://ontology.unifiedcyberontology.org/uco/observable/",
    "uco-tool": "https://ontology.unifiedcyberontology.org/uco/tool/",
    "uco-types": "https://ontology.unifiedcyberontology.org/uco/types/",
    "uco-vocabulary": "https://ontology.unifiedcyberontology.org/uco/vocabulary/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _kb(namespace: uuid.UUID, kind: str, name: str) -> str:
    """A stable node id ending in a UUID, as UCO suggests for every UcoThing (UCO 1.x SHACL
    shape ``core:UcoThing``: "UcoThings are suggested to end with a UUID")."""
    return f"kb:{kind}-{uuid.uuid5(namespace, kind + ':' + name)}"


def _file_ids(namespace: uuid.UUID, ident: str) -> Callable[[str], str]:
    """Node ids of one file and its facets and hashes: one UUID for the file (``uuid5``, the
    costly part, once per file) under a prefix per node kind — unique, stable, ending in a
    UUID."""
    u = uuid.uuid5(namespace, "file:" + ident)
    return lambda kind: f"kb:{kind}-{u}"


def _dt(value: str) -> dict[str, str]:
    return {"@type": "xsd:dateTime", "@value": value}


def case_jsonld(report: dict[str, Any], records: Sequence[dict[str, Any]]) -> bytes:
    ns = uuid.uuid5(uuid.NAMESPACE_URL, "comeforward-triage:" + report["files_sha256"])
    tool_id = _kb(ns, "tool", report["tool"]["name"])
    exhibit_id = _kb(ns, "exhibit", str(report.get("exhibit")))
    action_id = _kb(ns, "investigative-action", report["started_at"])
    graph: list[dict[str, Any]] = [
        {
            "@id": tool_id,
            "@type": "uco-tool:Tool",
            "uco-core:name": report["tool"]["name"],
            "uco-tool:version": report["tool"]["version"],
            "uco-tool:toolType": "forensic triage",
        },
        {
            "@id": exhibit_id,
            "@type": "uco-observable:ObservableObject",
            "uco-core:name": str(report.get("exhibit") or report["source"]["path"]),
            "uco-core:description": f"{report['source']['kind']} evidence source "
            f"{report['source']['path']}",
        },
    ]
    action: dict[str, Any] = {
        "@id": action_id,
        "@type": "case-investigation:InvestigativeAction",
        "uco-core:name": "forensic triage (hash and match)",
        "uco-action:startTime": _dt(report["started_at"]),
        "uco-action:endTime": _dt(report["finished_at"]),
        "uco-action:instrument": {"@id": tool_id},
        "uco-action:object": [{"@id": exhibit_id}],
        "uco-action:result": [],
    }
    if report.get("examiner"):
        examiner_id = _kb(ns, "examiner", report["examiner"])
        graph.append(
            {
                "@id": examiner_id,
                "@type": "uco-identity:Identity",
                "uco-core:name": report["examiner"],
            }
        )
        action["uco-action:performer"] = {"@id": examiner_id}
    for rec in records:
        node = _file_ids(ns, json.dumps([rec["path"], rec.get("inode"), rec["deleted"]]))
        fid = node("file")
        facets: list[dict[str, Any]] = [
            {
                "@id": node("file-facet"),
                "@type": "uco-observable:FileFacet",
                "uco-observable:fileName": rec["path"].rsplit("/", 1)[-1],
                "uco-observable:filePath": rec["path"],
                "uco-observable:sizeInBytes": {"@type": "xsd:integer", "@value": str(rec["size"])},
                "uco-observable:isDirectory": False,
            }
        ]
        hashes = [
            {
                "@id": node(f"hash-{alg}"),
                "@type": "uco-types:Hash",
                # UCO >= 1.4.0: hashMethod is an xsd:string drawn from HashNameVocab
                "uco-types:hashMethod": label,
                "uco-types:hashValue": {"@type": "xsd:hexBinary", "@value": rec[alg].upper()},
            }
            for alg, label in (("md5", "MD5"), ("sha1", "SHA1"), ("sha256", "SHA256"))
            if rec.get(alg)
        ]
        if hashes:
            facets.append(
                {
                    "@id": node("content-data-facet"),
                    "@type": "uco-observable:ContentDataFacet",
                    "uco-observable:sizeInBytes": {
                        "@type": "xsd:integer",
                        "@value": str(rec["size"]),
                    },
                    "uco-observable:hash": hashes,
                }
            )
        graph.append({"@id": fid, "@type": "uco-observable:File", "uco-core:hasFacet": facets})
        action["uco-action:result"].append({"@id": fid})
    graph.append(action)
    # One node per line: readable, and each line written by json's C encoder (an indented
    # dump goes through its pure-Python encoder: seconds for a large exhibit).
    context = json.dumps(CASE_CONTEXT, ensure_ascii=False)
    nodes = ",\n".join(json.dumps(n, ensure_ascii=False) for n in graph)
    return f'{{"@context": {context},\n"@graph": [\n{nodes}\n]}}\n'.encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
