"""Request ids and JSON logs without personal data (web/observability.py)."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from comeforward.web.observability import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


class Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.addFilter(RequestIdFilter())
        self.lines: list[dict] = []

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def access_lines():
    logger = logging.getLogger("comeforward.access")
    handler = Capture()
    old = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(old)


def test_request_id_is_made_returned_and_logged(access_lines):
    response = Client().get("/healthz")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    assert access_lines[-1]["request_id"] == request_id


def test_a_plausible_incoming_request_id_is_kept_and_a_hostile_one_replaced(access_lines):
    assert Client().get("/healthz", HTTP_X_REQUEST_ID="proxy-abc-12345")["X-Request-ID"] == (
        "proxy-abc-12345"
    )
    hostile = Client().get("/healthz", HTTP_X_REQUEST_ID='x"\n{"level":"CRITICAL"}')
    assert hostile["X-Request-ID"] != 'x"\n{"level":"CRITICAL"}'
    assert len(hostile["X-Request-ID"]) == 32


def test_access_line_has_the_pattern_not_the_path_query_or_address(
    access_lines, make_user, sign_in
):
    client = sign_in(make_user())
    client.get("/cases/987654/?name=Alex+Example", REMOTE_ADDR="198.51.100.23")
    line = access_lines[-1]
    assert line["route"] == "/cases/<int:case_id>/"
    assert line["method"] == "GET"
    assert set(line) == {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "method",
        "route",
        "view",
        "status",
        "duration_ms",
    }
    text = json.dumps(access_lines)
    for leak in ("987654", "Alex", "198.51.100.23", "name="):
        assert leak not in text


def test_a_server_error_log_drops_the_path():
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "%s: %s",
        ("Internal Server Error", "/cases/987654/"),
        None,
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Internal Server Error"
    assert "987654" not in json.dumps(line)


def test_extras_that_could_identify_someone_are_never_written():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", (), None)
    record.ip = "198.51.100.23"
    record.email = "a@b.example"
    record.job = "register_sweep"
    line = json.loads(JsonFormatter().format(record))
    assert line["job"] == "register_sweep"
    assert "ip" not in line and "email" not in line
