"""Generated bulk files for the leads tests (fictional people, test card numbers)."""

from __future__ import annotations

import csv
import io
import json

PAYMENT_HEADER = [
    "record_id",
    "cardholder_name",
    "date_of_birth",
    "billing_address",
    "billing_postcode",
    "address_use",
    "email",
    "phone",
    "card_number",
    "transaction_time",
    "transaction_zone",
    "ip",
    "merchant",
    "merchant_classification",
    "card_verification",
    "accessed_after_payment",
    "chargeback",
    "card_reported_stolen",
]


def payment_row(**overrides) -> dict:
    row = {
        "record_id": "T1",
        "cardholder_name": "Alan Testperson",
        "date_of_birth": "1970-05-01",
        "billing_address": "1 Example Street, Testtown",
        "billing_postcode": "TE1 1ST",
        "address_use": "residential",
        "email": "alan@example.test",
        "phone": "01234 567890",
        "card_number": "4111 1111 1111 1111",
        "transaction_time": "2002-03-04 21:15:00",
        "transaction_zone": "America/Chicago",
        "ip": "192.0.2.10",
        "merchant": "example-site.test",
        "merchant_classification": "iioc",
        "card_verification": "passed",
        "accessed_after_payment": "yes",
        "chargeback": "no",
        "card_reported_stolen": "no",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict], header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def jsonl_bytes(rows: list[dict]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def referral_row(**overrides) -> dict:
    row = {
        "record_id": "R1",
        "provider": "Example Cloud Ltd",
        "incident_time": "2025-01-02T03:04:05Z",
        "account_ids": "username:jd01;email:jd@example.test",
        "subject_name": "Jane Doe-Test",
        "date_of_birth": "1985-02-03",
        "email": "jd@example.test",
        "ip": "198.51.100.7",
        "uploaded_file_hashes": "d41d8cd98f00b204e9800998ecf8427e",
    }
    row.update(overrides)
    return row
