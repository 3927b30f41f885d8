"""The one `comeforward` command.

Domain sub-commands (``law``, ``risk``, ``policy``) and the triage engine (``triage``,
``hashset``) run without Django, so they work on a forensic workstation or in a script.
Everything else (``demo``, ``serve``, ``worker``, ``audit verify``, ``seed`` and any Django
management command) goes through Django's management framework.

Errors follow INTERFACES.md: exit 2 with ``{"error": {...}}`` on stdout; exit 1 only for bugs.
"""

from __future__ import annotations

import os
import sys

USAGE = """usage: comeforward COMMAND [ARGS...]

Commands:
  demo            set up the demo database, start the web server and the background worker
  serve           run the web server
  worker          run the background worker (django-tasks database queue)
  law …           statute engines (evaluate, deadlines) — JSON on stdin
  risk …          risk instruments (score INSTRUMENT) — JSON on stdin
  policy …        eligibility policy (evaluate, facts, show) — JSON on stdin
  triage …        forensic triage of a directory, raw or E01 image
  hashset …       compile / info / lookup reference hash sets
  audit verify    verify the audit hash chain
  seed            generate a synthetic national-scale dataset
  (any other Django management command, e.g. migrate, createsuperuser)
"""


def _domain(module: str, argv: list[str]) -> int:
    import importlib

    return int(importlib.import_module(module).main(argv) or 0)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "law":
        return _domain("comeforward.law.cli", rest)
    if command == "risk":
        return _domain("comeforward.risk.cli", rest)
    if command == "policy":
        return _domain("comeforward.policy.cli", rest)
    if command in {"triage", "hashset"}:
        return _domain("comeforward_triage.cli", argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comeforward.web.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["comeforward", *argv])
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
