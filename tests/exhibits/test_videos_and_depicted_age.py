"""Unmatched videos are ungraded material (issue 12.2) and the examination records the
youngest depicted age (issue 12.7): counted at import by type or name, never decoded; the age
from the examiner's findings or a grading file, which only ever lowers it."""

from __future__ import annotations

import hashlib
import io
import json

import pytest

from comeforward.audit.models import AuditEvent
from comeforward.errors import DomainError
from comeforward.exhibits.extension import examinations_policy_facts as exhibits_policy_facts
from comeforward.exhibits.models import UngradedItem
from comeforward.exhibits.services import (
    examination_findings_record,
    examination_grading_import,
    examination_import,
)
from comeforward.roles import Role

from .triage_files import STANDARD, record, sign, triage_output

pytestmark = pytest.mark.django_db


def sha(path: str) -> str:
    return hashlib.sha256(path.encode()).hexdigest()


def video(path: str, kind: str | None, **kwargs) -> dict:
    return {**record(path, image=False, **kwargs), "type": kind}


VIDEOS = [
    video("Movies/a.mp4", "video/mp4"),  # by magic
    video("Movies/b.bin", "video/x-matroska"),  # by magic, whatever the name
    video("Movies/c.AVI", None),  # no type (unread head): by extension
    video("Movies/d.mkv", "text/plain"),  # the bytes say it is not a video: not counted
    video("Movies/e.mp4", "video/mp4", known_good=True),  # known good: not ungraded
    video("Movies/f.mp4", "video/mp4", category="B"),  # matched: graded already
]


def _import(exhibit, examiner, records, **overrides):
    report, listing = triage_output(records, **overrides)
    return examination_import(
        actor=examiner,
        exhibit=exhibit,
        report_bytes=report,
        files_stream=io.BytesIO(listing),
        signature_bytes=sign(report),
    )


def test_import_counts_unmatched_videos_as_ungraded(world):
    case, exhibit, users = world
    exam = _import(exhibit, users[Role.FORENSIC_EXAMINER], [*STANDARD, *VIDEOS])
    assert exam.unmatched_videos == 3
    assert exam.ungraded == 4 + 3  # 1 uncategorised + 3 unmatched images + 3 videos
    videos = UngradedItem.objects.filter(examination=exam, kind="unmatched_video")
    assert sorted(videos.values_list("sha256", flat=True)) == sorted(
        sha(p) for p in ("Movies/a.mp4", "Movies/b.bin", "Movies/c.AVI")
    )
    audit = AuditEvent.objects.filter(scope="case.exhibit.examination").latest("pk")
    assert audit.details["unmatched_videos"] == 3


def test_only_videos_unmatched_still_blocks_e3_e7_until_graded(world):
    case, exhibit, users = world
    examiner = users[Role.FORENSIC_EXAMINER]
    exam = _import(exhibit, examiner, [video("v.mp4", "video/mp4")])
    assert (exam.category_a, exam.unmatched_images, exam.ungraded) == (0, 0, 1)
    facts = exhibits_policy_facts(case)
    assert facts["ungraded_item_count"] == 1
    assert facts["ungraded_sample_review_certified"] is False
    examination_grading_import(
        actor=examiner, examination=exam, content=f"sha256,category\n{sha('v.mp4')},none\n".encode()
    )
    assert exhibits_policy_facts(case)["ungraded_item_count"] == 0


def test_a_report_without_a_video_count_uses_the_listing(world):
    _, exhibit, users = world
    report, listing = triage_output([*STANDARD, *VIDEOS])
    data = json.loads(report)
    del data["unmatched_videos"]
    old = json.dumps(data).encode()
    exam = examination_import(
        actor=users[Role.FORENSIC_EXAMINER],
        exhibit=exhibit,
        report_bytes=old,
        files_stream=io.BytesIO(listing),
        signature_bytes=sign(old),
    )
    assert exam.unmatched_videos == 3


