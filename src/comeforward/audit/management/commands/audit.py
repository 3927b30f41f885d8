"""``comeforward audit verify``: check the whole hash chain.

Exit 0 and ``{"ok": true, ...}`` when intact; exit 2 and the error JSON naming the first
broken record otherwise (INTERFACES.md "Errors").
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from comeforward.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Audit trail tools. 'verify' checks every record of the hash chain."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action: str, **options):
        count, broken = audit_chain_verify()
        if broken is None:
            self.stdout.write(json.dumps({"ok": True, "records": count}))
            return
        self.stdout.write(
            json.dumps(
                {
                    "error": {
                        "code": "AUDIT_CHAIN_BROKEN",
                        "message": f"Audit record {broken.seq}: {broken.reason}",
                        "details": {
                            "seq": broken.seq,
                            "record_id": broken.record_id,
                            "reason": broken.reason,
                            "records_checked": count,
                        },
                    }
                }
            )
        )
        sys.exit(2)
