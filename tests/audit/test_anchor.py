"""The audit chain's head anchored outside the database (issue 11.3, ADR 0008).

Before the anchor, deleting the newest record, the newest three or every record left a chain
that verified ``ok``. Each test here tampers the way an attacker holding the database would
(triggers dropped first), then runs ``comeforward audit verify``.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from comeforward.audit import anchor
from comeforward.audit.models import AuditEvent
from comeforward.audit.operations import Operation
from comeforward.audit.selectors import anchor_status, audit_verify
from comeforward.audit.services import anchor_key, audit_record
from comeforward.audit.tasks import audit_chain_verify_task

from .test_audit_trail import _drop_triggers, _raw

pytestmark = pytest.mark.django_db


@pytest.fixture
def anchor_file(settings, tmp_path):
    path = tmp_path / "var" / "audit-anchor.log"
    settings.AUDIT_ANCHOR_PATH = path
    return path


@pytest.fixture
def append(django_capture_on_commit_callbacks):
    """``append(n)``: n audited writes, each committed (its on-commit anchor write runs)."""

    def run(n: int = 1, *, commit: bool = True):
        events = []
        for _ in range(n):
            with django_capture_on_commit_callbacks(execute=commit):
                events.append(
                    audit_record(
                        actor=None,
                        operation=Operation.COLLECT,
                        subject_type="case",
                        subject_id=7,
                        scope="case.summary",
                    )
                )
        return events

    return run


def _verify() -> tuple[int, dict]:
    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, json.loads(out.getvalue())


def _lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


# --- writing ------------------------------------------------------------------------------


def test_every_committed_append_writes_a_signed_checkpoint(anchor_file, append):
    events = append(3)
    lines = _lines(anchor_file)
    assert [(line["count"], line["head"]) for line in lines] == [(e.seq, e.hash) for e in events]
    assert all(len(line["mac"]) == 64 for line in lines)
    assert stat.S_IMODE(anchor_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(anchor_file.parent.stat().st_mode) == 0o700
    assert _verify() == (
        0,
        {
            "ok": True,
            "records": 3,
            "anchor": {"records": 3, "anchored": 3, "unanchored": 0, "checkpoints": 3},
        },
    )


def test_a_loose_anchor_file_is_tightened_to_0600(anchor_file, append):
    anchor_file.parent.mkdir(parents=True)
    anchor_file.touch(mode=0o644)
    os.chmod(anchor_file, 0o644)
    append(1)
    assert stat.S_IMODE(anchor_file.stat().st_mode) == 0o600


def test_a_rolled_back_record_is_not_anchored(
    anchor_file, append, django_capture_on_commit_callbacks
):
    append(1)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        audit_record(actor=None, operation="collect", subject_type="case", scope="case")
        raise RuntimeError("the operation failed after auditing")
    assert len(_lines(anchor_file)) == 1
    assert _verify()[0] == 0


def test_a_failed_anchor_write_does_not_fail_the_committed_write(
    settings, tmp_path, append, caplog
):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.AUDIT_ANCHOR_PATH = blocker / "audit-anchor.log"
    with caplog.at_level(logging.ERROR, logger="comeforward.audit.services"):
        (event,) = append(1)
    assert AuditEvent.objects.get().pk == event.pk
    assert "Audit anchor not written for record 1" in caplog.text


def test_concurrent_appends_each_write_one_whole_line(tmp_path):
    path = tmp_path / "audit-anchor.log"
    key = b"k" * 32

    def writer(start: int):
        for i in range(start, start + 50):
            anchor.append(path, key, count=i, head=f"{i:064x}", fsync=False)

    threads = [threading.Thread(target=writer, args=(n * 50 + 1,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checkpoints = anchor.read(path, key)
    assert sorted(c.count for c in checkpoints) == list(range(1, 401))


# --- truncation: the finding ------------------------------------------------------------------


@pytest.mark.parametrize(("removed", "left"), [(1, 4), (3, 2), (5, 0)])
def test_removing_records_from_the_end_is_caught(anchor_file, append, removed, left):
    append(5)
    _drop_triggers()
    _raw("DELETE FROM {t} WHERE seq > %s", [left])
    assert AuditEvent.objects.count() == left
    code, output = _verify()
    assert code == 2
    assert output["error"]["code"] == "AUDIT_TRUNCATED"
    assert output["error"]["details"]["records"] == left
    assert output["error"]["details"]["anchored"] == 5
    assert (
        "anchor vouches for 5 records, the database holds " + str(left)
        in (output["error"]["message"])
    )


def test_truncated_then_regrown_is_caught(anchor_file, append):
    """Remove the last two, then let the application append three more: the count is back
    above the anchor's, but record 4 is no longer the record the anchor vouched for."""
    append(5)
    _drop_triggers()
    _raw("DELETE FROM {t} WHERE seq > 3")
    append(3)
    code, output = _verify()
    assert code == 2
    assert output["error"]["code"] == "AUDIT_ANCHOR_MISMATCH"
    assert output["error"]["message"].startswith("Audit record 4 is not the record")


