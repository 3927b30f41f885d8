"""The embedded default under a few users (issue 20.1): web server + worker on one SQLite
file, several signed-in users at once — zero HTTP 500s ("database is locked").

The demo's own processes (``comeforward serve`` with the threaded server, ``comeforward
worker``) on a file database configured by ``settings.base.sqlite_database`` (WAL, busy
timeout, ``BEGIN IMMEDIATE``). Each user opens pages and case records (every case read is an
audited write), while sweeps are queued and run by the worker. Bounded: a fixed number of
rounds per user.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import threading

import pytest

from tests.support.live import (
    COMEFORWARD,
    ROOT,
    Browser,
    base_env,
    free_port,
    start,
    stop,
    wait_for,
)

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only, pytest.mark.xdist_group("live-sqlite")]

ROUNDS = 3
ROLES = ["supervisor", "investigator", "intake_officer", "forensic_examiner", "offender_manager"]


def test_several_users_and_the_worker_on_sqlite_get_no_500s(tmp_path):
    from comeforward.demo.data import DEMO_PASSWORD, demo_email, demo_totp_key

    env = base_env(
        DJANGO_SETTINGS_MODULE="comeforward.web.settings.dev", COMEFORWARD_VAR_DIR=str(tmp_path)
    )
    subprocess.run(
        [*COMEFORWARD, "demo", "--no-serve"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    database = tmp_path / "comeforward.sqlite3"
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start(["serve", "--dev", f"127.0.0.1:{port}"], env, tmp_path / "server.log")
    worker = start(["worker", "--interval", "0.1"], env, tmp_path / "worker.log")
    errors: list[BaseException] = []
    browsers: list[Browser] = []
    try:
        wait_for(f"{base}/healthz")

        def user(role: str) -> None:
            try:
                browser = Browser(base)
                browsers.append(browser)
                email = demo_email(role)
                browser.sign_in(email, DEMO_PASSWORD, demo_totp_key(email))
                for _ in range(ROUNDS):
                    browser.request("/")
                    _, listing = browser.request("/cases/")
                    for case_id in sorted(set(re.findall(r'href="/cases/(\d+)/"', listing)))[:2]:
                        browser.post_form(
                            f"/audit/reason?subject=case:{case_id}&next=/cases/{case_id}/",
                            {"reason": "case_work"},
                        )
                        browser.request(f"/cases/{case_id}/")
            except BaseException as error:  # reported below, with the statuses
                errors.append(error)

        def queue_sweeps() -> None:
            for _ in range(3):
                for command in ("register_sweep", "treatment_condition_sweep"):
                    subprocess.run(
                        [*COMEFORWARD, command],
                        env=env,
                        cwd=ROOT,
                        capture_output=True,
                        timeout=120,
                        check=False,
                    )

        threads = [threading.Thread(target=user, args=(role,)) for role in ROLES]
        threads.append(threading.Thread(target=queue_sweeps))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
    finally:
        stop(server, worker)

    statuses = [status for b in browsers for _, status in b.statuses]
    server_errors = [(p, s) for b in browsers for p, s in b.statuses if s >= 500]
    assert not errors, (errors, server_errors)
    assert server_errors == []
    assert len(statuses) >= len(ROLES) * ROUNDS * 2  # the load really ran
    with sqlite3.connect(database) as db:
        done = dict(
            db.execute(
                "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
            ).fetchall()
        )
        reads = db.execute(
            "SELECT COUNT(*) FROM audit_auditevent WHERE operation = 'consult'"
        ).fetchone()[0]
    assert done.get("SUCCESSFUL", 0) >= 6, done  # the worker wrote while the users did
    assert "FAILED" not in done, done
    assert reads > 0
    log = (tmp_path / "server.log").read_text(errors="replace")
    assert "database is locked" not in log
