"""No service-wide cap one client can use up: proof of work that scales with load (issue 11.6).

Before: 120 new enquiries an hour (or 120 reference look-ups a minute) for the whole service,
counted per process — one client sending 120 questions in 17 seconds locked everyone out for
an hour. Now each question and look-up past a free allowance carries a proof of work whose
difficulty grows with recent use; nothing about the client is kept.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from comeforward.enquiries import abuse
from comeforward.enquiries.errors import ProofRequired
from comeforward.enquiries.models import Enquiry
from comeforward.enquiries.notice import NOTICE_VERSION

from .conftest import ask, form_token

pytestmark = pytest.mark.django_db
SCRIPT = (
    Path(__file__).resolve().parents[2]
    / "src/comeforward/enquiries/static/enquiries/proof-of-work.js"
)
REFERENCE = "falcon ribbon spoon pond visit stanza tailor"


@pytest.fixture
def busy_soon(settings):
    """Two free questions and two free look-ups per window, then 8 bits, +2 per doubling."""
    settings.ENQUIRY_PROOF_OF_WORK = {
        "free": {"question": 2, "lookup": 2},
        "base_bits": 8,
        "bits_per_doubling": 2,
        "max_bits": 12,
        "slack_bits": 2,
    }


def _fields(html: str) -> dict:
    form = {}
    for name in ("form_token", "challenge"):
        found = re.search(rf'name="{name}" value="([^"]*)"', html)
        if found:
            form[name] = found.group(1)
    form["bits"] = int(re.search(r'data-proof-bits="(\d+)"', html).group(1))
    form["nonce"] = re.search(r'data-proof-nonce="([^"]*)"', html).group(1)
    return form


# --- the rule -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("load", "bits"),
    [(0, 0), (29.9, 0), (30, 12), (59, 12), (60, 14), (120, 16), (240, 18), (480, 20), (1e9, 22)],
)
def test_difficulty_grows_with_each_doubling_of_the_load(load, bits):
    assert abuse.work_bits_for_load(load, free=30) == bits


def test_a_proof_is_checked_with_one_hash():
    nonce = "n0nce"
    proof = abuse.work_solve(nonce, 10)
    digest = hashlib.sha256(f"{nonce}:{proof}".encode()).digest()
    assert int.from_bytes(digest, "big") >> 246 == 0
    assert abuse.work_solves(nonce, proof, 10)
    for junk in ("", "-1", "1e5", "x" * 5, "9" * 21):
        assert not abuse.work_solves(nonce, junk, 10)
    assert abuse.work_solves(nonce, "", 0)  # no difficulty, no proof needed


def test_the_load_is_a_sliding_window_in_the_cache():
    now = 6000.0  # the start of a 600-second window
    for _ in range(10):
        abuse.work_load_add("question", now=now - 1)  # the previous window
    assert abuse.work_load("question", now=now) == 10
    assert abuse.work_load("question", now=now + 300) == 5  # half of it still overlaps
    abuse.work_load_add("question", now=now + 300)
    assert abuse.work_load("question", now=now + 300) == 6
    assert abuse.work_load("question", now=now + 1200) == 0


# --- questions ------------------------------------------------------------------------------


def test_at_low_load_no_script_and_no_proof_are_needed(public_client):
    html = public_client.get("/ask/question").content.decode()
    assert 'data-proof-bits="0"' in html
    assert "proof-of-work.js" not in html
    assert re.findall(r"<script[^>]*\bsrc=", html) == []
    ask(public_client)  # no proof sent


def test_when_busy_the_page_asks_for_a_proof_and_keeps_the_message(public_client, busy_soon):
    ask(public_client)
    ask(public_client)
    html = public_client.get("/ask/question").content.decode()
    fields = _fields(html)
    assert fields["bits"] == 8
    assert re.search(r'<script src="/static/enquiries/proof-of-work.js" nonce="[^"]+" defer>', html)
    refused = public_client.post(
        "/ask/question",
        {"message": "My own question", "form_token": fields["form_token"], "leave_blank": ""},
    )
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "The service is busy" in page
    assert "My own question</textarea>" in page  # nothing is lost
    assert Enquiry.objects.count() == 2
    again = _fields(page)
    sent = public_client.post(
        "/ask/question",
        {
            "message": "My own question",
            "form_token": again["form_token"],
            "proof": abuse.work_solve(again["nonce"], again["bits"]),
            "leave_blank": "",
        },
    )
    assert sent.status_code == 200
    assert Enquiry.objects.count() == 3


def test_a_wrong_proof_is_refused(public_client, busy_soon):
    ask(public_client)
    ask(public_client)
    fields = _fields(public_client.get("/ask/question").content.decode())
    proof = 0
    while abuse.work_solves(fields["nonce"], str(proof), fields["bits"]):
        proof += 1
    response = public_client.post(
        "/ask/question",
        {
            "message": "Q",
            "form_token": fields["form_token"],
            "proof": str(proof),
            "leave_blank": "",
        },
    )
    assert response.status_code == 429
    assert Enquiry.objects.count() == 2


def test_forms_stockpiled_while_quiet_do_not_skip_the_proof(public_client, busy_soon):
    """A flooder cannot collect easy forms in a quiet moment and spend them in a flood: a
    form served more than ``slack_bits`` below today's difficulty needs a new proof."""
    easy = [form_token(public_client) for _ in range(3)]
    for _ in range(8):  # the load rises to 8 = 2 doublings past the free 2 → 12 bits
        abuse.work_load_add("question")
    assert abuse.work_bits("question") == 12
    response = public_client.post(
        "/ask/question", {"message": "Q", "form_token": easy[0], "leave_blank": ""}
    )
    assert response.status_code == 429
    token = abuse.form_token_read(
        abuse.form_token_issue(notice_version=NOTICE_VERSION, now=time.time() - 60, bits=10)
    )
    abuse.work_check(
        "question", nonce=token.nonce, bits=10, proof=abuse.work_solve(token.nonce, 10)
    )
    with pytest.raises(ProofRequired) as error:
        abuse.work_check("question", nonce=token.nonce, bits=9, proof="")
    assert error.value.code == "ENQUIRY_PROOF_REQUIRED"


