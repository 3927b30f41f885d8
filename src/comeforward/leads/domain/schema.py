"""The bulk-file schemas (docs/leads.md) and their validation: pure, no Django.

Two kinds of file, each as CSV (UTF-8, a header row) or JSON Lines (one object per line):

* ``payment`` — payment-processor records (Operation Ore's kind);
* ``referral`` — industry referrals (provider, incident time, accounts, IP, file hashes).

:func:`parse_batch` reads every row, collects every problem with its line number, and either
returns all rows or raises :class:`BatchRejected` listing the problems — a batch is imported
whole or not at all. The full card number is never kept: it becomes a keyed hash (HMAC-SHA-256
with the leads card key) plus its last four digits, in the row's original values too.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from comeforward.errors import DomainError

from .timestamps import BadTimestamp, parse_time

KINDS = ("payment", "referral")

YES_NO_UNKNOWN = ("yes", "no", "unknown")
PAYMENT_COLUMNS: dict[str, str] = {
    "record_id": "optional: the supplier's own identifier for the record",
    "cardholder_name": "required: the name on the card, as supplied",
    "date_of_birth": "optional: YYYY-MM-DD",
    "billing_address": "optional: the billing address, one line",
    "billing_postcode": "optional",
    "address_use": "optional: billing_only | residential | unknown (default unknown)",
    "email": "optional",
    "phone": "optional",
    "card_number": "optional: digits (12–19); kept only as a keyed hash + last four",
    "card_last4": "optional: the last four digits, when no card number is supplied",
    "transaction_time": "required: the time as supplied (ISO 8601 or YYYY-MM-DD HH:MM[:SS])",
    "transaction_zone": "optional: the zone as supplied (IANA name, +HH:MM, UTC, or abbreviation)",
    "ip": "optional: the paying IP address",
    "merchant": "required: the merchant or site paid",
    "merchant_classification": "optional: iioc | adult_only | fraud | unknown (default unknown)",
    "card_verification": "optional: passed | failed | absent | unknown (default unknown)",
    "accessed_after_payment": "optional: yes | no | unknown (default unknown)",
    "chargeback": "optional: yes | no | unknown (default unknown)",
    "card_reported_stolen": "optional: yes | no | unknown (default unknown)",
    "amount": "optional: the amount, as supplied",
    "currency": "optional",
}
REFERRAL_COLUMNS: dict[str, str] = {
    "record_id": "optional: the provider's report identifier",
    "provider": "required: the service provider that referred",
    "incident_time": "required: the time as supplied",
    "incident_zone": "optional: the zone as supplied",
    "account_ids": "optional: identifiers separated by ';' (e.g. username:jd01;email:a@b)",
    "subject_name": "optional: the account holder's name as supplied",
    "date_of_birth": "optional: YYYY-MM-DD",
    "address": "optional",
    "postcode": "optional",
    "email": "optional",
    "phone": "optional",
    "ip": "optional: the uploading IP address",
    "uploaded_file_hashes": "optional: MD5/SHA-1/SHA-256 hex digests separated by ';'",
}
COLUMNS = {"payment": PAYMENT_COLUMNS, "referral": REFERRAL_COLUMNS}
REQUIRED = {
    "payment": ("cardholder_name", "transaction_time", "merchant"),
    "referral": ("provider", "incident_time"),
}
CHOICES = {
    "address_use": ("billing_only", "residential", "unknown"),
    "merchant_classification": ("iioc", "adult_only", "fraud", "unknown"),
    "card_verification": ("passed", "failed", "absent", "unknown"),
    "accessed_after_payment": YES_NO_UNKNOWN,
    "chargeback": YES_NO_UNKNOWN,
    "card_reported_stolen": YES_NO_UNKNOWN,
}
#: Most problems listed in one refusal (the count says how many there were in all).
MAX_REPORTED = 200
_HEX = re.compile(r"^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_IPV4 = re.compile(r"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$")


class BatchRejected(DomainError):
    code = "BATCH_INVALID"


class UnknownLeadKind(DomainError):
    code = "UNKNOWN_LEAD_KIND"


@dataclass
class ParsedRow:
    line: int
    original: dict[str, Any]
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParsedBatch:
    kind: str
    file_format: str
    rows: list[ParsedRow]


def card_hash(key: bytes, digits: str) -> str:
    """The keyed hash of a card number (HMAC-SHA-256, hex)."""
    return hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()


def split_name(name: str) -> tuple[str, str]:
    """'Surname, Given' or 'Given Names Surname' → (given names, family name)."""
    name = " ".join(name.split())
    if "," in name:
        family, _, given = name.partition(",")
        return given.strip(), family.strip()
    parts = name.rsplit(" ", 1)
    if len(parts) == 1:
        return "", parts[0]
    return parts[0], parts[1]


def _detect_format(filename: str, text: str) -> str:
    lower = filename.lower()
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if lower.endswith(".csv"):
        return "csv"
    return "jsonl" if text.lstrip().startswith("{") else "csv"


def _records(file_format: str, text: str, problems: list[dict]) -> list[tuple[int, dict]]:
    records: list[tuple[int, dict]] = []
    if file_format == "csv":
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader)
        except StopIteration:
            return []
        header = [h.strip() for h in header]
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.append(
                    _problem(
                        reader.line_num,
                        "",
                        "WRONG_COLUMN_COUNT",
                        f"{len(row)} values for {len(header)} columns",
                    )
                )
                continue
            records.append((reader.line_num, dict(zip(header, row, strict=True))))
        return records
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            problems.append(_problem(number, "", "NOT_JSON", "The line is not a JSON object"))
            continue
        if not isinstance(value, dict):
            problems.append(_problem(number, "", "NOT_JSON", "The line is not a JSON object"))
            continue
        records.append((number, value))
    return records


def _problem(line: int, column: str, code: str, message: str) -> dict:
    return {"line": line, "column": column, "code": code, "message": message}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    if not isinstance(value, str):
        raise TypeError
    return value.strip()


def _date(value: str) -> str | None:
    if not value:
        return None
    parsed = dt.date.fromisoformat(value)
    if not (dt.date(1900, 1, 1) <= parsed <= dt.date.today()):
        raise ValueError("out of range")
    return parsed.isoformat()


def _postcode(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def _phone(value: str) -> str:
    digits = re.sub(r"[^\d+]", "", value)
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    return digits


def _check_ip(value: str) -> bool:
    match = _IPV4.match(value)
    if match:
        return all(int(part) <= 255 for part in match.groups())
    return ":" in value and all(c in "0123456789abcdefABCDEF:." for c in value)


def parse_batch(kind: str, filename: str, data: bytes, *, card_key: bytes) -> ParsedBatch:
    """Validate a whole bulk file; return every row or raise :class:`BatchRejected`."""
    if kind not in KINDS:
        raise UnknownLeadKind(f"Unknown kind of lead file {kind!r}", details={"kinds": KINDS})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BatchRejected("The file is not UTF-8 text", code="BATCH_NOT_UTF8") from None
    file_format = _detect_format(filename, text)
    problems: list[dict] = []
    records = _records(file_format, text, problems)
    if not records and not problems:
        raise BatchRejected("The file has no records", code="BATCH_EMPTY")
    columns = COLUMNS[kind]
    rows: list[ParsedRow] = []
    parse_row: Callable[..., ParsedRow | None] = _payment if kind == "payment" else _referral
    for line, record in records:
        unknown = sorted(set(record) - set(columns))
        if unknown:
            problems.append(
                _problem(
                    line,
                    ",".join(unknown),
                    "UNKNOWN_COLUMN",
                    f"Not a column of a {kind} file: {', '.join(unknown)}",
                )
            )
            continue
        values: dict[str, str] = {}
        bad_type = False
        for name, value in record.items():
            try:
                values[name] = _text(value)
            except TypeError:
                problems.append(_problem(line, name, "NOT_TEXT", "The value must be text"))
                bad_type = True
        if bad_type:
            continue
        row_problems: list[dict] = []
        for name in REQUIRED[kind]:
            if not values.get(name):
                row_problems.append(_problem(line, name, "REQUIRED", f"{name} is required"))
        for name, allowed in CHOICES.items():
            if name in columns and values.get(name) and values[name].lower() not in allowed:
                row_problems.append(
                    _problem(
                        line, name, "NOT_A_CHOICE", f"{name} must be one of {', '.join(allowed)}"
                    )
                )
        if row_problems:
            problems.extend(row_problems)
            continue
        row = parse_row(line, values, card_key, problems)
        if row is not None:
            rows.append(row)
    if problems:
        problems.sort(key=lambda p: p["line"])
        raise BatchRejected(
            f"{len(problems)} problem(s) in the file: nothing was imported",
            details={"error_count": len(problems), "errors": problems[:MAX_REPORTED]},
        )
    return ParsedBatch(kind=kind, file_format=file_format, rows=rows)


def _common(line: int, values: dict[str, str], problems: list[dict], fields: dict) -> bool:
    ok = True
    try:
        fields["date_of_birth"] = _date(values.get("date_of_birth", ""))
    except ValueError:
        problems.append(
            _problem(
                line, "date_of_birth", "BAD_DATE", "date_of_birth must be YYYY-MM-DD, 1900 to today"
            )
        )
        ok = False
    email = values.get("email", "").lower()
    if email and not _EMAIL.match(email):
        problems.append(_problem(line, "email", "BAD_EMAIL", "email is not an e-mail address"))
        ok = False
    ip = values.get("ip", "")
    if ip and not _check_ip(ip):
        problems.append(_problem(line, "ip", "BAD_IP", "ip is not an IP address"))
        ok = False
    fields["email"] = email
    fields["phone"] = _phone(values.get("phone", ""))
    fields["ip"] = ip
    return ok


def _time(line, values, problems, fields, time_col, zone_col) -> bool:
    try:
        parsed = parse_time(values[time_col], values.get(zone_col, ""))
    except BadTimestamp:
        problems.append(_problem(line, time_col, "BAD_TIME", f"{time_col} is not a date and time"))
        return False
    fields["time_original"] = parsed.original
    fields["zone_original"] = parsed.zone
    fields["occurred_at_utc"] = (
        parsed.utc.isoformat().replace("+00:00", "Z") if parsed.utc else None
    )
    fields["time_ambiguity"] = parsed.ambiguity
    return True


def _payment(line: int, values: dict[str, str], card_key: bytes, problems: list[dict]):
    fields: dict[str, Any] = {}
    ok = _common(line, values, problems, fields)
    ok = _time(line, values, problems, fields, "transaction_time", "transaction_zone") and ok
    original = dict(values)
    digits = re.sub(r"[\s-]", "", values.get("card_number", ""))
    last4 = values.get("card_last4", "")
    if digits:
        if not digits.isdigit() or not 12 <= len(digits) <= 19:
            problems.append(
                _problem(line, "card_number", "BAD_CARD", "card_number must be 12 to 19 digits")
            )
            ok = False
        else:
            fields["card_hash"] = card_hash(card_key, digits)
            last4 = digits[-4:]
            # The full number is never kept, not even among the original values.
            original.pop("card_number")
            original["card_number_hmac"] = fields["card_hash"]
    if last4 and (not last4.isdigit() or len(last4) != 4):
        problems.append(_problem(line, "card_last4", "BAD_CARD", "card_last4 must be 4 digits"))
        ok = False
    if not ok:
        return None
    given, family = split_name(values["cardholder_name"])
    fields.update(
        full_name=" ".join(values["cardholder_name"].split()),
        given_names=given,
        family_name=family,
        address=" ".join(values.get("billing_address", "").split()),
        postcode=_postcode(values.get("billing_postcode", "")),
        address_use=(values.get("address_use") or "unknown").lower(),
        card_hash=fields.get("card_hash", ""),
        card_last4=last4,
        merchant=values["merchant"],
        merchant_classification=(values.get("merchant_classification") or "unknown").lower(),
        card_verification=(values.get("card_verification") or "unknown").lower(),
        accessed_after_payment=(values.get("accessed_after_payment") or "unknown").lower(),
        chargeback=(values.get("chargeback") or "unknown").lower(),
        card_reported_stolen=(values.get("card_reported_stolen") or "unknown").lower(),
        account_ids=[],
        file_hashes=[],
        provider="",
    )
    return ParsedRow(line=line, original=original, fields=fields)


def _referral(line: int, values: dict[str, str], card_key: bytes, problems: list[dict]):
    fields: dict[str, Any] = {}
    ok = _common(line, values, problems, fields)
    ok = _time(line, values, problems, fields, "incident_time", "incident_zone") and ok
    hashes = [
        h.strip().lower() for h in values.get("uploaded_file_hashes", "").split(";") if h.strip()
    ]
    bad = [h for h in hashes if not _HEX.match(h)]
    if bad:
        problems.append(
            _problem(
                line,
                "uploaded_file_hashes",
                "BAD_HASH",
                "uploaded_file_hashes must be MD5, SHA-1 or SHA-256 hex",
            )
        )
        ok = False
    if not ok:
        return None
    name = values.get("subject_name", "")
    given, family = split_name(name) if name else ("", "")
    fields.update(
        full_name=" ".join(name.split()),
        given_names=given,
        family_name=family,
        address=" ".join(values.get("address", "").split()),
        postcode=_postcode(values.get("postcode", "")),
        address_use="unknown",
        card_hash="",
        card_last4="",
        merchant="",
        merchant_classification="unknown",
        card_verification="unknown",
        accessed_after_payment="unknown",
        chargeback="unknown",
        card_reported_stolen="unknown",
        account_ids=[a.strip() for a in values.get("account_ids", "").split(";") if a.strip()],
        file_hashes=hashes,
        provider=values["provider"],
    )
    return ParsedRow(line=line, original=dict(values), fields=fields)
