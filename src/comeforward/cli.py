"""The one `comeforward` command.

Domain sub-commands (``law``, ``risk``, ``policy``) and the triage engine (``triage``,
``hashset``) run without Django, so they work on a forensic workstation or in a script.
Everything else (``demo``, ``serve``, ``worker``, ``scheduler``, ``audit verify``, ``seed``
and any Django management command) goes through Django's management framework.

Errors follow docs/interfaces.md: the JSON commands exit 2 with ``{"error": {...}}`` on stdout;
the others print one plain line on stderr. No command prints a traceback (set
``COMEFORWARD_DEBUG=1`` to see one). Ctrl-C stops with exit 130 and says how to carry on.

Settings: ``DJANGO_SETTINGS_MODULE`` chooses them (``comeforward.web.settings.production`` for
a real service, docs/deploy.md). Unset, the demo settings are used only for ``demo`` (which
says that it creates a local database and keys) or where the demo has already been set up;
otherwise the command refuses rather than silently making a new database and new keys.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from pathlib import Path

USAGE = """usage: comeforward [--version] COMMAND [ARGS...]

Commands:
  demo            set up the demo database, start the web server and the background worker
  serve           run the web server (production: gunicorn, docs/deploy.md)
  worker          run the background worker (django-tasks database queue)
  scheduler       queue the daily sweeps and purges at their configured times
  law …           statute engines (evaluate, deadlines) — JSON on stdin
  risk …          risk instruments (score INSTRUMENT) — JSON on stdin
  policy …        eligibility policy (evaluate, facts, show) — JSON on stdin
  triage …        forensic triage of a directory, raw or E01 image
  hashset …       compile / info / lookup reference hash sets
  audit verify    verify the audit hash chain
  seed            generate a synthetic national-scale dataset
  (any other Django management command, e.g. migrate, createsuperuser)

Settings come from DJANGO_SETTINGS_MODULE (docs/deploy.md); `COMMAND --help` for each.
"""

DEMO_SETTINGS = "comeforward.web.settings.dev"
# Commands that may use the demo settings when none are given: they make or use the demo.
DEMO_COMMANDS = {"demo"}
RESUMABLE = {"triage"}


def version() -> str:
    """comeforward's own version, from the installed package's metadata (CHANGELOG.md)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as _version

    try:
        return _version("comeforward")
    except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        return "unknown"


def _domain(module: str, argv: list[str]) -> int:
    import importlib

    return int(importlib.import_module(module).main(argv) or 0)


def _demo_is_set_up() -> bool:
    var = Path(os.environ.get("COMEFORWARD_VAR_DIR", Path(__file__).resolve().parents[2] / "var"))
    return (var / "secrets").is_dir()


def _choose_settings(command: str) -> str | None:
    """The settings module to use, or None when the command must refuse."""
    chosen = os.environ.get("DJANGO_SETTINGS_MODULE")
    if chosen:
        return chosen
    if command in DEMO_COMMANDS or _demo_is_set_up():
        return DEMO_SETTINGS
    return None


def _fail(message: str, code: int = 2) -> int:
    sys.stderr.write(f"comeforward: {message}\n")
    return code


def _dispatch(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    if argv[0] in {"--version", "-V", "version"}:
        print(f"comeforward {version()}")
        return 0
    command, rest = argv[0], argv[1:]
    wants_help = not rest or any(arg in {"-h", "--help"} for arg in rest)
    if command in {"law", "risk", "policy"} and wants_help:
        module = __import__(f"comeforward.{command}.cli", fromlist=["USAGE"])
        print(module.USAGE.rstrip())
        return 0
    if command == "law":
        return _domain("comeforward.law.cli", rest)
    if command == "risk":
        return _domain("comeforward.risk.cli", rest)
    if command == "policy":
        return _domain("comeforward.policy.cli", rest)
    if command in {"triage", "hashset"}:
        return _domain("comeforward_triage.cli", argv)
    settings_module = _choose_settings(command)
    if settings_module is None:
        return _fail(
            "no settings: set DJANGO_SETTINGS_MODULE=comeforward.web.settings.production and "
            "its environment (docs/deploy.md), or run `comeforward demo` for a local demo."
        )
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["comeforward", *argv])
    except ImproperlyConfigured as error:
        return _fail(f"configuration: {error}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else ""
    try:
        return _dispatch(argv)
    except KeyboardInterrupt:
        if command in RESUMABLE:
            return _fail(
                "interrupted. What was done so far is kept; run the same command again to "
                "resume the run.",
                130,
            )
        return _fail("interrupted.", 130)
    except BrokenPipeError:  # e.g. `comeforward … | head`: the reader left, nothing to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except SystemExit:
        raise
    except Exception as error:  # a bug or an environment fault: one line, never a traceback
        if os.environ.get("COMEFORWARD_DEBUG"):
            traceback.print_exc()
        return _fail(f"{type(error).__name__}: {error}", 1)


def entry() -> None:
    """The ``comeforward`` console script. ``comeforward triage …`` / ``hashset …`` end with
    ``os._exit`` once everything is written and the output flushed, keeping the run's records
    rather than freeing them one by one (``comeforward_triage.cli.entry``; ~2.4 s on a million
    files); every other command exits normally."""
    argv = sys.argv[1:]
    if argv and argv[0] in {"triage", "hashset"}:
        import importlib

        setattr(importlib.import_module("comeforward_triage.run"), "RETAIN", [])  # noqa: B010
        code = main(argv)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)
    sys.exit(main(argv))


if __name__ == "__main__":  # pragma: no cover
    entry()
