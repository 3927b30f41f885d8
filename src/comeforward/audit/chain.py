"""The hash chain: pure functions, no Django (users-and-security §4.6, DPA 2018 s.62).

Each record's ``hash`` is HMAC-SHA256, keyed by a secret held outside the database, over the
canonical JSON of the record's fields *and the previous record's hash*. Editing a field,
deleting or reordering a record, inserting one out of sequence or recomputing hashes without
the key all break the chain at the first affected record.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64

#: The fields covered by the HMAC, in a fixed order. Adding a field is a new chain version.
CHAINED_FIELDS = (
    "seq",
    "occurred_at",
    "operation",
    "actor_id",
    "actor_email",
    "actor_role",
    "actor_organisation",
    "subject_type",
    "subject_id",
    "subject_ref",
    "scope",
    "justification",
    "outcome",
    "details",
    "prev_hash",
)


def canonical(record: Mapping[str, Any]) -> bytes:
    payload = {name: record.get(name) for name in CHAINED_FIELDS}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def record_hash(key: bytes, record: Mapping[str, Any]) -> str:
    return hmac.new(key, canonical(record), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int | None
    record_id: int | None
    reason: str


def verify(key: bytes, records: Iterable[Mapping[str, Any]]) -> tuple[int, Break | None]:
    """Walk records in ``seq`` order; return (records checked, first break or None)."""
    expected_seq, prev = 1, GENESIS
    count = 0
    for record in records:
        count += 1
        seq, rid = record["seq"], record.get("id")
        if seq != expected_seq:
            reason = (
                f"sequence gap: expected record {expected_seq}, found {seq}"
                if seq > expected_seq
                else f"record {seq} is out of order (expected {expected_seq})"
            )
            return count, Break(seq, rid, reason)
        if record["prev_hash"] != prev:
            return count, Break(seq, rid, "previous-hash link does not match the record before")
        if not hmac.compare_digest(record_hash(key, record), record["hash"]):
            return count, Break(
                seq, rid, "record hash does not match its contents (edited or re-keyed)"
            )
        prev = record["hash"]
        expected_seq += 1
    return count, None
