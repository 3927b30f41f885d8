"""Videos (issue 12.2): recognised from their first bytes (or, with no type, their name) and
counted as unmatched videos when nothing matches them — never decoded."""

from __future__ import annotations

import pytest
from comeforward_triage import filetype
from comeforward_triage.match import count


def rec(path, kind, *, image=False, match=None, known_good=False):
    return {
        "path": path,
        "type": kind,
        "is_image": image,
        "match": match,
        "known_good": known_good,
        "sha256": "0" * 64,
        "size": 1,
        "warnings": [],
    }


RECORDS = [
    rec("a.jpg", "image/jpeg", image=True),  # an unmatched image, not a video
    rec("Movies/a.mp4", "video/mp4"),
    rec("Movies/b.bin", "video/x-matroska"),
    rec("Movies/c.AVI", None),  # no type: by name
    rec("Movies/d.mkv", "text/plain"),  # the bytes say otherwise: not a video
    rec("Movies/e.mp4", "video/mp4", known_good=True),
    rec("Movies/f.mp4", "video/mp4", match={"category": "B", "via": "sha256"}),
]


@pytest.mark.parametrize(
    ("head", "mime"),
    [
        (b"\x00\x00\x00\x18ftypisom" + b"\x00" * 20, "video/mp4"),
        (b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 20, "video/quicktime"),
        (b"\x00\x00\x00\x14ftyp3gp5" + b"\x00" * 20, "video/3gpp"),
        (b"RIFF\x00\x00\x00\x00AVI LIST", "video/x-msvideo"),
        (b"\x1a\x45\xdf\xa3\x01\x00\x00\x00", "video/x-matroska"),
        (b"FLV\x01\x05\x00\x00\x00\x09", "video/x-flv"),
        (bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c") + b"\x00" * 8, "video/x-ms-asf"),
        (b"\x00\x00\x01\xba\x44\x00\x04\x00", "video/mpeg"),
        (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 20, "image/heif"),
        (b"FLAT text file", None),
        (b"0123456789", None),
    ],
)
def test_video_signatures(head, mime):
    assert filetype.detect(head) == mime
    assert filetype.is_video(filetype.detect(head)) == (mime or "").startswith("video/")


def test_engine_counts_unmatched_videos():
    counts = count(RECORDS)
    assert counts["unmatched_videos"] == 3
    assert counts["unmatched_images"] == 1  # the image is unchanged
