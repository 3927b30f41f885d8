"""Thin CLI over the engine: ``triage run …`` here, ``hashset …`` delegated.

``main(argv)`` takes ``argv[0]`` = ``triage`` or ``hashset`` (the ``comeforward`` command
dispatches here). Failures a caller can act on exit 2 with the error JSON of INTERFACES.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import NoReturn

from .containers import ArchiveLimits
from .errors import InvalidArguments, TriageError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InvalidArguments(message, details={"usage": self.format_usage().strip()})


def _parser(prog: str = "comeforward triage") -> argparse.ArgumentParser:
    hashset = "comeforward hashset" if prog == "comeforward triage" else f"{prog} hashset"
    p = _Parser(
        prog=prog,
        description="Forensic triage of evidence (hashes only, never image content). "
        f"Reference hash sets: `{hashset} --help`.",
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    r = sub.add_parser("run", help="hash, match and report a directory, raw or E01 image")
    r.add_argument("source", help="a directory, raw disk image or E01 image")
    r.add_argument("--out", required=True, help="the run's folder (report, journal, resumable)")
    r.add_argument(
        "--hashset", action="append", default=[], help="a .cfhs reference set (repeatable)"
    )
    r.add_argument(
        "--known-good", action="append", default=[], help="a .cfhs known-good set (repeatable)"
    )
    r.add_argument("--exhibit", help="the exhibit reference, stated in the report")
    r.add_argument("--examiner", help="the examiner's name, stated in the report")
    r.add_argument("--jobs", type=int, default=0, help="hashing processes (0: one per core)")
    r.add_argument("--no-perceptual", action="store_true", help="skip PDQ perceptual hashing")
    r.add_argument(
        "--pdq-radius",
        type=int,
        default=31,
        help="PDQ match threshold, Hamming distance (default 31, forensic-triage.md §2.2)",
    )
    r.add_argument(
        "--reader",
        choices=["auto", "sequential", "parallel"],
        default="auto",
        help="how a directory tree is read: one sequential reader (for a spinning disk), "
        "parallel reads (SSD, network, page cache), or auto: sequential when the kernel "
        "reports the disk as rotational (default). Disk images always have one reader.",
    )
    r.add_argument("--quiet", action="store_true", help="no progress display")
    r.add_argument(
        "--buffer-mib", type=int, default=256, help="memory for data read but not yet hashed"
    )
    r.add_argument(
        "--archive-max-depth",
        type=int,
        default=ArchiveLimits.max_depth,
        help="deepest archive nesting opened (default %(default)s)",
    )
    r.add_argument(
        "--archive-max-ratio",
        type=float,
        default=ArchiveLimits.max_ratio,
        help="largest compression ratio opened (default %(default)s)",
    )
    r.add_argument(
        "--archive-max-bytes",
        type=int,
        default=ArchiveLimits.max_total_bytes,
        help="most bytes expanded from archives (default %(default)s)",
    )
    return p


def _emit(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n")


def main(argv: list[str] | None = None) -> int:
    # Called as the standalone `comeforward-triage` (pip install comeforward-triage), the
    # help names that command: `comeforward-triage run …`, `comeforward-triage hashset …`.
    prog = "comeforward-triage" if argv is None else "comeforward triage"
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "hashset":
            try:
                from .hashsets.cli import main as hashset_main  # type: ignore[import-not-found]
            except ImportError as exc:
                raise InvalidArguments(
                    "the hashset commands are not available", details={"reason": str(exc)}
                ) from exc
            hashset_prog = (
                f"{prog} hashset" if prog == "comeforward-triage" else "comeforward hashset"
            )
            return int(hashset_main(argv[1:], prog=hashset_prog) or 0)
        if argv and argv[0] == "triage":
            argv = argv[1:]
        args = _parser(prog).parse_args(argv)
        return _run(args, ["comeforward", "triage", *argv])
    except TriageError as exc:
        sys.stdout.write(exc.as_json() + "\n")
        return 2
    except OSError as exc:  # e.g. an --out folder that cannot be written: no traceback
        _emit(
            {
                "error": {
                    "code": "IO_ERROR",
                    "message": f"{exc.strerror or exc}",
                    "details": {"path": exc.filename},
                }
            }
        )
        return 2


def _run(args: argparse.Namespace, command: list[str]) -> int:
    from .run import RunOptions, triage_run

    if args.jobs < 0 or args.buffer_mib < 1:
        raise InvalidArguments("--jobs must be ≥ 0 and --buffer-mib ≥ 1")
    if not 0 <= args.pdq_radius <= 256:
        raise InvalidArguments(
            "--pdq-radius must be from 0 to 256", details={"pdq_radius": args.pdq_radius}
        )
    opts = RunOptions(
        source=args.source,
        out=args.out,
        hashsets=args.hashset,
        known_good=args.known_good,
        exhibit=args.exhibit,
        examiner=args.examiner,
        jobs=args.jobs,
        perceptual=not args.no_perceptual,
        pdq_radius=args.pdq_radius,
        quiet=args.quiet,
        limits=ArchiveLimits(
            max_depth=args.archive_max_depth,
            max_ratio=args.archive_max_ratio,
            max_total_bytes=args.archive_max_bytes,
        ),
        buffer_bytes=args.buffer_mib << 20,
        command=command,
        reader=args.reader,
    )
    progress = None
    if not args.quiet:
        from .progress import RichProgress

        progress = RichProgress()
    report = triage_run(opts, progress)
    _emit(
        {
            k: report[k]
            for k in (
                "totals",
                "categories",
                "known_good",
                "unmatched_images",
                "pdq",
                "new_material",
                "files_sha256",
            )
        }
        | {"out": args.out}
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