def test_junk_without_a_proof_does_not_raise_the_load(public_client, busy_soon):
    ask(public_client)
    ask(public_client)
    before = abuse.work_load("question")
    fields = _fields(public_client.get("/ask/question").content.decode())
    for _ in range(5):
        public_client.post(
            "/ask/question",
            {"message": "junk", "form_token": fields["form_token"], "leave_blank": ""},
        )
    assert abuse.work_load("question") == before


# --- reference look-ups ---------------------------------------------------------------------


def test_lookups_need_a_proof_when_busy_and_a_solved_challenge_is_used_once(
    public_client, busy_soon
):
    for _ in range(2):
        assert public_client.post("/ask/return", {"reference": REFERENCE}).status_code == 400
    page = public_client.get("/ask/return").content.decode()
    fields = _fields(page)
    assert fields["bits"] == 8 and "proof-of-work.js" in page
    refused = public_client.post(
        "/ask/return", {"reference": REFERENCE, "challenge": fields["challenge"]}
    )
    assert refused.status_code == 429
    assert "The service is busy" in refused.content.decode()
    proof = abuse.work_solve(fields["nonce"], fields["bits"])
    solved = {"reference": REFERENCE, "challenge": fields["challenge"], "proof": proof}
    found = public_client.post("/ask/return", solved)
    assert found.status_code == 400  # past the check: the reference does not exist
    assert "We could not find an enquiry" in found.content.decode()
    replayed = public_client.post("/ask/return", solved)
    assert replayed.status_code == 429
    assert "already been used" in replayed.content.decode()


def test_a_challenge_for_questions_is_not_accepted_for_lookups(busy_soon):
    token = abuse.challenge_issue("question")
    assert abuse.challenge_read(token, "lookup") is None
    assert abuse.challenge_read("forged", "lookup") is None


def test_a_real_enquirer_returns_through_a_busy_channel(public_client, busy_soon):
    reference = ask(public_client)
    for _ in range(4):
        public_client.post("/ask/return", {"reference": REFERENCE})
    fields = _fields(public_client.get("/ask/return").content.decode())
    response = public_client.post(
        "/ask/return",
        {
            "reference": reference,
            "challenge": fields["challenge"],
            "proof": abuse.work_solve(fields["nonce"], fields["bits"]),
        },
    )
    assert response.status_code == 200
    assert "Your enquiry" in response.content.decode()


# --- the page's script ------------------------------------------------------------------------


NODE_HARNESS = """
const fs = require("fs");
const window = {setTimeout: (f) => f()};
const document = {querySelectorAll: () => []};
new Function("window", "document", fs.readFileSync(process.argv[1], "utf8"))(window, document);
const pow = window.comeforwardProofOfWork;
const out = {heads: {}, proof: null};
for (const text of JSON.parse(process.argv[2])) out.heads[text] = pow.sha256head(text);
pow.solve(process.argv[3], parseInt(process.argv[4], 10), (p) => { out.proof = p; });
console.log(JSON.stringify(out));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_the_script_computes_sha256_and_finds_proofs_the_server_accepts():
    texts = ["", "abc", "n0nce:12345", "x" * 55, "y" * 56, "z" * 64, "w" * 119, "v" * 200]
    nonce = "Zq8_s-3kPq1wLmN0aBcDeF"
    result = subprocess.run(
        ["node", "-e", NODE_HARNESS, str(SCRIPT), json.dumps(texts), nonce, "12"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    out = json.loads(result.stdout)
    for text in texts:
        digest = hashlib.sha256(text.encode()).digest()
        expected = [int.from_bytes(digest[:4], "big"), int.from_bytes(digest[4:8], "big")]
        assert out["heads"][text] == expected, text
    assert abuse.work_solves(nonce, out["proof"], 12)
