"""``comeforward law evaluate | deadlines | ruleset`` — JSON on stdin, JSON on stdout.

Contract: docs/interfaces.md §3. A command that cannot do what was asked exits 2 and prints
``{"error": {"code", "message", "details"}}``; exit 1 only for bugs (also as JSON, never a
traceback unless ``COMEFORWARD_DEBUG`` is set).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from typing import Any, TextIO

from comeforward.law.deadlines import compute_deadlines
from comeforward.law.errors import DomainError, InvalidJson, UnknownCommand
from comeforward.law.obligation import evaluate
from comeforward.law.parsing import deadlines_request_from_json, facts_from_json, load_json
from comeforward.law.ruleset import RULESETS, ruleset_for
from comeforward.law.trace import Trace, jsonable

USAGE = """usage: comeforward law COMMAND [--ruleset VERSION] < input.json

Commands:
  evaluate    notifiability (SOA 2003 s.80, Sch 3), period (s.82), initial deadline (s.83)
  deadlines   initial, periodic, change, travel deadlines and review date (ss.83-86, 91B)
  ruleset     the rule set's values and which await legal sign-off
"""


def _read_stdin(stdin: TextIO) -> Any:
    buffer = getattr(stdin, "buffer", None)
    if buffer is not None:
        raw = buffer.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidJson("The input is not UTF-8.", details={"position": exc.start})
    else:
        text = stdin.read()
    return load_json(text)


def _options(argv: list[str]) -> tuple[str | None, list[str]]:
    version = None
    rest: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--ruleset":
            version = next(args, None)
            if version is None:
                raise UnknownCommand("--ruleset needs a version.", details={"option": arg})
        elif arg.startswith("--ruleset="):
            version = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return version, rest


def run(argv: list[str], stdin: TextIO) -> dict[str, Any]:
    """Run a command and return its JSON answer; raises DomainError on refusal."""
    version, rest = _options(argv)
    if len(rest) != 1:
        raise UnknownCommand(
            "Expected one command: evaluate, deadlines or ruleset.", details={"argv": argv}
        )
    command = rest[0]
    if command == "evaluate":
        facts = facts_from_json(_read_stdin(stdin))
        return evaluate(facts, ruleset_for(version=version) if version else RULESETS[-1]).as_json()
    if command == "deadlines":
        request = deadlines_request_from_json(_read_stdin(stdin))
        ruleset = ruleset_for(version=version) if version else ruleset_for(request.as_of)
        return compute_deadlines(request, Trace(ruleset)).as_json()
    if command == "ruleset":
        ruleset = ruleset_for(version=version) if version else RULESETS[-1]
        return {
            "version": ruleset.version,
            "effective_from": ruleset.effective_from.isoformat(),
            "settings": {
                key: {
                    "value": jsonable(s.value),
                    "confidence": s.confidence,
                    "source": s.source,
                    "text": s.text,
                    "needs_legal_signoff": s.needs_legal_signoff,
                }
                for key, s in ruleset.settings().items()
            },
            "pending_signoff": sorted(ruleset.pending_signoff()),
        }
    raise UnknownCommand(
        f"Unknown law command {command!r}.",
        details={"command": command, "allowed": ["evaluate", "deadlines", "ruleset"]},
    )


def main(argv: list[str], stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    if argv and argv[0] in {"-h", "--help", "help"}:
        stdout.write(USAGE)
        return 0
    try:
        answer = run(argv, stdin)
    except DomainError as exc:
        stdout.write(exc.as_json() + "\n")
        return 2
    except Exception as exc:  # a bug: still JSON, never a traceback on stdout
        if os.environ.get("COMEFORWARD_DEBUG"):
            traceback.print_exc()
        error = {
            "error": {
                "code": "INTERNAL_ERROR",
                "message": "Unexpected failure (a bug).",
                "details": {"type": type(exc).__name__},
            }
        }
        stdout.write(json.dumps(error, sort_keys=True) + "\n")
        return 1
    stdout.write(json.dumps(answer, ensure_ascii=False, indent=2) + "\n")
    return 0
