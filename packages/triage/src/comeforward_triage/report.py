"""Sealed outputs of a run: ``files.jsonl``, ``report.json``, ``report.dfxml``,
``report.case.jsonld`` (docs/interfaces.md §7; content per forensic-triage.md §5.2).

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
from collections.abc import Iterator, Sequence
from typing import Any

from . import filetype, native

#: The tool's name in every report (report.json, DFXML, CASE)
TOOL_NAME = "comeforward-triage"

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


#: A report's bytes: one string, or its chunks in order (a large report is never joined into
#: one copy: issue 16 item 5, a run on a million files).
Data = bytes | Sequence[bytes]


def atomic_write(path: str, data: Data) -> None:
    """Write *data* to *path* so that a crash leaves either the old or the new file."""
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                for chunk in data:
                    fh.write(chunk)
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


_json_sorted = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def files_jsonl(
    records: Sequence[dict[str, Any]], lines: Sequence[str | None] | None = None
) -> bytes:
    """``files.jsonl``: the bytes of :func:`files_jsonl_chunks` in one string."""
    return b"".join(files_jsonl_chunks(records, lines))


def files_jsonl_chunks(
    records: Sequence[dict[str, Any]], lines: Sequence[str | None] | None = None
) -> list[bytes]:
    """One JSON object per line, keys sorted. *lines*: the journal's line of each record
    (:attr:`.journal.Journal.lines`), in the order of *records* (``None`` where there is
    none): a record the final phases left unchanged — no
    archive members, no PDQ hash, no video (the only records perceptual matching and the vPDQ
    phase, :func:`.vpdq.match_videos`, touch) — is the
    journal's line with ``"container": null`` put first (keys sorted: it sorts before every
    other key), so it is not serialised a second time (issue 16 item 4). In chunks of
    :data:`_CHUNK_LINES` lines, never joined (a million files make ~450 MB)."""
    chunks: list[bytes] = []
    out: list[str] = []
    if lines is not None and len(lines) != len(records):
        raise ValueError("files_jsonl: one line (or None) per record")
    for i, r in enumerate(records):
        line = None
        if (
            lines is not None
            and r.get("container") is None
            and r.get("pdq") is None
            and not filetype.is_video(r.get("type"))
        ):
            line = lines[i]
        if line is not None and line.startswith("{") and line != "{}":
            out.append('{"container": null, ' + line[1:])
        else:
            out.append(_json_sorted(r))
        if len(out) >= _CHUNK_LINES:
            out.append("")
            chunks.append("\n".join(out).encode("utf-8"))
            out = []
    if out:
        out.append("")
        chunks.append("\n".join(out).encode("utf-8"))
    return chunks


#: Lines per chunk of ``files.jsonl`` (~2 MB)
_CHUNK_LINES = 4096


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
            "name": TOOL_NAME,
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


def escape(data: str) -> str:
    """``xml.sax.saxutils.escape`` (``&``, ``<``, ``>``), without importing xml.sax (which pulls
    in urllib.request: ~20-60 ms of every run's start)."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot carry most control characters: show them as \\xNN."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _text(value: str) -> str:
    """Element text: XML-escaped, control characters shown as \\xNN (what :func:`_el` does)."""
    if _NOT_XML.search(value):
        value = _xml_safe(value)
    return escape(value)


def dfxml(report: dict[str, Any], records: Sequence[dict[str, Any]]) -> bytes:
    """DFXML 2.0: the bytes of :func:`dfxml_chunks` in one string."""
    return b"".join(dfxml_chunks(report, records))


def dfxml_chunks(report: dict[str, Any], records: Sequence[dict[str, Any]]) -> list[bytes]:
    """DFXML 2.0 (fiwalk element order), one ``<fileobject>`` per record, as chunks.

    Written from string templates, one per record (issue 16 item 5): about 2 µs a file
    instead of ~75 µs through one helper call per element; the bytes are the same. Where the
    native core is built, the fileobjects come from C (reportwrite.c, ~0.3 µs a file), the
    loop below staying the definition (tests compare both)."""
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
    fast = native.dfxml_files(records)
    if fast is not None:
        head = ("\n".join(out) + "\n").encode("utf-8")
        return [head, fast, b"\n</dfxml>\n"] if fast else [head, b"</dfxml>\n"]
    append = out.append
    for i, rec in enumerate(records, 1):
        error = rec.get("error")
        inode = rec.get("inode")
        mtime = rec.get("mtime")
        md5 = rec.get("md5")
        sha1 = rec.get("sha1")
        sha256 = rec.get("sha256")
        append(
            f"<fileobject>\n<filename>{_text(rec['path'])}</filename>\n"
            + (f"<error>{_text(str(error))}</error>\n" if error else "")
            + f"<id>{i}</id>\n<filesize>{rec['size']}</filesize>\n"
            f"<alloc>{0 if rec.get('deleted') else 1}</alloc>\n"
            + ("" if inode is None else f"<inode>{inode}</inode>\n")
            + (f"<mtime>{_text(mtime)}</mtime>\n" if mtime else "")
            + (f"<hashdigest type='md5'>{md5}</hashdigest>\n" if md5 else "")
            + (f"<hashdigest type='sha1'>{sha1}</hashdigest>\n" if sha1 else "")
            + (f"<hashdigest type='sha256'>{sha256}</hashdigest>\n" if sha256 else "")
            + "</fileobject>"
        )
    append("</dfxml>")
    return [("\n".join(out) + "\n").encode("utf-8")]


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


def _uuid5(namespace: bytes, name: str) -> str:
    """``str(uuid.uuid5(UUID(bytes=namespace), name))``, without building UUID objects (a third
    of the CASE writer's time per file went there)."""
    h = hashlib.sha1(namespace + name.encode("utf-8")).hexdigest()  # noqa: S324 - RFC 4122 §4.3
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"


def _dt(value: str) -> dict[str, str]:
    return {"@type": "xsd:dateTime", "@value": value}


#: Files per CASE document: a run on a million files writes ``report.case.jsonld`` and further
#: parts ``report.case.part002.jsonld`` … of at most this many files each (~140 MB), so that
#: an examiner's JSON-LD tools can load each (issue 16 item 5). Every part is a valid graph on
#: its own: it repeats the tool, exhibit, examiner and the investigative action (same ``@id``s,
#: so merged parts describe one action) with the results of its own files.
CASE_PART_FILES = 100_000

_HASH_LABELS = (("md5", "MD5"), ("sha1", "SHA1"), ("sha256", "SHA256"))
_json_str = json.JSONEncoder(ensure_ascii=False).encode
_json_ascii = json.encoder.encode_basestring_ascii  # what json.dumps gives a str in a list


def case_part_name(index: int) -> str:
    """``report.case.jsonld`` for the first part, ``report.case.part002.jsonld`` after."""
    return "report.case.jsonld" if index == 0 else f"report.case.part{index + 1:03d}.jsonld"


def _case_file_node(ns: bytes, rec: dict[str, Any]) -> tuple[str, str]:
    """The File node of one record (one JSON line, the bytes ``json.dumps`` would give) and
    its id — from a string template: a few µs a file instead of ~175 µs through dicts."""
    path = rec["path"]
    inode = rec.get("inode")
    deleted = rec["deleted"]
    if (inode is None or type(inode) is int) and type(deleted) is bool:
        # json.dumps([path, inode, deleted]) (ensure_ascii) without a list and an encoder
        name = (
            f"[{_json_ascii(path)}, {'null' if inode is None else int.__repr__(inode)}, "
            f"{'true' if deleted else 'false'}]"
        )
    else:
        name = json.dumps([path, inode, deleted])
    u = _uuid5(ns, "file:" + name)
    size = rec["size"]
    path_json = _json_str(path)
    slash = path.rfind("/")
    node = (
        f'{{"@id": "kb:file-{u}", "@type": "uco-observable:File", "uco-core:hasFacet": '
        f'[{{"@id": "kb:file-facet-{u}", "@type": "uco-observable:FileFacet", '
        f'"uco-observable:fileName": '
        f"{path_json if slash < 0 else _json_str(path[slash + 1 :])}, "
        f'"uco-observable:filePath": {path_json}, '
        f'"uco-observable:sizeInBytes": {{"@type": "xsd:integer", "@value": "{size}"}}, '
        '"uco-observable:isDirectory": false}'
    )
    hashes = [
        f'{{"@id": "kb:hash-{alg}-{u}", "@type": "uco-types:Hash", '
        # UCO >= 1.4.0: hashMethod is an xsd:string drawn from HashNameVocab
        f'"uco-types:hashMethod": "{label}", '
        f'"uco-types:hashValue": {{"@type": "xsd:hexBinary", "@value": "{rec[alg].upper()}"}}}}'
        for alg, label in _HASH_LABELS
        if rec.get(alg)
    ]
    if hashes:
        node += (
            f', {{"@id": "kb:content-data-facet-{u}", '
            '"@type": "uco-observable:ContentDataFacet", '
            f'"uco-observable:sizeInBytes": {{"@type": "xsd:integer", "@value": "{size}"}}, '
            f'"uco-observable:hash": [{", ".join(hashes)}]}}'
        )
    return node + "]}", f"kb:file-{u}"


def case_head(
    *,
    version: str,
    run: dict[str, Any],
    source: dict[str, Any],
    files_sha256: str,
    finished_at: str,
) -> dict[str, Any]:
    """What :func:`case_jsonld` reads of a report — the same keys and values
    :func:`build_report` gives them — known as soon as the listing is digested, so that the CASE
    parts can be written while the rest of the report is made (issue 16 item 5)."""
    return {
        "tool": {"name": TOOL_NAME, "version": version},
        "exhibit": run.get("exhibit"),
        "examiner": run.get("examiner"),
        "started_at": run["started_at"],
        "finished_at": finished_at,
        "source": {"kind": source["kind"], "path": source["path"]},
        "files_sha256": files_sha256,
    }


def case_jsonld(
    report: dict[str, Any],
    records: Sequence[dict[str, Any]],
    part_files: int = CASE_PART_FILES,
) -> list[bytes]:
    """The CASE/UCO report: one document per *part_files* files (:data:`CASE_PART_FILES`);
    the first is ``report.case.jsonld`` (:func:`case_part_name`). *report*: the run's report,
    or the part of it :func:`case_head` gives."""
    return [b"".join(part) for part in case_part_chunks(report, records, part_files)]


def case_part_chunks(
    report: dict[str, Any],
    records: Sequence[dict[str, Any]],
    part_files: int = CASE_PART_FILES,
) -> Iterator[list[bytes]]:
    """The documents of :func:`case_jsonld`, made one at a time, each as chunks (a million
    files make ~1.4 GB of CASE: neither all parts nor a part joined are held at once)."""
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "comeforward-triage:" + report["files_sha256"])
    ns = namespace.bytes
    tool_id = _kb(namespace, "tool", report["tool"]["name"])
    exhibit_id = _kb(namespace, "exhibit", str(report.get("exhibit")))
    action_id = _kb(namespace, "investigative-action", report["started_at"])
    common: list[dict[str, Any]] = [
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
        examiner_id = _kb(namespace, "examiner", report["examiner"])
        common.append(
            {
                "@id": examiner_id,
                "@type": "uco-identity:Identity",
                "uco-core:name": report["examiner"],
            }
        )
        action["uco-action:performer"] = {"@id": examiner_id}
    # One node per line: readable, and each line written by json's C encoder or a template.
    context = json.dumps(CASE_CONTEXT, ensure_ascii=False)
    head = [json.dumps(n, ensure_ascii=False) for n in common]
    step = max(1, part_files)
    for start in range(0, max(len(records), 1), step):
        stop = min(start + step, len(records))
        fast = native.case_files(ns, records, start, stop)
        if fast is not None:
            yield _case_part_chunks(context, head, action, *fast)
            continue
        nodes = list(head)
        results = []
        for rec in records[start : start + step]:
            node, fid = _case_file_node(ns, rec)
            nodes.append(node)
            results.append({"@id": fid})
        nodes.append(json.dumps(action | {"uco-action:result": results}, ensure_ascii=False))
        body = ",\n".join(nodes)
        yield [f'{{"@context": {context},\n"@graph": [\n{body}\n]}}\n'.encode()]


#: Where the action's results go in its JSON: the key is written once, unescaped (a string value
#: that holds these characters has its quotes escaped), before ``uco-action:performer``.
_EMPTY_RESULTS = '"uco-action:result": []'


def _case_part_chunks(
    context: str, head: list[str], action: dict[str, Any], files: bytes, results: bytes
) -> list[bytes]:
    """One CASE document from the native File nodes and result list, as chunks: the bytes the
    Python loop of :func:`case_part_chunks` gives (tests compare both)."""
    before, after = json.dumps(action, ensure_ascii=False).split(_EMPTY_RESULTS, 1)
    start = f'{{"@context": {context},\n"@graph": [\n' + ",\n".join(head) + ",\n"
    act = [before.encode(), b'"uco-action:result": ', results, after.encode(), b"\n]}\n"]
    return [start.encode(), files, b",\n", *act] if files else [start.encode(), *act]


def sha256_hex(data: Data) -> str:
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest()
    h = hashlib.sha256()
    for chunk in data:
        h.update(chunk)
    return h.hexdigest()
