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
#: Re-pinned for issue 20.9: the English words are unchanged, each sentence is now marked for
#: translation ({{ _("…") }}); the Welsh words are the catalogue's (docs/welsh.md).
NOTICE_SHA256 = "8084b42488e65e4b7a4844a23e076d8d47120b6748ee5b4d19f957e944ef616d"
NEEDS_LEGAL_SIGNOFF = True
#: The Welsh notice is a different text: its version says so, so that an enquiry records
#: which words were seen (a draft translation awaiting review, docs/welsh.md).
WELSH_SUFFIX = "-cy"


def notice_version_for(language: str) -> str:
    return NOTICE_VERSION + (WELSH_SUFFIX if language == "cy" else "")


def notice_text_sha256() -> str:
    return hashlib.sha256(NOTICE_TEMPLATE.read_bytes()).hexdigest()
