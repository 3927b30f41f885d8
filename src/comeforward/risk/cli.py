"""``comeforward risk …`` — a thin layer over :mod:`comeforward.risk.registry`.

    comeforward risk score INSTRUMENT   < {"items": {…}}   → result JSON (docs/interfaces.md §4)
    comeforward risk items INSTRUMENT                      → item definitions JSON
    comeforward risk list                                  → the instruments

Errors: exit 2 with ``{"error": {"code", "message", "details"}}`` on stdout; exit 1 only for
bugs (docs/interfaces.md, "Errors").
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from comeforward.risk import registry
from comeforward.risk.errors import DomainError, InvalidInput, InvalidJson, UnknownCommand

USAGE = """usage: comeforward risk COMMAND

  score INSTRUMENT   score {"items": {…}} read from stdin; prints the result as JSON
  items INSTRUMENT   print the instrument's item definitions as JSON
  list               list the instruments

INSTRUMENT: cport, casic, osp-dc, osp-iic, rm2000s, static99r
"""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def read_document(stream: TextIO) -> Mapping[str, Any]:
    try:
        text = stream.read()
    except UnicodeDecodeError as exc:
        raise InvalidJson(f"stdin is not UTF-8: {exc}", details={})
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise InvalidJson(f"stdin is not valid JSON: {exc}", details={})
    if not isinstance(doc, dict):
        raise InvalidInput(
            'input must be a JSON object like {"items": {…}}',
            details={"expected": "object"},
        )
    if "items" not in doc:
        raise InvalidInput('input must have an "items" object', details={"missing": "items"})
    if not isinstance(doc["items"], dict):
        raise InvalidInput('"items" must be a JSON object', details={"expected": "object"})
    return doc["items"]


def _dump(obj: Any, out: TextIO) -> None:
    out.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _need_instrument(argv: list[str], command: str) -> str:
    if len(argv) != 2:
        raise UnknownCommand(
            f"usage: comeforward risk {command} INSTRUMENT",
            details={"argv": argv, "instruments": registry.names()},
        )
    return argv[1]


def run(argv: list[str], stdin: TextIO, stdout: TextIO) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        stdout.write(USAGE)
        return 0
    command = argv[0]
    if command == "score":
        name = _need_instrument(argv, command)
        instrument = registry.get(name)  # unknown instrument before reading stdin
        items = read_document(stdin)
        _dump(instrument.score(items).as_dict(), stdout)
        return 0
    if command == "items":
        _dump(registry.definition(_need_instrument(argv, command)), stdout)
        return 0
    if command == "list" and len(argv) == 1:
        _dump({"instruments": registry.catalogue()}, stdout)
        return 0
    raise UnknownCommand(
        f"unknown risk command: {' '.join(argv)}",
        details={"argv": argv, "commands": ["score", "items", "list"]},
    )


def main(argv: list[str]) -> int:
    try:
        return run(list(argv), sys.stdin, sys.stdout)
    except DomainError as exc:
        sys.stdout.write(exc.as_json() + "\n")
        return 2
    except Exception as exc:  # a bug: still no traceback on stdout
        err = {"error": {"code": "INTERNAL_ERROR", "message": str(exc), "details": {}}}
        sys.stdout.write(json.dumps(err) + "\n")
        return 1
