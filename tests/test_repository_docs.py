"""The repository explains itself: every stable code and command is documented in docs/, and
no document sends the reader outside the repository for a contract (issue 19.7).

The scanner is deliberately simple — regular expressions over the source, described in
docs/error-codes.md ("How the list is kept complete") — so that a new code is caught by the
same rule a reader can apply by eye.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

#: An UPPER_SNAKE code; SNAKE needs at least one underscore (so "FILE" or "A" never match).
_CODE = r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*"
_SNAKE = r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+"
#: Helpers that take a code as one of their first arguments (``_refuse("X", message)``,
#: ``_invalid(message, "X")``, ``ContainerEnd(key, parent, members, "X", message)``…).
_CODE_TAKERS = (
    "_refuse",
    "_problem",
    "Problem",
    "_invalid",
    "_fail",
    "_set_error",
    "_error",
    "ArchiveError",
    "ContainerEnd",
    "Condition",
)

#: Everywhere under src/ and packages/ (tests, migrations and settings excluded).
PATTERNS_EVERYWHERE = (
    # class attribute or keyword: ``code = "X"``, ``code="X"``, ``error_code="X"``
    re.compile(rf"""\b(?:error_)?code\s*=\s*["']({_CODE})["']"""),
    # a literal error document: ``{"code": "X", …}``
    re.compile(rf"""["'](?:error_)?code["']\s*:\s*["']({_CODE})["']"""),
    # the HTTP status table of the API: ``"X": 409,``
    re.compile(rf"""^\s*["']({_SNAKE})["']\s*:\s*[45]\d\d\s*,""", re.M),
    # a module constant naming a code: ``MISMATCH = "AUDIT_ANCHOR_MISMATCH"``
    re.compile(rf"""^[A-Z][A-Z0-9_]*\s*=\s*["']((?!COMEFORWARD_){_SNAKE})["']\s*$""", re.M),
)
#: The first UPPER_SNAKE literal among the first arguments of a code-taking helper.
_TAKER_CALL = re.compile(
    rf"""(?<![\w.])(?:self\.)?(?:{"|".join(_CODE_TAKERS)})\((?P<args>[^()]{{0,300}}?)["']({_SNAKE}|[A-Z]{{5,}})["']"""
)
#: Only in the triage engine, whose per-file issues are ``"CODE: message"`` strings and
#: ``("CODE", "message")`` pairs.
PATTERNS_TRIAGE = (
    re.compile(rf"""f?["']({_SNAKE}|SKIPPED|UNREADABLE|ENCRYPTED): """),
    re.compile(rf"""\(\s*["']({_SNAKE})["']\s*,\s*f?["'][^"'\n]*[a-z]"""),
)


def source_files() -> Iterator[tuple[str, str]]:
    for base in ("src", "packages"):
        for path in sorted((ROOT / base).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if any(part in rel for part in ("/tests/", "/migrations/", "/settings/")):
                continue
            yield rel, path.read_text(encoding="utf-8")


def scan_codes() -> dict[str, set[str]]:
    """Every stable code the source can emit → the files it appears in."""
    found: dict[str, set[str]] = {}
    for rel, text in source_files():
        patterns = list(PATTERNS_EVERYWHERE)
        if rel.startswith("packages/triage/"):
            patterns += PATTERNS_TRIAGE
        codes = [m.group(1) for pattern in patterns for m in pattern.finditer(text)]
        codes += [m.group(2) for m in _TAKER_CALL.finditer(text)]
        for code in codes:
            found.setdefault(code, set()).add(rel)
    return found


def documented_codes() -> set[str]:
    text = (DOCS / "error-codes.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\|\s*`([A-Z][A-Z0-9_]*)`", text, re.M))


def test_the_scanner_finds_the_codes_of_each_kind():
    """The scanner itself: one code of each shape it must recognise (so it cannot silently
    find nothing)."""
    codes = scan_codes()
    for code in (
        "INVALID_INPUT",  # DomainError class attribute
        "NOT_SCORABLE",  # risk
        "UNMAPPED_CATEGORY",  # triage TriageError
        "IO_ERROR",  # literal error document in the triage CLI
        "CAUTION_DATE_INVALID",  # _refuse("X", …)
        "GRADING_HASH_INVALID",  # _invalid(message, "X")
        "ARCHIVE_DEPTH_LIMIT",  # ContainerEnd(…, "X", message)
        "SAFEGUARDING_NOT_SCREENED",  # workflow Condition
        "AUDIT_ANCHOR_MISMATCH",  # module constant
        "PDQ_FAILED",  # triage "CODE: message" warning
        "ACQUISITION_HASH_MISMATCH",  # triage ("CODE", "message") source issue
        "UNSUPPORTED_MEDIA_TYPE",  # API status table
    ):
        assert code in codes, code
    assert "COMEFORWARD_TRIAGE_SIGNING_KEY" not in codes  # an environment variable


