"""``comeforward leads import|team|link`` — bulk leads from the command line (docs/leads.md).

    comeforward leads import FILE --kind payment|referral --source S --legal-basis L \\
        --grading 2CP --actor EMAIL
    comeforward leads team add --user EMAIL --kind member|supervisor
    comeforward leads link --batch ID --actor EMAIL

Prints one JSON line; errors follow docs/interfaces.md (exit 2, ``{"error": {...}}`` on stdout).
The acting user must be on their force's leads team, as on the web.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from comeforward.errors import DomainError, InvalidInput


def _argument_error(message):  # argparse errors are input errors too: exit 2 with JSON
    sys.stdout.write(InvalidInput(message, code="INVALID_ARGUMENTS").as_json() + "\n")
    sys.exit(2)


class Command(BaseCommand):
    help = "Import bulk leads, name the leads team, link a batch (JSON output)."

    def create_parser(self, prog_name, subcommand, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = _argument_error  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "team", "link"], help="what to do")
        parser.add_argument("args", nargs="*", help="import: FILE; team: add")
        parser.add_argument("--kind", help="import: payment|referral; team: member|supervisor")
        parser.add_argument("--source", default="", help="who supplied the file")
        parser.add_argument("--legal-basis", default="", help="the legal basis for holding it")
        parser.add_argument("--grading", default="", help="3x5x2 grading, e.g. 2CP")
        parser.add_argument("--actor", help="e-mail of the acting leads-team user")
        parser.add_argument("--user", help="team: e-mail of the user to name")
        parser.add_argument("--batch", type=int, help="link: the batch id")

    def handle(self, *args, **options):
        try:
            result = self._run(list(args), options)
        except DomainError as error:
            self.stdout.write(error.as_json())
            sys.exit(2)
        self.stdout.write(json.dumps(result, sort_keys=True))

    def _user(self, email: str | None, option: str):
        from comeforward.accounts.selectors import user_by_email

        if not email:
            raise InvalidInput(f"--{option} EMAIL is required", code="INVALID_ARGUMENTS")
        user = user_by_email(email)
        if user is None or not user.is_active:
            raise InvalidInput(f"No active user {email}", code="UNKNOWN_USER")
        return user

    def _run(self, args: list[str], o) -> dict:
        from comeforward.leads import selectors, services

        action = o["action"]
        if action == "import":
            if len(args) != 1:
                raise InvalidInput("Give one FILE to import", code="INVALID_ARGUMENTS")
            path = Path(args[0])
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise InvalidInput(
                    "The file cannot be read", code="FILE_UNREADABLE", details={"path": str(path)}
                ) from exc
            batch = services.batch_import(
                actor=self._user(o["actor"], "actor"),
                kind=o["kind"] or "",
                filename=path.name,
                data=data,
                source=o["source"],
                legal_basis=o["legal_basis"],
                grading=o["grading"],
            )
            return {
                "batch": batch.pk,
                "sha256": batch.sha256,
                "rows": batch.row_count,
                "kind": batch.kind,
                "grading": batch.grading,
                "fraud_path": batch.leads.filter(fraud_path=True).count(),
            }
        if action == "team":
            if args != ["add"]:
                raise InvalidInput(
                    "Use: leads team add --user EMAIL --kind member|supervisor",
                    code="INVALID_ARGUMENTS",
                )
            member = services.leads_team_add(
                actor=None, user=self._user(o["user"], "user"), kind=o["kind"] or ""
            )
            return {"member": member.pk, "user": member.user.email, "kind": member.kind}
        actor = self._user(o["actor"], "actor")
        if not o["batch"]:
            raise InvalidInput("--batch ID is required", code="INVALID_ARGUMENTS")
        try:
            batch = selectors.batch_get_for_user(actor, batch_id=o["batch"])
        except Exception as exc:
            raise InvalidInput("No such batch for this user", code="UNKNOWN_BATCH") from exc
        run = services.batch_link(actor=actor, batch=batch)
        return {"run": run.pk, "links": run.links.count(), "notes": run.parameters["notes"]}
