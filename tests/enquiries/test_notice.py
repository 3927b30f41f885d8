"""The notice version identifies the exact text shown (users-and-security §3.2 req. 1)."""

from comeforward.enquiries import notice


def test_notice_text_is_pinned_to_its_version():
    assert notice.notice_text_sha256() == notice.NOTICE_SHA256, (
        "The notice text changed: bump NOTICE_VERSION and update NOTICE_SHA256"
    )


def test_notice_is_flagged_for_legal_signoff():
    assert notice.NEEDS_LEGAL_SIGNOFF is True
    assert notice.NOTICE_VERSION == "2026-01"