def test_history_rewritten_with_the_key_but_without_the_anchor_is_caught(anchor_file, append):
    """Someone holding the database *and* the chain key rebuilds a consistent chain of the
    same length without anchoring it: the first checkpoint no longer matches."""
    append(3)
    _drop_triggers()
    _raw("DELETE FROM {t}")
    append(3, commit=False)  # valid HMACs, never anchored
    code, output = _verify()
    assert code == 2
    assert output["error"]["code"] == "AUDIT_ANCHOR_MISMATCH"
    assert output["error"]["message"].startswith("Audit record 1 is not the record")


# --- the chain's own checks, with the anchor in place ------------------------------------------


def test_edit_is_caught(anchor_file, append):
    append(4)
    _drop_triggers()
    _raw("UPDATE {t} SET justification = 'nothing to see' WHERE seq = 3")
    code, output = _verify()
    assert (code, output["error"]["code"], output["error"]["details"]["seq"]) == (
        2,
        "AUDIT_CHAIN_BROKEN",
        3,
    )


def test_delete_in_the_middle_is_caught(anchor_file, append):
    append(4)
    _drop_triggers()
    _raw("DELETE FROM {t} WHERE seq = 2")
    code, output = _verify()
    assert (code, output["error"]["code"], output["error"]["details"]["seq"]) == (
        2,
        "AUDIT_CHAIN_BROKEN",
        3,
    )
    assert "gap" in output["error"]["details"]["reason"]


def test_reorder_is_caught(anchor_file, append):
    append(4)
    _drop_triggers()
    _raw("UPDATE {t} SET seq = 99 WHERE seq = 2")
    _raw("UPDATE {t} SET seq = 2 WHERE seq = 3")
    _raw("UPDATE {t} SET seq = 3 WHERE seq = 99")
    code, output = _verify()
    assert (code, output["error"]["code"], output["error"]["details"]["seq"]) == (
        2,
        "AUDIT_CHAIN_BROKEN",
        2,
    )


def test_insert_is_caught(anchor_file, append):
    append(3)
    _drop_triggers()
    # Renumber record 3 to 5 and have the application append after it.
    _raw("UPDATE {t} SET seq = 5 WHERE seq = 3")
    append(1)
    code, output = _verify()
    assert (code, output["error"]["code"], output["error"]["details"]["seq"]) == (
        2,
        "AUDIT_CHAIN_BROKEN",
        5,
    )


# --- the anchor file itself ---------------------------------------------------------------------


def test_anchor_one_behind_after_a_crash_is_not_a_false_alarm(anchor_file, append):
    append(3)
    append(1, commit=False)  # committed to the database; the process died before the anchor
    code, output = _verify()
    assert code == 0
    assert output["anchor"] == {"records": 4, "anchored": 3, "unanchored": 1, "checkpoints": 3}
    append(1)  # the next append vouches for everything before it
    assert _verify()[1]["anchor"]["unanchored"] == 0


def test_checkpoints_written_out_of_order_still_verify(anchor_file, append):
    """Anchors are written after commit, outside the chain lock, so two processes may write
    them in either order."""
    events = append(3, commit=False)
    key = anchor_key()
    for event in reversed(events):
        anchor.append(anchor_file, key, count=event.seq, head=event.hash)
    assert _verify()[0] == 0


