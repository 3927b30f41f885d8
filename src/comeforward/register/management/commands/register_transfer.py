"""``comeforward register_transfer keygen|export|import|accept|confirm`` (13.7).

    register_transfer keygen --out PREFIX                  # PREFIX.key (private), PREFIX.pub
    register_transfer export --record ID --to FORCE --key PREFIX.key --out FILE.json
    register_transfer import FILE.json --force CODE --trusted OTHER.pub [...]
    register_transfer accept --transfer ID --key PREFIX.key --out RECEIPT.json
    register_transfer confirm RECEIPT.json --trusted OTHER.pub [...]

Keys are Ed25519 in PEM (private: PKCS#8, public: SubjectPublicKeyInfo). Prints one JSON
line; errors follow docs/interfaces.md (exit 2, ``{"error": {...}}`` on stdout). File format:
``docs/register-transfer.md``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from django.core.management.base import BaseCommand

from comeforward.errors import DomainError
from comeforward.register.transfer import TransferRefused, key_id
from comeforward.register.transfer_keys import load_private, load_trusted

_private = load_private
_trusted = load_trusted


def _read_json(path: str):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TransferRefused("The file cannot be read as JSON", details={"path": path}) from exc


class Command(BaseCommand):
    help = "Transfer a register record between forces (signed JSON export and import)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["keygen", "export", "import", "accept", "confirm"])
        parser.add_argument("file", nargs="?")
        parser.add_argument("--record", type=int)
        parser.add_argument("--transfer", type=int)
        parser.add_argument("--to")
        parser.add_argument("--force")
        parser.add_argument("--key")
        parser.add_argument("--trusted", nargs="*", default=[])
        parser.add_argument("--out")

    def handle(self, *args, **o):
        try:
            result = self._run(o)
        except DomainError as error:
            self.stdout.write(error.as_json())
            sys.exit(2)
        self.stdout.write(json.dumps(result, sort_keys=True))

    def _need(self, o, *names):
        missing = [n for n in names if not o.get(n)]
        if missing:
            raise TransferRefused(
                f"Missing: {', '.join('--' + m for m in missing)}", details={"missing": missing}
            )

    def _run(self, o) -> dict:
        from comeforward.accounts.selectors import organisations_all
        from comeforward.register.models import RegisterRecord, RegisterTransfer
        from comeforward.register.transfer_services import (
            register_transfer_accept,
            register_transfer_confirm,
            register_transfer_export,
            register_transfer_import,
        )

        action = o["action"]
        if action == "keygen":
            self._need(o, "out")
            key = Ed25519PrivateKey.generate()
            Path(o["out"] + ".key").write_bytes(
                key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
            )
            Path(o["out"] + ".key").chmod(0o600)
            Path(o["out"] + ".pub").write_bytes(
                key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
            )
            return {"key_id": key_id(key.public_key()), "public": o["out"] + ".pub"}
        if action == "export":
            self._need(o, "record", "to", "key", "out")
            record = (
                RegisterRecord.objects.select_related("case", "owning_organisation")
                .filter(pk=o["record"])
                .first()
            )
            if record is None:
                raise TransferRefused("No such register record", details={"record": o["record"]})
            envelope = register_transfer_export(
                actor=None, record=record, to_force=o["to"], signing_key=_private(o["key"])
            )
            Path(o["out"]).write_text(json.dumps(envelope, ensure_ascii=False), encoding="utf-8")
            Path(o["out"]).chmod(0o600)
            return {"exported": o["out"], "key_id": envelope["signature"]["key_id"]}
        if action == "import":
            self._need(o, "file", "force")
            organisation = organisations_all().filter(code=o["force"]).first()
            if organisation is None:
                raise TransferRefused("No such force here", details={"force": o["force"]})
            transfer = register_transfer_import(
                actor=None,
                envelope=_read_json(o["file"]),
                organisation=organisation,
                trusted_keys=_trusted(o["trusted"]),
            )
            return {"transfer": transfer.pk, "status": transfer.status}
        if action == "accept":
            self._need(o, "transfer", "key", "out")
            transfer = RegisterTransfer.objects.filter(pk=o["transfer"]).first()
            if transfer is None:
                raise TransferRefused("No such transfer", details={"transfer": o["transfer"]})
            receipt = register_transfer_accept(
                actor=None, transfer=transfer, signing_key=_private(o["key"])
            )
            Path(o["out"]).write_text(json.dumps(receipt), encoding="utf-8")
            return {"transfer": transfer.pk, "register_record": transfer.record_id}
        self._need(o, "file")
        record = register_transfer_confirm(
            actor=None, receipt=_read_json(o["file"]), trusted_keys=_trusted(o["trusted"])
        )
        return {"register_record": record.pk, "transferred_to": record.transferred_to}
