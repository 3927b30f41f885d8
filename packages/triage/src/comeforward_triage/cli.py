"""Thin CLI over the engine: ``triage run …`` here, ``hashset …`` delegated.

``main(argv)`` takes ``argv[0]`` = ``triage`` or ``hashset`` (the ``comeforward`` command
dispatches here). Failures a caller can act on exit 2 with the error JSON of docs/interfaces.md.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from .containers import ArchiveLimits
from .errors import InvalidArguments, TriageError

#: Help for the options that are declared without it (every option has help: issue 20.11).
_HELP = {
    "source": "a directory, raw disk image or E01 image",
    "--out": "the run's folder (report, journal; the same command resumes it)",
    "--hashset": "a .cfhs reference set (repeatable)",
    "--known-good": "a .cfhs known-good set (repeatable)",
    "--exhibit": "the exhibit reference, stated in the report",
    "--examiner": "the examiner's name, stated in the report",
    "--jobs": "hashing processes (0: one per core)",
    "--no-perceptual": "skip PDQ perceptual hashing",
    "--quiet": "no progress display",
    "--archive-max-depth": "deepest archive nesting opened (default %(default)s)",
    "--archive-max-ratio": "largest compression ratio opened (default %(default)s)",
    "--archive-max-bytes": "most bytes expanded from archives (default %(default)s)",
}


def _prog() -> str:
    """``comeforward-triage`` when run as the standalone command (pip install
    comeforward-triage), else ``comeforward triage``."""
    return (
        "comeforward-triage"
        if Path(sys.argv[0]).name == "comeforward-triage"
        else ("comeforward triage")
    )


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InvalidArguments(message, details={"usage": self.format_usage().strip()})

    def add_argument(self, *args, **kwargs):  # noqa: ANN002, ANN003 - argparse's signature
        if not kwargs.get("help") and args and args[0] in _HELP:
            kwargs["help"] = _HELP[args[0]]
        return super().add_argument(*args, **kwargs)


def _parser() -> argparse.ArgumentParser:
    prog = _prog()
    hashset = "comeforward hashset" if prog == "comeforward triage" else f"{prog} hashset"
    p = _Parser(
        prog=prog,
        description="Forensic triage of evidence (hashes only, never image content). "
        f"Reference hash sets: `{hashset} --help`.",
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    r = sub.add_parser("run", help="hash, match and report a directory, raw or E01 image")
    r.add_argument("source")
    r.add_argument("--out", required=True)
    r.add_argument("--hashset", action="append", default=[])
    r.add_argument("--known-good", action="append", default=[])
    r.add_argument("--exhibit")
    r.add_argument("--examiner")
    r.add_argument("--jobs", type=int, default=0)
    r.add_argument("--no-perceptual", action="store_true")
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
        "parallel reads (SSD, network, page cache), or auto: sequential when timed reads "
        "of a few files show a disk seeking (default; ADR 0102 addendum 6). Disk images "
        "always have one reader.",
    )
    r.add_argument("--quiet", action="store_true")
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
    r.add_argument(
        "--archive-max-exhibit-bytes",
        type=int,
        default=ArchiveLimits.max_exhibit_bytes,
        help="bytes all archives of the exhibit may expand to together (default %(default)s)",
    )
    _signing_options(sub, r)
    return p


def _signing_options(sub, run) -> None:  # noqa: ANN001 - argparse internals
    """``triage keygen`` and ``run --signing-key`` (docs/triage-report-signing.md)."""
    run.add_argument(
        "--signing-key",
        help="private key file report.json is signed with (default: "
        "$COMEFORWARD_TRIAGE_SIGNING_KEY, else ~/.config/comeforward/triage-signing.key if it "
        "exists); without a key the report is unsigned and the application refuses it",
    )
    k = sub.add_parser("keygen", help="make this workstation's report signing key")
    k.add_argument("--out", required=True, help="private key file to create (mode 0600)")


def _emit(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "hashset":
            try:
                from .hashsets.cli import main as hashset_main  # type: ignore[import-not-found]
            except ImportError as exc:
                raise InvalidArguments(
                    "the hashset commands are not available", details={"reason": str(exc)}
                ) from exc
            prog = _prog().replace(" triage", "")
            return int(hashset_main(argv[1:], prog=f"{prog} hashset") or 0)
        if argv and argv[0] == "triage":
            argv = argv[1:]
        args = _parser().parse_args(argv)
        if args.command == "keygen":
            from .signing import generate_key_file

            _emit(generate_key_file(args.out))
            return 0
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
    from .signing import resolve_key

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
            max_exhibit_bytes=args.archive_max_exhibit_bytes,
        ),
        buffer_bytes=args.buffer_mib << 20,
        command=command,
        reader=args.reader,
        signing_key=resolve_key(args.signing_key),
    )
    progress = None
    if not args.quiet:
        from .progress import RichProgress

        progress = RichProgress()
    # The run builds one dict per file and no reference cycles: the cyclic garbage collector
    # would only re-scan them, again and again as they grow (~0.1 s of the main process on
    # 20,000 files, far more on a million). Off for the run, on again after.
    gc.disable()
    try:
        report = triage_run(opts, progress)
    finally:
        gc.enable()
    _emit(
        {
            k: report[k]
            for k in (
                "totals",
                "categories",
                "known_good",
                "unmatched_images",
                "unmatched_videos",
                "pdq",
                "new_material",
                "files_sha256",
            )
        }
        | {"out": args.out, "issues": report["issues"]["by_code"]}
        | {
            k: report["source"][k]
            for k in ("acquisition_hashes_verified", "checksum_errors")
            if k in report["source"]
        }
        | _signed_by(args.out)
    )
    return 0


def _signed_by(out: str) -> dict[str, object]:
    from .signing import REPORT, SIGNATURE_SUFFIX

    path = os.path.join(out, REPORT + SIGNATURE_SUFFIX)
    if not os.path.exists(path):
        return {"signed_by": None}
    with open(path, encoding="utf-8") as fh:
        return {"signed_by": json.load(fh)["key_fingerprint"]}


def entry(argv: list[str] | None = None) -> NoReturn:
    """The console scripts' entry (``comeforward-triage``, and ``comeforward triage``):
    :func:`main`, then leave at once. The run's records stay referenced until then
    (:data:`.run.RETAIN`) and the process ends without freeing them one by one — on a million
    files that took ~2.4 s of the examiner's wait (issue 16 item 5). Everything the run writes
    is written, ``fsync``'d and closed before :func:`main` returns; the standard streams are
    flushed here. In-process callers (tests, the web application) use :func:`main`."""
    from . import run as run_module

    run_module.RETAIN = []
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's --help and usage errors
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
