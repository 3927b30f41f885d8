"""Run the public pages under the *production* settings behind a TLS proxy (issue 11.2).

Not a test module: ``test_behind_proxy.py`` runs it in a child process, because production
settings (``SECURE_SSL_REDIRECT``, ``SECURE_PROXY_SSL_HEADER``, HSTS, ``__Host-`` cookies) can
only be loaded into a fresh interpreter. It migrates a throw-away SQLite database in
``COMEFORWARD_VAR_DIR``, walks the public journey as a client behind a proxy with probe
values in every identifying header, and prints one JSON object of observations on stdout.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time

PROBE_IP = "203.0.113.197"
PROBE_UA = "ProbeBrowser/7.31 (EnquiryLeakCheck; zq9x)"
PROBE_XFF = "198.51.100.233, 192.0.2.91"
PROBE_COOKIE = "trackme=c00k1e9probe"
HOST = "comeforward.police.example"


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.parts: list[str] = []

    def emit(self, record):
        self.parts.append(record.getMessage())
        self.parts.append(repr(record.__dict__))
        request = getattr(record, "request", None)
        if request is not None:
            self.parts.append(repr(request.META))


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    # Production serves hashed static files through WhiteNoise's manifest: collect them first.
    call_command("collectstatic", interactive=False, verbosity=0)
    capture = _Capture()
    for name in ["", *list(logging.root.manager.loggerDict)]:
        logger = logging.getLogger(name)
        logger.addHandler(capture)
        logger.setLevel(logging.DEBUG)

    from comeforward.enquiries import abuse
    from comeforward.enquiries.notice import NOTICE_VERSION

    behind_proxy = {
        "HTTP_HOST": HOST,
        "REMOTE_ADDR": "10.0.0.7",  # the proxy
        "HTTP_X_FORWARDED_FOR": PROBE_XFF,
        "HTTP_X_REAL_IP": PROBE_IP,
        "HTTP_FORWARDED": f'for="{PROBE_IP}";proto=https;by=10.0.0.7',
        "HTTP_USER_AGENT": PROBE_UA,
        "HTTP_COOKIE": PROBE_COOKIE,
    }
    https = Client(**behind_proxy, HTTP_X_FORWARDED_PROTO="https")
    plain = Client(**behind_proxy, HTTP_X_FORWARDED_PROTO="http")
    out: dict = {"settings": os.environ["DJANGO_SETTINGS_MODULE"], "pages": {}, "plain": {}}
    out["secure_proxy_ssl_header"] = list(settings.SECURE_PROXY_SSL_HEADER or [])
    out["ssl_redirect"] = settings.SECURE_SSL_REDIRECT
    for path in ("/ask/", "/ask/question", "/ask/return"):
        response = https.get(path)
        out["pages"][path] = {
            "status": response.status_code,
            "location": response.get("Location"),
            "hsts": response.get("Strict-Transport-Security"),
            "cookies": sorted(response.cookies.keys()),
        }
        redirect = plain.get(path)
        hops = [redirect.status_code]
        if redirect.status_code in (301, 302):
            # Follow it the way a browser would: the proxy now reports https.
            target = redirect["Location"]
            followed = https.get(re.sub(r"^https://[^/]+", "", target))
            hops.append(followed.status_code)
        out["plain"][path] = {"hops": hops, "location": redirect.get("Location")}

    token = abuse.form_token_issue(notice_version=NOTICE_VERSION, now=time.time() - 60)
    sent = https.post(
        "/ask/question",
        {"message": "Sent from behind the proxy", "form_token": token, "leave_blank": ""},
    )
    html = sent.content.decode()
    out["question"] = {
        "status": sent.status_code,
        "reference_shown": 'id="reference"' in html,
        "cookies": sorted(sent.cookies.keys()),
    }
    https.get("/ask/no-such-page")  # a 404, logged by django.request

    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            parts.extend(repr(row) for row in cursor.fetchall())
    database = "\n".join(parts)
    logs = "\n".join(capture.parts)
    probes = (PROBE_IP, PROBE_UA, "198.51.100.233", "192.0.2.91", "zq9x", "c00k1e9probe")
    tables = connection.introspection.table_names()
    out["enquiries_in_database"] = "enquiries_enquiry" in tables
    out["cache_backend"] = settings.CACHES["default"]["BACKEND"]
    out["cache_table_made_by_migrate"] = "comeforward_cache" in tables
    out["leaks"] = {
        "database": [p for p in probes if p in database],
        "logs": [p for p in probes if p in logs],
    }
    out["logged_records"] = len(capture.parts)
    sys.stdout.write("\n" + json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
