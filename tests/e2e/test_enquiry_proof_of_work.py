"""The busy question page in a real browser: the page's own script solves the proof of work
and sends the form, under the page's real Content-Security-Policy (issue 11.6).

The page is rendered by Django (test client, busy settings) and served to Chromium through a
route, with its static script from the app; the POST the browser sends is captured and its
proof checked with the server's own function.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs

from django.core.cache import cache
from django.test import Client

from comeforward.enquiries import abuse

SCRIPT = (
    Path(__file__).resolve().parents[2]
    / "src/comeforward/enquiries/static/enquiries/proof-of-work.js"
)
ORIGIN = "http://comeforward.test"


def test_the_browser_solves_the_proof_and_sends_the_form(browser, settings):
    settings.ENQUIRY_PROOF_OF_WORK = {"free": {"question": 1, "lookup": 1}, "base_bits": 14}
    settings.ALLOWED_HOSTS = ["comeforward.test", "testserver"]
    cache.clear()  # load counted by earlier tests in this process would raise the difficulty
    abuse.work_load_add("question")
    response = Client().get("/ask/question", HTTP_HOST="comeforward.test")
    html = response.content.decode()
    bits = int(re.search(r'data-proof-bits="(\d+)"', html).group(1))
    nonce = re.search(r'data-proof-nonce="([^"]*)"', html).group(1)
    assert bits == 14 and "proof-of-work.js" in html
    posted: list[dict] = []

    def handle(route, request):
        if request.url.endswith("/static/enquiries/proof-of-work.js"):
            route.fulfill(body=SCRIPT.read_text(), content_type="text/javascript")
        elif request.method == "POST":
            posted.append(parse_qs(request.post_data or ""))
            route.fulfill(body="<p id=done>sent</p>", content_type="text/html")
        elif request.url.endswith("/ask/question"):
            route.fulfill(
                body=html,
                content_type="text/html",
                headers={"Content-Security-Policy": response["Content-Security-Policy"]},
            )
        else:
            route.fulfill(status=204, body="")

    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.route("**/*", handle)
    try:
        page.goto(f"{ORIGIN}/ask/question")
        page.get_by_label("Your question").fill("Can I still come forward?")
        page.get_by_role("button", name="Send question").click()
        page.wait_for_selector("#done", timeout=60_000)
    finally:
        context.close()
    assert [e for e in errors if "Refused" in e or "Content Security Policy" in e] == []
    (form,) = posted
    assert form["message"] == ["Can I still come forward?"]
    assert abuse.work_solves(nonce, form["proof"][0], bits)
