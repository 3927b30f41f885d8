"""``comeforward policy evaluate | facts | show`` — JSON on stdin, JSON on stdout.

``evaluate`` reads one JSON object of :class:`~comeforward.policy.PolicyFacts` fields (``null``
or absent = not known) and prints the recommendation: per criterion its status, reason, rule
text, the facts it read (``source_facts``) and what is missing with who supplies it; and the
overall recommendation. ``facts`` lists every fact with its type, unknown semantics and
supplier; ``show`` prints the policy file's criteria. Contract: docs/policy-evaluate.md.

Errors as for ``law`` (docs/interfaces.md "Errors"): exit 2 with ``{"error": {"code", "message",
"details"}}``; exit 1 only for bugs, still as JSON, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from typing import Any, TextIO

from comeforward.errors import DomainError, InvalidJson

from .document import DEFAULT_VERSION, available_versions, load_policy
from .evaluate import OUTCOME_LABELS, evaluate
from .facts import FACT_SPECS, PolicyFacts

USAGE = """usage: comeforward policy COMMAND [--policy VERSION] < facts.json

Commands:
  evaluate    the eligibility policy (E1-E13) on the facts: per criterion and overall
  facts       every fact: type, what unknown means, who supplies it
  show        the policy's criteria, rule texts and thresholds
"""

COMMANDS = ("evaluate", "facts", "show")


class UnknownPolicyCommand(DomainError):
    code = "UNKNOWN_COMMAND"


def _read_json(stdin: TextIO) -> Any:
    buffer = getattr(stdin, "buffer", None)
    if buffer is not None:
        try:
            text = buffer.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidJson("The input is not UTF-8.", details={"position": exc.start})
    else:
        text = stdin.read()

    def reject(constant: str) -> Any:
        raise ValueError(f"{constant} is not valid JSON")

    try:
        return json.loads(text, parse_constant=reject)
    except (ValueError, RecursionError) as exc:
        raise InvalidJson(
            f"The input is not valid JSON: {exc}", details={"position": getattr(exc, "pos", None)}
        )


def _options(argv: list[str]) -> tuple[str, list[str]]:
    version = DEFAULT_VERSION
    rest: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--policy":
            value = next(args, None)
            if value is None:
                raise UnknownPolicyCommand("--policy needs a version.", details={"option": arg})
            version = value
        elif arg.startswith("--policy="):
            version = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return version, rest


def run(argv: list[str], stdin: TextIO) -> dict[str, Any]:
    """Run a command and return its JSON answer; raises DomainError on refusal."""
    version, rest = _options(argv)
    if len(rest) != 1 or rest[0] not in COMMANDS:
        raise UnknownPolicyCommand(
            "Expected one command: evaluate, facts or show.",
            details={"argv": argv, "allowed": list(COMMANDS)},
        )
    command = rest[0]
    if command == "facts":
        return {
            "facts": {
                name: {
                    "type": spec.type,
                    "supplied_by": spec.supplied_by,
                    "meaning": spec.meaning,
                    "unknown": spec.unknown,
                }
                for name, spec in FACT_SPECS.items()
            }
        }
    policy = load_policy(version)
    if command == "show":
        return {
            "policy": {
                "name": policy.name,
                "version": policy.version,
                "effective_from": policy.effective_from.isoformat(),
                "status": policy.status,
            },
            "available": available_versions(),
            "criteria": {
                code: {
                    "title": rule.title,
                    "text": rule.text,
                    "sources": rule.sources,
                    "confidence": rule.confidence,
                    "needs_signoff": rule.needs_signoff,
                    "thresholds": rule.thresholds,
                }
                for code, rule in policy.criteria.items()
            },
        }
    facts = PolicyFacts.from_dict(_read_json(stdin))
    recommendation = evaluate(facts, policy)
    answer = recommendation.as_dict()
    answer["recommendation"] = {
        "outcome": recommendation.outcome.value,
        "label": OUTCOME_LABELS[recommendation.outcome],
    }
    answer["facts"] = facts.as_dict()
    return answer


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
