"""``comeforward hashset compile | info | lookup`` (docs/interfaces.md §6).

``main(argv)`` takes what follows ``hashset``. Errors print the docs/interfaces.md error JSON on
stdout and return 2; nothing user-facing shows a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

from comeforward_triage.errors import InvalidArguments, InvalidHash, TriageError

from .categories import available_profiles
from .compiler import compile_hashset
from .formats import FORMATS
from .reader import open_hashset

HEX_LENGTHS = {32: "md5", 40: "sha1", 64: "sha256"}
_HEX = set("0123456789abcdefABCDEF")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InvalidArguments(message, details={"usage": self.format_usage().strip()})


def _build_parser(prog: str = "comeforward hashset") -> argparse.ArgumentParser:
    parser = _Parser(prog=prog, description="Compile and query reference hash sets.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    comp = sub.add_parser("compile", help="compile a source list into a .cfhs set")
    comp.add_argument("input", help="the source list (VICS JSON, NSRL RDS, md5sum, CSV…)")
    comp.add_argument(
        "--format", required=True, choices=sorted(FORMATS), dest="fmt", help="the input's format"
    )
    group = comp.add_mutually_exclusive_group()
    group.add_argument("--profile", help=f"shipped profile: {', '.join(available_profiles())}")
    group.add_argument("--category-map", help="JSON file mapping raw categories to labels")
    comp.add_argument("--out", required=True, help="the .cfhs file to write")
    comp.add_argument("--name", help="set name shown on matches (default: input file stem)")
    info = sub.add_parser("info", help="verify a set and print its description (JSON)")
    info.add_argument("set", help="a compiled .cfhs set")
    look = sub.add_parser("lookup", help="look hashes up (JSON lines)")
    look.add_argument("set", help="a compiled .cfhs set")
    look.add_argument(
        "hashes",
        nargs="+",
        metavar="HASH",
        help="MD5, SHA-1 or SHA-256 hex digests; '-' reads them from stdin, one a line",
    )
    return parser


def _parse_hashes(values: list[str]) -> list[tuple[str, str, bytes]]:
    parsed = []
    for value in values:
        text = value.strip()
        algorithm = HEX_LENGTHS.get(len(text))
        if algorithm is None or not set(text) <= _HEX:
            raise InvalidHash(
                "Not an MD5, SHA-1 or SHA-256 hex digest (32, 40 or 64 hex characters).",
                details={"hash": value, "length": len(text)},
            )
        parsed.append((value, algorithm, bytes.fromhex(text)))
    return parsed


def _expand_stdin(values: list[str]) -> list[str]:
    """``-`` stands for the hashes on stdin, one a line (blank lines skipped)."""
    out: list[str] = []
    for value in values:
        if value == "-":
            out.extend(line.strip() for line in sys.stdin if line.strip())
        else:
            out.append(value)
    return out


def _print(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n")


@contextlib.contextmanager
def _compile_progress(terminal: bool) -> Iterator[Callable[[str, int], None] | None]:
    """Records read, then the sort, shown with rich on stderr — only on a terminal (issue 16
    item 6): piped or redirected, stderr stays clean for scripts."""
    if not terminal:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.fields[count]:,} {task.fields[unit]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    task = bar.add_task("reading", count=0, unit="records")

    def update(phase: str, count: int) -> None:
        unit = "records" if phase == "reading" else "entries"
        bar.update(task, description=phase, count=count, unit=unit)

    with bar:
        yield update


def run(args: argparse.Namespace) -> int:
    if args.command == "compile":
        with _compile_progress(sys.stderr.isatty()) as progress:
            info = compile_hashset(
                args.input,
                args.fmt,
                out=args.out,
                profile=args.profile,
                category_map=args.category_map,
                name=args.name,
                progress=progress,
            )
        _print(info)
    elif args.command == "info":
        with open_hashset(args.set) as rs:
            rs.verify()
            _print({**rs.info(), "verified": True})
    else:
        queries = _parse_hashes(_expand_stdin(args.hashes))
        with open_hashset(args.set) as rs:
            for original, algorithm, digest in queries:
                entry = rs.lookup(algorithm, digest)
                _print(
                    {
                        "hash": original,
                        "algorithm": algorithm,
                        "found": entry is not None,
                        "category": entry.category if entry else None,
                        "series": entry.series if entry else None,
                        "victim_identified": entry.victim_identified if entry else None,
                        "set": rs.name,
                    }
                )
    return 0


def main(argv: list[str] | None = None, *, prog: str = "comeforward hashset") -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return run(_build_parser(prog).parse_args(argv))
    except TriageError as exc:
        _print(exc.as_dict())
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except OSError as exc:
        _print(
            {"error": {"code": "IO_ERROR", "message": str(exc), "details": {"path": exc.filename}}}
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
