"""The production stack, run for real (issue 17: 17.2–17.7; docs/deploy.md).

Against PostgreSQL on loopback, with the production settings and secrets from a secrets
directory: gunicorn (``comeforward serve``), the worker and the scheduler. A user signs in
with a second factor (TOTP), records a self-referral and opens the case; the scheduler queues
the daily sweeps and the worker runs them; liveness, readiness, metrics (token required) and
the JSON logs (request ids, no personal data) are checked. Then two triage workers with
separate working directories pull examination jobs from the one queue. Then the backup:
``pg_dump``, restore into a new database, ``audit verify``, encrypted fields readable with the
escrowed keys, key rotation after restore, and what a lost key means. Everything is stopped.

Images cannot be built on these machines (no container engine), so the processes that
deploy/compose.yaml and deploy/systemd/ run are started here directly, with the same commands.

Run: ``uv run python scripts/ci_production_stack.py`` with ``STACK_POSTGRES`` (default
``postgres://postgres@127.0.0.1:5432``). Prints ``N passed, 0 failed`` and exits 0, or exits 1.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.live import Browser, free_port, wait_for  # noqa: E402

SERVER = os.environ.get("STACK_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB = os.environ.get("STACK_DB", "comeforward_stack")
RESTORED = f"{DB}_restored"
CF = [sys.executable, "-m", "comeforward.cli"]
PASSED: list[str] = []


def check(name: str, condition: bool, detail: object = "") -> None:
    if not condition:
        print(f"FAILED: {name} {detail}", flush=True)
        raise SystemExit(1)
    PASSED.append(name)
    print(f"ok   {name}", flush=True)


def psql(*sql: str, database: str = "postgres") -> None:
    for statement in sql:
        subprocess.run(
            ["psql", f"{SERVER}/{database}", "-v", "ON_ERROR_STOP=1", "-q", "-c", statement],
            check=True,
        )


def fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def make_secrets(directory: Path) -> dict[str, str]:
    from nacl.public import PrivateKey

    private = PrivateKey.generate()
    values = {
        "django_secret_key": secrets.token_urlsafe(50),
        "audit_hmac_key": secrets.token_hex(32),
        "field_encryption_keys": fernet_key(),
        "enquiry_private_key": base64.urlsafe_b64encode(bytes(private)).decode(),
        "enquiry_public_key": base64.b64encode(bytes(private.public_key)).decode(),
        "enquiry_reference_pepper": secrets.token_hex(32),
        "comeforward_metrics_token": secrets.token_urlsafe(24),
    }
    directory.mkdir(mode=0o700)
    for name, value in values.items():
        path = directory / name
        path.write_text(value + "\n")
        path.chmod(0o600)
    return values


def run(args: list[str], env: dict, *, check_rc: bool = True, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        args,
        env=env,
        cwd=kw.pop("cwd", ROOT),
        capture_output=True,
        text=True,
        timeout=kw.pop("timeout", 600),
        **kw,
    )
    if check_rc and proc.returncode != 0:
        print(proc.stdout, proc.stderr, sep="\n")
        raise SystemExit(f"{' '.join(map(str, args))} failed ({proc.returncode})")
    return proc


def python(code: str, env: dict, **kw) -> subprocess.CompletedProcess:
    prelude = "import django, json, sys; django.setup()\n"
    return run([sys.executable, "-c", prelude + code], env, **kw)


def start(args: list[str], env: dict, log: Path, cwd: Path = ROOT) -> subprocess.Popen:
    return subprocess.Popen(args, env=env, cwd=cwd, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def stop(*processes: subprocess.Popen) -> list[int]:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    codes = []
    for process in processes:
        try:
            codes.append(process.wait(timeout=30))
        except subprocess.TimeoutExpired:
            process.kill()
            codes.append(process.wait())
    return codes


ENCRYPTED_DIGEST = """
from comeforward.encryption.services import encrypted_fields
from django.db import connection
import hashlib
values, raw_ok, n = [], True, 0
for model, names in encrypted_fields():
    for row in model._default_manager.order_by("pk").values_list("pk", *names):
        values.append(repr(row))
    table = model._meta.db_table
    for name in names:
        column = model._meta.get_field(name).column
        with connection.cursor() as c:
            c.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> %s', [""])
            for (text,) in c.fetchall():
                n += 1
                raw_ok = raw_ok and text.startswith("gAAAA")