def test_every_code_in_the_source_is_in_docs_error_codes():
    documented = documented_codes()
    missing = {
        code: sorted(files) for code, files in scan_codes().items() if code not in documented
    }
    assert not missing, f"add these codes to docs/error-codes.md: {missing}"


def test_docs_error_codes_lists_no_code_the_source_no_longer_has():
    stale = documented_codes() - set(scan_codes())
    assert not stale, f"remove (or find again) in docs/error-codes.md: {sorted(stale)}"


def _triage_subcommands() -> set[str]:
    from comeforward_triage.cli import _parser
    from comeforward_triage.hashsets.cli import _build_parser

    names: set[str] = set()
    for parser in (_parser(), _build_parser()):
        for action in parser._subparsers._group_actions:  # argparse keeps them here
            names |= set(action.choices)
    return names


def test_every_command_is_in_docs_interfaces():
    """Every `comeforward` command of ours (Django management commands of comeforward apps,
    the pure engines' commands and the triage sub-commands) has a heading or table row in
    docs/interfaces.md."""
    from django.core.management import get_commands

    ours = {name for name, app in get_commands().items() if app.startswith("comeforward.")}
    assert {"demo", "serve", "worker", "audit", "register_transfer"} <= ours
    triage = _triage_subcommands()
    assert {"run", "keygen", "compile", "info", "lookup"} <= triage
    text = (DOCS / "interfaces.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"`comeforward ([\w-]+)", text))
    shown |= set(re.findall(r"`comeforward (?:triage|hashset) ([\w-]+)", text))
    expected = ours | triage | {"law", "risk", "policy", "triage", "hashset"}
    assert not expected - shown, f"document in docs/interfaces.md: {sorted(expected - shown)}"


#: A link or path that leaves the repository: ``../shared/…``, ``/work/…`` or the bare name
#: of the design notes that used to hold the contracts.
_OUTSIDE = re.compile(r"\.\./shared/|/work/|\bINTERFACES\.md\b|\bCONVENTIONS\.md\b")
#: The words that make such a reference a citation of a source (docs/code-habits.md).
_CITATION = re.compile(r"\b(source|sources|research|cited|citing|see also)\b", re.I)


def _documents() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def outside_references(text: str) -> list[str]:
    """Lines that point outside the repository without calling it a source."""
    return [
        line.strip()
        for line in text.splitlines()
        if _OUTSIDE.search(line) and not _CITATION.search(line)
    ]


def test_the_outside_reference_rule_itself():
    assert outside_references("Contract: the shared `INTERFACES.md`.")
    assert outside_references("See ../shared/design/ARCHITECTURE.md for the contract.")
    assert not outside_references("Source: ../shared/research/law.md §2.")
    assert not outside_references("Everything is in docs/interfaces.md.")


def test_no_document_sends_the_reader_outside_the_repository_for_a_contract():
    offending = {
        doc.relative_to(ROOT).as_posix(): lines
        for doc in _documents()
        if (lines := outside_references(doc.read_text(encoding="utf-8")))
    }
    assert not offending, offending


def test_the_readme_lists_every_page_in_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pages = {p.name for p in DOCS.glob("*.md")}
    listed = set(re.findall(r"\(docs/([\w.-]+\.md)\)", readme))
    assert not pages - listed, f"list in README.md's documentation index: {pages - listed}"


def _long_options(parser) -> set[str]:
    options = set()
    for action in parser._actions:
        options |= {o for o in action.option_strings if o.startswith("--")}
        if action.choices and hasattr(action, "_name_parser_map"):
            for sub in action.choices.values():
                options |= _long_options(sub)
    return options - {"--help"}


def test_every_option_of_every_command_is_in_docs_interfaces():
    """Each long option of our management commands and of the triage and hash-set
    sub-commands is named in docs/interfaces.md (``add_arguments`` on a plain parser, so a
    command whose own parser set-up is broken is still checked)."""
    import argparse

    from comeforward_triage.cli import _parser
    from comeforward_triage.hashsets.cli import _build_parser
    from django.core.management import get_commands, load_command_class

    wanted: dict[str, set[str]] = {}
    for name, app in get_commands().items():
        if app.startswith("comeforward."):
            parser = argparse.ArgumentParser()
            load_command_class(app, name).add_arguments(parser)
            wanted[name] = _long_options(parser)
    wanted["triage"] = _long_options(_parser())
    wanted["hashset"] = _long_options(_build_parser())
    text = (DOCS / "interfaces.md").read_text(encoding="utf-8")
    missing = {
        name: sorted(o for o in options if not re.search(rf"{re.escape(o)}(?![\w-])", text))
        for name, options in wanted.items()
    }
    missing = {name: options for name, options in missing.items() if options}
    assert not missing, f"document in docs/interfaces.md: {missing}"
