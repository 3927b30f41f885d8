"""``new-material.vics.json``: unmatched images as a VICS 2.0 (UK) case file.

Images with no match (exact or PDQ) that are not known-good are the candidates for victim
identification: material not yet in any reference set. They are exported as a Project VIC /
VICS 2.0 case so that a grading or victim-identification tool can import them.

Field names are exactly those of forensic-triage.md §1.7 ("Case export", Clees4All
``VICS.cpp`` UK writer and GLEAPP reader):

* document: ``@odata.context`` = the VICS 2.0 UK ``#Cases`` context, ``value`` = ``[case]``;
* case: ``CaseID`` (GUID in braces), ``CaseNumber`` (the exhibit reference), ``ContactName``
  (the examiner), ``SourceApplicationName``, ``SourceApplicationVersion``,
  ``TotalMediaFiles``, ``TotalPrecategorized``, ``Media``;
* media (one per distinct content, by SHA-256): ``MediaID``, ``MD5``, ``SHA1`` (upper-case
  hex, as in distributed sets), ``MediaSize``, ``IsPrecategorized: false``, ``MimeType``,
  ``RelativeFilePath`` (the path inside the evidence of the first copy),
  ``AlternativeHashes`` (``HashName``/``HashValue``: ``SHA256`` and, where the image has a
  matchable PDQ hash of quality ≥ 50 (research §2.2), ``PDQ`` as 64 lower-case hex digits,
  the reference serialisation of §2.1), and ``MediaFiles`` (``MD5``, ``FileName``,
  ``FilePath``, ``Deleted``) listing every copy;
* ``Category`` is omitted, as the UK writer omits it for uncategorised media (§1.7).

No content, no thumbnails, no EXIF values: hashes, sizes, types and paths only. The case id
is derived from ``files_sha256``, so the same listing always gives the same file.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from .pdqconst import QUALITY_THRESHOLD

FILENAME = "new-material.vics.json"
VICS2_UK_CASES = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/UK/$metadata#Cases"
SOURCE_APPLICATION = "comeforward-triage"


def is_candidate(rec: dict[str, Any]) -> bool:
    """An image, hashed, with no match of any kind and not known-good."""
    return (
        bool(rec.get("is_image"))
        and rec.get("match") is None
        and not rec.get("known_good")
        and rec.get("sha256") is not None
    )


def _media(media_id: int, copies: list[dict[str, Any]]) -> dict[str, Any]:
    first = copies[0]
    alternative = [{"HashName": "SHA256", "HashValue": first["sha256"].upper()}]
    if first.get("pdq") is not None and int(first.get("pdq_quality") or 0) >= QUALITY_THRESHOLD:
        alternative.append({"HashName": "PDQ", "HashValue": first["pdq"].lower()})
    media: dict[str, Any] = {
        "MediaID": media_id,
        "MD5": first["md5"].upper(),
        "SHA1": first["sha1"].upper(),
        "MediaSize": first["size"],
        "IsPrecategorized": False,
        "RelativeFilePath": first["path"],
        "AlternativeHashes": alternative,
        "MediaFiles": [
            {
                "MD5": rec["md5"].upper(),
                "FileName": rec["path"].rsplit("/", 1)[-1],
                "FilePath": rec["path"],
                "Deleted": bool(rec.get("deleted")),
            }
            for rec in copies
        ],
    }
    if first.get("type"):
        media["MimeType"] = first["type"]
    return media


def new_material(
    records: Sequence[dict[str, Any]],
    *,
    files_sha256: str,
    exhibit: str | None,
    examiner: str | None,
    version: str,
) -> tuple[bytes, int, int]:
    """The case file for the candidates among *records* (in listing order).

    Returns ``(bytes, media count, file count)``.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for rec in records:
        if is_candidate(rec):
            groups.setdefault(rec["sha256"], []).append(rec)
    media = [_media(i, copies) for i, copies in enumerate(groups.values(), 1)]
    case: dict[str, Any] = {
        "CaseID": "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{FILENAME}:{files_sha256}")) + "}",
    }
    if exhibit:
        case["CaseNumber"] = exhibit
    if examiner:
        case["ContactName"] = examiner
    case |= {
        "SourceApplicationName": SOURCE_APPLICATION,
        "SourceApplicationVersion": version,
        "TotalMediaFiles": len(media),
        "TotalPrecategorized": 0,
        "Media": media,
    }
    doc = {"@odata.context": VICS2_UK_CASES, "value": [case]}
    data = (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    return data, len(media), sum(map(len, groups.values()))