print(json.dumps({"digest": hashlib.sha256("\\n".join(values).encode()).hexdigest(),
                  "encrypted_values": n, "all_tokens": raw_ok}))
"""


def main() -> int:  # noqa: C901, PLR0915 - one linear script, read top to bottom
    work = Path(tempfile.mkdtemp(prefix="cf-stack-"))
    processes: list[subprocess.Popen] = []
    try:
        psql(
            f"DROP DATABASE IF EXISTS {DB}",
            f"DROP DATABASE IF EXISTS {RESTORED}",
            f"CREATE DATABASE {DB}",
        )
        values = make_secrets(work / "secrets")
        var = work / "var"
        var.mkdir()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(work),
            "LANG": "C.UTF-8",
            **({"PYTHONPATH": os.environ["PYTHONPATH"]} if os.environ.get("PYTHONPATH") else {}),
            "DJANGO_SETTINGS_MODULE": "comeforward.web.settings.production",
            "DATABASE_URL": f"{SERVER}/{DB}",
            "COMEFORWARD_SECRETS_DIR": str(work / "secrets"),
            "COMEFORWARD_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "COMEFORWARD_VAR_DIR": str(var),
            "COMEFORWARD_WEB_WORKERS": "2",
            # Every job is due at once, so the scheduler queues all three straight away.
            "COMEFORWARD_SCHEDULE": "register_sweep=00:00,treatment_condition_sweep=00:00,"
            "enquiries_purge=00:00",
        }

        # The triage worker's report-signing key (docs/triage-report-signing.md), where this
        # version signs reports: production requires an existing key file.
        key = work / "secrets" / "triage_signing_key"
        made = run([*CF, "triage", "keygen", "--out", str(key)], env, check_rc=False)
        if made.returncode == 0:
            env["COMEFORWARD_TRIAGE_SIGNING_KEY_FILE"] = str(key)

        # --- refusals: production never starts on SQLite or without its secrets -------------
        bad = run(
            [*CF, "check"], {**env, "DATABASE_URL": f"sqlite:///{work}/x.sqlite3"}, check_rc=False
        )
        check(
            "production refuses SQLite",
            bad.returncode == 2 and "must be a PostgreSQL URL" in bad.stderr,
            bad.stderr,
        )
        bare = run(
            [*CF, "check"],
            {**env, "COMEFORWARD_SECRETS_DIR": str(work / "nowhere")},
            check_rc=False,
        )
        check(
            "production refuses to start without its secrets",
            bare.returncode == 2 and "AUDIT_HMAC_KEY is not set" in bare.stderr,
            bare.stderr,
        )

        # --- set up: migrate, collect static files, synthetic users and cases ----------------
        run([*CF, "migrate", "--noinput"], env)
        run([*CF, "collectstatic", "--noinput"], {**env, "COMEFORWARD_VAR_DIR": str(var)})
        # Synthetic people and cases (the demo's fictional world) for the test to work on; demo
        # mode is switched on in this one set-up process only, never in the running service.
        python(
            "from django.conf import settings; settings.DEMO_MODE = True\n"
            "from comeforward.demo.data import load_demo_data; load_demo_data()",
            env,
        )

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        web = start([*CF, "serve", f"127.0.0.1:{port}"], env, work / "web.log")
        worker = start([*CF, "worker", "--interval", "0.2"], env, work / "worker.log")
        sched = start([*CF, "scheduler", "--interval", "1"], env, work / "scheduler.log")
        processes += [web, worker, sched]
        wait_for(f"{base}/healthz", timeout=120)

        # --- a short journey: sign in with TOTP, record a self-referral, open the case -----
        from django_otp.oath import TOTP

        # The synthetic users' password and authenticator keys (comeforward.demo.data).
        demo_password = "demo-password-not-secret"  # noqa: S105 - synthetic test user
        email = "intake-officer@demo.example"
        totp_key = hashlib.sha256(f"comeforward-demo:{email}".encode()).hexdigest()[:40]
        browser = Browser(base, behind_proxy=True)
        status, page = browser.post_form(
            "/account/sign-in", {"email": email, "password": demo_password}
        )
        check(
            "password accepted, second factor asked",
            status == 200 and "Enter your security code" in page,
        )
        wrong = browser.post_form("/account/mfa/", {"code": "000000"})[1]
        check("a wrong security code is refused", "not correct" in wrong)
        time.sleep(2.5)  # django-otp throttles the next try for 1 s after a failure
        code = f"{TOTP(bytes.fromhex(totp_key)).token():06d}"
        status, page = browser.post_form("/account/mfa/", {"code": code})
        check(
            "signed in with the second factor",
            status == 200 and "Sign out" in page and "Enter your security code" not in page,
        )
        status, page = browser.post_form(
            "/cases/intake",
            {
                "given_names": "Stacey",
                "family_name": "Stacktest",
                "route": "self_referral",
                "decision": "checked",
                "duplicate": "new",
            },
        )
        check("self-referral recorded", status == 200, (status, page[:300]))
        case_id = python(
            "from comeforward.cases.models import Case\n"
            "print(Case.objects.order_by('-pk').values_list('pk', flat=True).first())",
            env,
        ).stdout.strip()
        status, page = browser.post_form(
            f"/audit/reason?subject=case:{case_id}&next=/cases/{case_id}/", {"reason": "case_work"}
        )
        check(
            "case opened with a reason", status == 200 and "Stacktest" in page, (status, page[:300])
        )
        css = [p for p in page.split('"') if p.startswith("/static/") and p.endswith(".css")]
        static_status, _ = Browser(base, behind_proxy=True).request(css[0]) if css else (0, "")
        check(
            "WhiteNoise serves the fingerprinted static files",
            static_status == 200 and len(css[0].rsplit(".", 2)[-2]) >= 8,
            css,
        )
        request_ids = {h.get("X-Request-ID") for h in browser.headers} - {None}
        check("every response has a request id", len(request_ids) == len(browser.headers))

        # --- the scheduler queued the sweeps; the worker ran them -------------------------
        deadline = time.monotonic() + 120
        done = {}
        while time.monotonic() < deadline:
            done = json.loads(
                python(
                    "from django_tasks_db.models import DBTaskResult as T\n"
                    "print(json.dumps(dict(T.objects.filter(status='SUCCESSFUL')"
                    ".values_list('task_path', 'status'))))",
                    env,
                ).stdout
            )
            if len(done) >= 3:
                break
            time.sleep(2)
        check(
            "scheduler queued and the worker ran the three daily jobs",
            {p.rsplit(".", 1)[-1] for p in done}
            >= {"register_sweep", "treatment_condition_sweep", "enquiries_purge_dormant_task"},
            done,
        )

        # --- health, readiness, metrics ------------------------------------------------------
        anon = Browser(base, behind_proxy=True)
        status, body = anon.request("/readyz")
        ready = json.loads(body)
        check(
            "/readyz: database, queue and audit ready",
            status == 200
            and ready["ready"]
            and set(ready["checks"]) == {"database", "queue", "audit"},
            body,
        )
        status, _ = Browser(base).request("/metrics")
        check("/metrics without the token is hidden", status == 404)
        import urllib.request

        req = urllib.request.Request(
            f"{base}/metrics",
            headers={"Authorization": f"Bearer {values['comeforward_metrics_token']}"},
        )
        metrics = urllib.request.urlopen(req, timeout=30).read().decode()  # noqa: S310
        check(
            "/metrics: requests counted across gunicorn workers",
            'comeforward_http_requests_total{method="POST",route="/cases/intake"' in metrics,
        )
        check(
            "/metrics: latency, queue depth, failures, sweep results",
            all(
                name in metrics
                for name in (
                    "comeforward_http_request_duration_seconds_bucket",
                    "comeforward_task_queue_depth",
                    "comeforward_task_failures",
                    'comeforward_sweep_last_success_timestamp_seconds{job="register_sweep"}',
                )
            )
            and 'comeforward_sweep_last_success_timestamp_seconds{job="register_sweep"} 0.0'
            not in metrics,
        )

        # --- logs: JSON, request ids, no personal data ------------------------------------------
        time.sleep(1)
        lines = []
        for line in (work / "web.log").read_text().splitlines():
            try:
                lines.append(json.loads(line))
            except ValueError:
                check("every web log line is JSON", False, line)
        check(
            "gunicorn (not Django's development server) served the requests",
            sum("Booting worker" in line.get("message", "") for line in lines) == 2,
        )
        access = [line for line in lines if line.get("logger") == "comeforward.access"]
        check(
            "one access line per request, with its request id",
            request_ids <= {line["request_id"] for line in access},
            len(access),
        )
        text = (work / "web.log").read_text()
        check(
            "logs hold no names, emails, case ids, addresses or query strings",
            not any(
                leak in text
                for leak in ("Stacktest", "Stacey", email, f"/cases/{case_id}/", "subject=case")
            ),
        )

        # --- more than one machine: two triage workers, separate working directories ------
        stop(worker, sched)
        evidence = work / "share" / "evidence"
        for i in range(6):
            device = evidence / f"EX-{i}"
            (device / "docs").mkdir(parents=True)
            for j in range(40):
                (device / "docs" / f"f{j}.txt").write_text(f"exhibit {i} file {j}\n" * 50)
        listing = work / "share" / "set.csv"
        listing.write_text(
            "md5,category\n"
            + hashlib.md5(  # noqa: S324 - reference hash
                b"exhibit 0 file 0\n" * 50
            ).hexdigest()
            + ",B\n"
        )
        run(
            [
                *CF,
                "hashset",
                "compile",
                str(listing),
                "--format",
                "csv",
                "--out",
                str(work / "share" / "set.cfhs"),
            ],
            env,
        )
        triage_env = {
            **env,
            "COMEFORWARD_TRIAGE_EVIDENCE_ROOTS": str(evidence),
            "COMEFORWARD_TRIAGE_HASHSETS": str(work / "share" / "set.cfhs"),
        }
        workers = []
        for name in ("a", "b"):
            home = work / f"workstation-{name}"
            home.mkdir()
            wenv = {**triage_env, "COMEFORWARD_TRIAGE_OUTPUT_DIR": str(home / "runs")}
            workers.append(
                start(
                    [*CF, "worker", "--interval", "0.2"],
                    wenv,
                    work / f"worker-{name}.log",
                    cwd=home,
                )
            )
        processes += workers
        time.sleep(3)
        python(
            "from comeforward.accounts.models import User\n"
            "from comeforward.cases.models import Case\n"
            "from comeforward.exhibits.services import exhibit_record\n"
            "from comeforward.exhibits.triage_jobs import triage_job_request\n"
            "inv = User.objects.get(email='investigator@demo.example')\n"
            "ex = User.objects.get(email='forensic-examiner@demo.example')\n"
            "case = Case.objects.order_by('pk').first()\n"
            f"for i in range(6):\n"
            "    e = exhibit_record(actor=inv, case=case, reference=f'STACK/{i}', kind='laptop',"
            " description='Test laptop', storage_location='Store')\n"
            f"    triage_job_request(actor=ex, exhibit=e, source_path='{evidence}/EX-' + str(i))\n",
            triage_env,
        )
        deadline = time.monotonic() + 300
        jobs = []
        while time.monotonic() < deadline:
            jobs = json.loads(
                python(
                    "from comeforward.exhibits.models import TriageJob\n"
                    "print(json.dumps(list(TriageJob.objects.values_list('status', flat=True))))",
                    triage_env,
                ).stdout
            )
            if jobs and all(s in {"succeeded", "failed"} for s in jobs):
                break
            time.sleep(2)
        check(
            "six examination jobs pulled from the queue and succeeded",
            jobs == ["succeeded"] * 6,
            jobs,
        )
        runs = {
            name: sorted(p.name for p in (work / f"workstation-{name}" / "runs").glob("*"))
            for name in ("a", "b")
        }
        check(
            "both workstations took jobs, each job ran on exactly one",
            all(runs.values())
            and len(runs["a"]) + len(runs["b"]) == 6
            and not set(runs["a"]) & set(runs["b"]),
            runs,
        )
        stop(*workers)

        # --- stop the web server cleanly ---------------------------------------------------------
        codes = stop(web)
        check("gunicorn stops cleanly on SIGTERM", codes == [0], codes)

        # --- backup and restore -------------------------------------------------------------------
        before = json.loads(python(ENCRYPTED_DIGEST, env).stdout)
        check(
            "special-category text is stored encrypted",
            before["encrypted_values"] > 0 and before["all_tokens"],
            before,
        )
        dump = work / "backup.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", f"{SERVER}/{DB}"],
            check=True,
        )
        psql(f"CREATE DATABASE {RESTORED}")
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={SERVER}/{RESTORED}",
                str(dump),
            ],
            check=True,
        )
        renv = {**env, "DATABASE_URL": f"{SERVER}/{RESTORED}"}
        verify = run([*CF, "audit", "verify"], renv, check_rc=False)
        check(
            "audit verify passes on the restored database",
            verify.returncode == 0,
            verify.stdout + verify.stderr,
        )
        after = json.loads(python(ENCRYPTED_DIGEST, renv).stdout)
        check(
            "encrypted fields readable after restore with the escrowed keys",
            after["digest"] == before["digest"],
            (before, after),
        )
        old = values["field_encryption_keys"]
        new = fernet_key()
        rotated = run([*CF, "rotate_field_keys"], {**renv, "FIELD_ENCRYPTION_KEYS": f"{new},{old}"})
        check(
            "key rotation after restore re-encrypts every row",
            sum(json.loads(rotated.stdout)["rotated"].values()) > 0,
            rotated.stdout,
        )
        new_only = json.loads(
            python(ENCRYPTED_DIGEST, {**renv, "FIELD_ENCRYPTION_KEYS": new}).stdout
        )
        check(
            "after rotation the new key alone reads everything",
            new_only["digest"] == before["digest"],
        )
        verify = run(
            [*CF, "audit", "verify"], {**renv, "FIELD_ENCRYPTION_KEYS": new}, check_rc=False
        )
        check("audit verify passes after rotation", verify.returncode == 0, verify.stdout)
        lost = python(
            ENCRYPTED_DIGEST, {**renv, "FIELD_ENCRYPTION_KEYS": fernet_key()}, check_rc=False
        )
        check(
            "with the key lost, the encrypted text cannot be read (docs/deploy.md)",
            lost.returncode != 0,
        )
        wrong_audit = run(
            [*CF, "audit", "verify"],
            {**renv, "AUDIT_HMAC_KEY": secrets.token_hex(32)},
            check_rc=False,
        )
        check(
            "with the audit key lost, the chain can no longer be verified",
            wrong_audit.returncode != 0,
        )
    finally:
        stop(*processes)
        for name in ("web", "worker", "scheduler", "worker-a", "worker-b"):
            log = work / f"{name}.log"
            if log.exists() and os.environ.get("STACK_SHOW_LOGS"):
                print(f"--- {name}.log\n{log.read_text()[-3000:]}")
        with contextlib.suppress(subprocess.CalledProcessError):
            psql(f"DROP DATABASE IF EXISTS {DB}", f"DROP DATABASE IF EXISTS {RESTORED}")
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(PASSED)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
