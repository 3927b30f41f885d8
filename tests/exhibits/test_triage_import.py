"""Reading a triage report (INTERFACES.md §5), pure: every refusal has its own code."""

from __future__ import annotations

import hashlib
import json

import pytest

from comeforward.exhibits.triage_import import MAX_REPORT_BYTES, read_triage_report

from .triage_files import STANDARD, record, triage_output


def _read(report: bytes, listing: bytes, exhibit: str = "JS/1"):
    return read_triage_report(report, listing.splitlines(keepends=True), expected_exhibit=exhibit)


def _code(report: bytes, listing: bytes, exhibit: str = "JS/1") -> tuple[str, dict]:
    from comeforward.errors import DomainError

    with pytest.raises(DomainError) as error:
        _read(report, listing, exhibit)
    return error.value.code, error.value.details


def test_accepts_a_sealed_report_and_keeps_only_counts():
    report, listing = triage_output()
    result = _read(report, listing)
    assert result.categories == {"A": 1, "B": 1, "C": 2, "UNCATEGORISED": 1}
    assert (result.known_good, result.unmatched_images) == (1, 3)
    assert (result.total_files, result.total_images, result.total_errors) == (11, 9, 1)
    assert result.total_bytes == 10000
    assert (result.tool_name, result.tool_version, result.exhibit, result.examiner) == (
        "comeforward-triage",
        "0.1.0",
        "JS/1",
        "F. Examiner",
    )
    assert result.report_sha256 == hashlib.sha256(report).hexdigest()
    assert result.files_sha256 == hashlib.sha256(listing).hexdigest()
    assert result.summary == {
        "files_listed": 11,
        "source": {"kind": "directory", "bytes": 11000, "sha256": None},
        "hashsets": [{"sha256": "ab" * 32, "entries": 5}],
        "issues_by_code": {"READ_ERROR": 1},
        "matches_by_method": {"sha256": 5},
    }
    assert "DCIM" not in json.dumps(result.summary)  # no paths kept


def test_empty_run_is_accepted():
    report, listing = triage_output([])
    result = _read(report, listing)
    assert result.total_files == 0
    assert result.categories == {"A": 0, "B": 0, "C": 0, "UNCATEGORISED": 0}


def test_changed_listing_breaks_the_seal():
    report, listing = triage_output()
    tampered = listing.replace(b'"category": "A"', b'"category": "C"')
    code, details = _code(report, tampered)
    assert code == "REPORT_SEAL_MISMATCH"
    assert details == {
        "report_files_sha256": hashlib.sha256(listing).hexdigest(),
        "files_jsonl_sha256": hashlib.sha256(tampered).hexdigest(),
    }


def test_listing_from_another_run_breaks_the_seal():
    report, _ = triage_output()
    _, other = triage_output([record("other.jpg")])
    assert _code(report, other)[0] == "REPORT_SEAL_MISMATCH"


def test_report_for_another_exhibit_is_refused():
    report, listing = triage_output(exhibit="JS/2")
    assert _code(report, listing, "JS/1") == (
        "REPORT_EXHIBIT_MISMATCH",
        {"report_exhibit": "JS/2", "exhibit": "JS/1"},
    )


def test_report_without_exhibit_is_refused():
    report, listing = triage_output(exhibit=None)
    assert _code(report, listing)[0] == "REPORT_EXHIBIT_MISMATCH"


def test_counts_that_disagree_with_the_listing_are_refused():
    listing_records = STANDARD
    report, listing = triage_output(
        listing_records, categories={"A": 0, "B": 1, "C": 2, "UNCATEGORISED": 1}
    )
    code, details = _code(report, listing)
    assert code == "REPORT_COUNTS_MISMATCH"
    assert details == {"differences": {"category:A": {"report": 0, "listing": 1}}}


@pytest.mark.parametrize(
    ("report", "code"),
    [
        (b"{not json", "REPORT_INVALID_JSON"),
        (b"\xff\xfe", "REPORT_INVALID_JSON"),
        (b"[]", "REPORT_SHAPE_INVALID"),
        (b" " * (MAX_REPORT_BYTES + 1), "REPORT_TOO_LARGE"),
    ],
)
def test_not_a_report(report, code):
    _, listing = triage_output()
    assert _code(report, listing)[0] == code


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"tool": {"name": "x"}}, "tool.version"),
        ({"categories": {"A": 1, "B": 1, "C": 2}}, "categories.UNCATEGORISED"),
        ({"categories": {"A": -1, "B": 1, "C": 2, "UNCATEGORISED": 1}}, "categories.A"),
        ({"categories": {"A": True, "B": 1, "C": 2, "UNCATEGORISED": 1}}, "categories.A"),
        ({"known_good": "1"}, "known_good"),
        ({"files_sha256": "ABC"}, "files_sha256"),
        ({"exhibit": 7}, "exhibit"),
        ({"totals": {"files": 11}}, "totals.bytes"),
    ],
)
def test_shape_errors_name_the_field(override, field):
    report, listing = triage_output(**override)
    code, details = _code(report, listing)
    assert (code, details["field"]) == ("REPORT_SHAPE_INVALID", field)


def test_listing_line_that_is_not_a_record():
    bad = b'{"path": "a.jpg", "match": null}\n{"no_path": 1}\n'
    report, _ = triage_output([], files_sha256=hashlib.sha256(bad).hexdigest())
    assert _code(report, bad) == ("FILES_LISTING_INVALID", {"line": 2})


def test_listing_line_that_is_not_json():
    bad = b'{"path": "a.jpg"}\nnot json\n'
    report, _ = triage_output([], files_sha256=hashlib.sha256(bad).hexdigest())
    assert _code(report, bad) == ("FILES_LISTING_INVALID", {"line": 2})


def test_listing_with_unknown_category():
    bad = b'{"path": "a.jpg", "match": {"category": "D"}}\n'
    report, _ = triage_output([], files_sha256=hashlib.sha256(bad).hexdigest())
    assert _code(report, bad)[0] == "FILES_LISTING_INVALID"
