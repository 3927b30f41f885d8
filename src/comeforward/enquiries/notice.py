"""The confidentiality notice shown before the question form (users-and-security §3.2 req. 1).

The notice text lives in ``jinja2/enquiries/public/_notice.html``. Its version is recorded on
every enquiry. ``NOTICE_SHA256`` pins the text: a test fails if the text changes without the
version changing, so the version recorded always identifies the words the enquirer saw.

The safeguarding wording follows Stop It Now's "confidential unless identifying details are
given and a child is at risk". It is a legal statement about when anonymity ends and must be
signed off by the force's legal adviser before use (``NEEDS_LEGAL_SIGNOFF``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

NOTICE_VERSION = "2026-01"
NOTICE_TEMPLATE = Path(__file__).parent / "jinja2" / "enquiries" / "public" / "_notice.html"
NOTICE_SHA256 = "a1217931ded6e17baa1d7c939a8545c178d64db529bcc57780e2cb1dd862825f"
NEEDS_LEGAL_SIGNOFF = True


def notice_text_sha256() -> str:
    return hashlib.sha256(NOTICE_TEMPLATE.read_bytes()).hexdigest()
