"""Nothing identifying is kept: no IP address, user agent or forwarded-for header reaches the
database, the logs or error reports (users-and-security §3.1, §3.2 req. 4 and 12)."""

from __future__ import annotations

import logging
import sys

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.views.debug import ExceptionReporter

from comeforward.enquiries import privacy, services

from .conftest import PROBE_IP, PROBE_UA, PROBE_XFF, ask, form_token, thread_token
from .test_public_pages import _database_text

pytestmark = pytest.mark.django_db
PROBES = (PROBE_IP, PROBE_UA, PROBE_XFF, "198.51.100.233", "192.0.2.91", "ProbeBrowser", "zq9x")


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)

    def text(self) -> str:
        """Everything a log sink or error reporter could print from the records."""
        parts = []
        for record in self.records:
            parts.append(record.getMessage())
            parts.append(repr(record.__dict__))
            request = getattr(record, "request", None)
            if request is not None:
                parts.append(repr(request.META))
                parts.append(repr(dict(request.headers)))
                if record.exc_info:
                    reporter = ExceptionReporter(request, *record.exc_info)
                    parts.append(reporter.get_traceback_text())
        return "\n".join(parts)


@pytest.fixture
def captured_logs():
    """Capture every record at DEBUG from the root and every named logger (including those
    that do not propagate, like ``django.request``)."""
    handler = _Capture()
    loggers = [logging.getLogger()] + [
        logging.getLogger(name) for name in list(logging.root.manager.loggerDict)
    ]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
    yield handler
    for lg, level in saved:
        lg.removeHandler(handler)
        lg.setLevel(level)


def _full_journey(client, make_user):
    reference = ask(client, "First question")
    html = client.post("/ask/return", {"reference": f"  {reference.upper()}  "}).content.decode()
    client.post(
        "/ask/return/message",
        {"message": "Follow-up", "thread_token": thread_token(html), "leave_blank": ""},
    )
    # Failures are logged by django.request with the request attached: exercise them too.
    client.post("/ask/return", {"reference": "falcon ribbon"})  # 400
    client.post("/ask/question", {"message": "x", "form_token": "bad", "leave_blank": ""})
    client.post(  # honeypot
        "/ask/question", {"message": "x", "form_token": form_token(client), "leave_blank": "y"}
    )
    client.get("/ask/no-such-page")  # 404
    client.put("/ask/question")  # 405
    client.get("/ask")  # redirect to /ask/
    return reference


def test_no_address_or_user_agent_reaches_the_database_or_logs(
    public_client, captured_logs, make_user
):
    _full_journey(public_client, make_user)
    assert any(r.name == "django.request" for r in captured_logs.records), "failures were logged"
    logs = captured_logs.text()
    database = _database_text()
    for probe in PROBES:
        assert probe not in logs, f"{probe!r} reached the logs"
        assert probe not in database, f"{probe!r} reached the database"


def test_the_search_would_find_a_leak(public_client, captured_logs):
    """Guard against a test that cannot fail: the same search sees an address that is logged."""
    logging.getLogger("comeforward.test").warning("client %s", PROBE_IP)
    assert PROBE_IP in captured_logs.text()


def test_dumpdata_holds_no_probe(public_client, make_user, capsys):
    _full_journey(public_client, make_user)
    call_command("dumpdata", "--all", "--format", "json")
    dump = capsys.readouterr().out
    assert '"model": "enquiries.enquiry"' in dump
    for probe in PROBES:
        assert probe not in dump


def test_server_error_report_holds_no_address(captured_logs, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(services, "enquiry_open", explode)
    client = Client(
        REMOTE_ADDR=PROBE_IP,
        HTTP_USER_AGENT=PROBE_UA,
        HTTP_X_FORWARDED_FOR=PROBE_XFF,
        raise_request_exception=False,
    )
    response = client.post(
        "/ask/question", {"message": "Q", "form_token": form_token(client), "leave_blank": ""}
    )
    assert response.status_code == 500
    errors = [r for r in captured_logs.records if r.levelno >= logging.ERROR]
    assert errors and errors[0].exc_info, "the failure was reported"
    text = captured_logs.text()
    assert "simulated failure" in text
    for probe in PROBES:
        assert probe not in text


def test_axes_records_nothing_for_public_pages(public_client, make_user):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    _full_journey(public_client, make_user)
    assert AccessAttempt.objects.count() == 0
    assert AccessLog.objects.count() == 0
    assert AccessFailureLog.objects.count() == 0


def test_no_session_is_created_for_public_pages(public_client, make_user):
    from django.contrib.sessions.models import Session

    _full_journey(public_client, make_user)
    assert Session.objects.count() == 0
    assert public_client.cookies == {}


def test_scrub_removes_every_identifying_header():
    request = RequestFactory().get(
        "/ask/",
        REMOTE_ADDR=PROBE_IP,
        HTTP_USER_AGENT=PROBE_UA,
        HTTP_X_FORWARDED_FOR=PROBE_XFF,
        HTTP_X_REAL_IP=PROBE_IP,
        HTTP_FORWARDED=f"for={PROBE_IP}",
        HTTP_X_FORWARDED_HOST="proxy.example",
        HTTP_REFERER="https://search.example/?q=x",
        HTTP_ACCEPT="text/html",
    )
    assert request.headers["User-Agent"] == PROBE_UA  # cached headers are rebuilt after scrub
    privacy.scrub_request(request)
    assert request.META.get("HTTP_ACCEPT") == "text/html"
    text = repr(request.META) + repr(dict(request.headers))
    for probe in (*PROBES, "search.example", "proxy.example"):
        assert probe not in text


def test_middleware_scrubs_only_public_paths():
    seen = {}

    def view(request):
        seen[request.path] = dict(request.META)
        from django.http import HttpResponse

        return HttpResponse("ok")

    middleware = privacy.PublicEnquiryPrivacyMiddleware(view)
    factory = RequestFactory(REMOTE_ADDR=PROBE_IP, HTTP_USER_AGENT=PROBE_UA)
    public = middleware(factory.get("/ask/question"))
    middleware(factory.get("/cases/"))
    assert "REMOTE_ADDR" not in seen["/ask/question"]
    assert "HTTP_USER_AGENT" not in seen["/ask/question"]
    assert public["Referrer-Policy"] == "no-referrer"
    assert seen["/cases/"]["REMOTE_ADDR"] == PROBE_IP


def test_models_have_no_column_for_network_identity():
    from comeforward.enquiries.models import Enquiry, EnquiryMessage, EnquiryTag

    columns = {
        f.name for model in (Enquiry, EnquiryMessage, EnquiryTag) for f in model._meta.get_fields()
    }
    for banned in ("ip", "ip_address", "user_agent", "remote_addr", "created_at", "reference"):
        assert banned not in columns
    assert sys is not None


def test_privacy_middleware_runs_before_every_other_middleware(settings):
    assert settings.MIDDLEWARE[0] == "comeforward.enquiries.privacy.PublicEnquiryPrivacyMiddleware"
