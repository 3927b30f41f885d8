"""A real comeforward service in subprocesses for tests: start, sign in with a second factor,
browse like a user (urllib, cookies, CSRF), stop. Used by the SQLite concurrency test and
the production-stack checks."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMEFORWARD = [sys.executable, "-m", "comeforward.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback only
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


def start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    handle = log.open("wb")
    return subprocess.Popen(
        [*COMEFORWARD, *args], env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT
    )


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


class _BehindTlsProxy(http.cookiejar.DefaultCookiePolicy):
    """Send ``Secure`` cookies over loopback http: the test plays the TLS proxy."""

    def return_ok_secure(self, cookie, request):
        return True


class Browser:
    """One signed-in user: keeps cookies, sends the CSRF token, records every status.

    ``behind_proxy``: act as the TLS-terminating proxy in front of a production server
    (``X-Forwarded-Proto: https``, https Referer/Origin, Secure cookies kept)."""

    def __init__(self, base: str, *, behind_proxy: bool = False):
        self.base = base
        self.behind_proxy = behind_proxy
        policy = _BehindTlsProxy() if behind_proxy else None
        self.jar = http.cookiejar.CookieJar(policy)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.statuses: list[tuple[str, int]] = []
        self.headers: list[dict] = []

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - loopback
        origin = self.base.replace("http://", "https://") if self.behind_proxy else self.base
        if self.behind_proxy:
            req.add_header("X-Forwarded-Proto", "https")
        if data is not None:
            req.add_header("Referer", origin + path)
            req.add_header("Origin", origin)
        try:
            with self.opener.open(req, timeout=60) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
                self.headers.append(dict(response.headers))
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
            self.headers.append(dict(error.headers))
        self.statuses.append((path, status))
        return status, text

    def post_form(self, path: str, fields: dict) -> tuple[int, str]:
        _, page = self.request(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"no CSRF token on {path}"
        return self.request(path, {"csrfmiddlewaretoken": token.group(1), **fields})

    def sign_in(self, email: str, password: str, totp_key_hex: str) -> None:
        from django_otp.oath import TOTP

        status, _ = self.post_form("/account/sign-in", {"email": email, "password": password})
        assert status == 200, status
        code = f"{TOTP(bytes.fromhex(totp_key_hex)).token():06d}"
        status, page = self.post_form("/account/mfa/", {"code": code})
        assert status == 200 and "Enter your security code" not in page, (status, page[:500])


def base_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PYTEST_XDIST_WORKER"}}
    env.update(extra)
    return env
