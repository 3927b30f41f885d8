"""``comeforward audit verify`` and ``comeforward audit anchor``.

``verify`` checks every record of the hash chain, then compares the chain with the anchor
file outside the database (ADR 0008). Exit 0 and ``{"ok": true, "records": N, "anchor":
{...}}`` when both hold; exit 2 and the error JSON otherwise (docs/interfaces.md "Errors"):

- ``AUDIT_CHAIN_BROKEN`` — a record was edited, deleted from the middle, reordered, inserted
  or re-keyed (the first broken record is named);
- ``AUDIT_TRUNCATED`` — the anchor vouches for more records than the database holds (the
  newest records, or all of them, were removed);
- ``AUDIT_ANCHOR_MISMATCH`` — a checkpointed record has another hash (history rewritten);
- ``AUDIT_ANCHOR_MISSING`` — records exist but the anchor file does not;
- ``AUDIT_ANCHOR_INVALID`` — a line of the anchor file is not signed with the anchor key.

``anchor`` writes a checkpoint of the current head after checking the chain — for a
deployment that had records before anchoring existed, or to catch up after the anchor file
could not be written. It refuses (exit 2) when the chain is broken or the database is behind
or disagrees with the anchor: a new checkpoint must never paper over a truncation.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from comeforward.audit import anchor
from comeforward.audit.models import AuditEvent
from comeforward.audit.selectors import audit_verify
from comeforward.audit.services import anchor_checkpoint, anchor_path


class Command(BaseCommand):
    help = (
        "Audit trail tools. 'verify' checks the hash chain and compares it with the anchor "
        "file; 'anchor' writes a checkpoint of the current head."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            choices=["verify", "anchor"],
            help="verify: check the whole hash chain against the anchor; "
            "anchor: write a checkpoint of the current head",
        )

    def _fail(self, code: str, message: str, details: dict) -> None:
        error = {"error": {"code": code, "message": message, "details": details}}
        self.stdout.write(json.dumps(error))
        sys.exit(2)

    def handle(self, *args, action: str, **options):
        result = audit_verify()
        if action == "verify":
            if not result.ok:
                self._fail(result.code, result.message, result.details)
            self.stdout.write(json.dumps(result.as_dict()))
            return
        if anchor_path() is None:
            self._fail("AUDIT_ANCHOR_NOT_CONFIGURED", "AUDIT_ANCHOR_PATH is not set", {})
        if not result.ok and result.code != anchor.MISSING:
            self._fail(result.code, result.message, result.details)
        last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
        if last is None:
            self.stdout.write(json.dumps({"ok": True, "anchored": 0}))
            return
        if not anchor_checkpoint(count=last["seq"], head=last["hash"]):
            self._fail(
                "AUDIT_ANCHOR_UNWRITABLE",
                f"Could not write the audit anchor at {anchor_path()}",
                {"anchor_path": str(anchor_path())},
            )
        self.stdout.write(json.dumps({"ok": True, "anchored": last["seq"]}))