def test_missing_anchor_with_records_fails_closed(anchor_file, append):
    append(2)
    anchor_file.unlink()
    code, output = _verify()
    assert code == 2
    assert output["error"]["code"] == "AUDIT_ANCHOR_MISSING"


def test_empty_database_and_no_anchor_yet_is_ok(anchor_file):
    assert _verify() == (
        0,
        {
            "ok": True,
            "records": 0,
            "anchor": {"records": 0, "anchored": 0, "unanchored": 0, "checkpoints": 0},
        },
    )


def test_a_forged_checkpoint_is_refused(anchor_file, append):
    append(2)
    with anchor_file.open("a") as handle:
        handle.write(anchor.checkpoint_line(b"not the anchor key", count=1, head="0" * 64))
    code, output = _verify()
    assert code == 2
    assert output["error"]["code"] == "AUDIT_ANCHOR_INVALID"
    assert output["error"]["details"] == {"line": 3, "reason": "signature does not match"}


def test_a_torn_last_line_is_ignored(anchor_file, append):
    append(2)
    with anchor_file.open("a") as handle:
        handle.write('{"at":"2026-12-03T10:')  # the process died mid-write
    assert _verify()[0] == 0


def test_anchor_off_means_chain_only(settings, append):
    settings.AUDIT_ANCHOR_PATH = None
    append(2)
    assert audit_verify().as_dict() == {"ok": True, "records": 2}


# --- `audit anchor` and the readiness check --------------------------------------------------


def _anchor_command() -> tuple[int, dict]:
    out = StringIO()
    try:
        call_command("audit", "anchor", stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, json.loads(out.getvalue())


def test_anchor_command_catches_up_a_deployment_without_an_anchor(anchor_file, append):
    append(3, commit=False)
    assert _verify()[1]["error"]["code"] == "AUDIT_ANCHOR_MISSING"
    assert _anchor_command() == (0, {"ok": True, "anchored": 3})
    assert _verify()[0] == 0


def test_anchor_command_will_not_paper_over_a_truncation(anchor_file, append):
    append(3)
    _drop_triggers()
    _raw("DELETE FROM {t} WHERE seq = 3")
    code, output = _anchor_command()
    assert (code, output["error"]["code"]) == (2, "AUDIT_TRUNCATED")
    assert len(_lines(anchor_file)) == 3


def test_anchor_status_for_readiness(anchor_file, append, settings):
    assert anchor_status()["ok"] is True
    append(2)
    assert anchor_status() == {
        "ok": True,
        "configured": True,
        "path": str(anchor_file),
        "records": 2,
        "anchored": 2,
        "unanchored": 0,
    }
    settings.AUDIT_ANCHOR_MAX_UNANCHORED = 1
    append(2, commit=False)
    status = anchor_status()
    assert (status["ok"], status["code"], status["unanchored"]) == (
        False,
        "AUDIT_ANCHOR_BEHIND",
        2,
    )


def test_anchor_status_reports_truncation_and_a_missing_file(anchor_file, append):
    append(3)
    _drop_triggers()
    _raw("DELETE FROM {t} WHERE seq = 3")
    status = anchor_status()
    assert (status["ok"], status["code"]) == (False, "AUDIT_TRUNCATED")
    anchor_file.unlink()
    status = anchor_status()
    assert (status["ok"], status["code"]) == (False, "AUDIT_ANCHOR_MISSING")


def test_anchor_status_when_anchoring_is_off(settings):
    settings.AUDIT_ANCHOR_PATH = None
    assert anchor_status() == {"ok": True, "configured": False}


def test_nightly_task_reports_truncation(anchor_file, append):
    append(3)
    _drop_triggers()
    _raw("DELETE FROM {t} WHERE seq = 3")
    result = audit_chain_verify_task.enqueue()
    assert result.return_value == {
        "ok": False,
        "records": 2,
        "code": "AUDIT_TRUNCATED",
        "seq": None,
        "reason": "The audit trail was truncated: the anchor vouches for 3 records, "
        "the database holds 2",
    }