def test_a_report_whose_video_count_disagrees_is_refused(world):
    _, exhibit, users = world
    with pytest.raises(DomainError) as caught:
        _import(exhibit, users[Role.FORENSIC_EXAMINER], [*STANDARD, *VIDEOS], unmatched_videos=1)
    assert caught.value.code == "REPORT_COUNTS_MISMATCH"
    assert caught.value.details["differences"]["unmatched_videos"] == {"report": 1, "listing": 3}


def test_examiner_records_the_youngest_depicted_age(world):
    case, exhibit, users = world
    examiner = users[Role.FORENSIC_EXAMINER]
    exam = _import(exhibit, examiner, STANDARD)
    assert exam.youngest_depicted_age is None  # not known until recorded
    examination_findings_record(
        actor=examiner,
        examination=exam,
        production=False,
        distribution=False,
        contact_offending=False,
        youngest_depicted_age=13,
    )
    exam.refresh_from_db()
    assert (exam.youngest_depicted_age, exam.youngest_depicted_age_by) == (13, examiner)
    audit = AuditEvent.objects.filter(scope="case.exhibit.findings").latest("pk")
    assert audit.details["youngest_depicted_age"] == 13
    with pytest.raises(DomainError) as caught:
        examination_findings_record(
            actor=examiner,
            examination=exam,
            production=False,
            distribution=False,
            contact_offending=False,
            youngest_depicted_age=18,
        )
    assert caught.value.code == "DEPICTED_AGE_INVALID"
    exam.refresh_from_db()
    assert exam.youngest_depicted_age == 13


def test_a_grading_file_age_only_lowers_the_youngest_depicted_age(world):
    _, exhibit, users = world
    examiner = users[Role.FORENSIC_EXAMINER]
    exam = _import(exhibit, examiner, STANDARD)
    content = (
        "sha256,category,age\n"
        f"{sha('DCIM/x1.jpg')},C,15\n"
        f"{sha('DCIM/x2.jpg')},not indecent,4\n"  # not indecent: its age does not count
        f"{sha('DCIM/x3.jpg')},B,\n"
    )
    examination_grading_import(actor=examiner, examination=exam, content=content.encode())
    exam.refresh_from_db()
    assert exam.youngest_depicted_age == 15
    ages = dict(UngradedItem.objects.filter(examination=exam).values_list("sha256", "depicted_age"))
    assert ages[sha("DCIM/x1.jpg")] == 15
    later = f"sha256,category,age\n{sha('DCIM/u.jpg')},A,16\n"
    examination_grading_import(actor=examiner, examination=exam, content=later.encode())
    exam.refresh_from_db()
    assert exam.youngest_depicted_age == 15  # never raised
    with pytest.raises(DomainError) as caught:
        examination_grading_import(
            actor=examiner,
            examination=exam,
            content=f"sha256,category,age\n{sha('DCIM/u.jpg')},A,twelve\n".encode(),
        )
    assert (caught.value.code, caught.value.details["line"]) == ("GRADING_AGE_INVALID", 2)


def test_findings_page_records_the_age(world, case_client):
    case, exhibit, users = world
    examiner = users[Role.FORENSIC_EXAMINER]
    exam = _import(exhibit, examiner, STANDARD)
    client = case_client(examiner, case)
    url = f"/cases/{case.pk}/exhibits/{exhibit.pk}/examinations/{exam.pk}/findings"
    response = client.post(url, {"youngest_depicted_age": "21"})
    assert response.status_code == 200
    assert "Enter an age under 18" in response.content.decode()
    response = client.post(url, {"youngest_depicted_age": "12", "notes": ""})
    assert response.status_code == 302
    exam.refresh_from_db()
    assert exam.youngest_depicted_age == 12
    page = client.get(f"/cases/{case.pk}/exhibits/{exhibit.pk}/").content.decode()
    assert 'data-testid="youngest-depicted-age">12 years' in page
    assert 'data-testid="count-unmatched-videos">0' in page
