"""No re-keying (issue 12.7, 20.3): the caution form takes offences (law engine values, shown
as words), the last date of possession and the youngest depicted age from the interview and
the forensic examinations; the register record made from the caution shows the offence's
label, never its code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from comeforward.decisions import services
from comeforward.decisions.prefill import caution_prefill, offences_admitted
from comeforward.exhibits.models import Examination, Exhibit
from comeforward.roles import Role

from .helpers import S23_MET
from .test_pages import _cautioned, _isolated, _with_reason  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _exhibit(case, ref: str, received: dt.datetime, *, age: int | None, by) -> Exhibit:
    exhibit = Exhibit.objects.create(
        case=case,
        reference=ref,
        kind="phone",
        description="Phone",
        storage_location="Store",
        received_at=received,
        recorded_by=by,
    )
    zero = dict.fromkeys(
        (
            "category_a",
            "category_b",
            "category_c",
            "uncategorised",
            "known_good",
            "unmatched_images",
            "total_files",
            "total_bytes",
            "total_images",
            "total_errors",
        ),
        0,
    )
    Examination.objects.create(
        exhibit=exhibit,
        imported_by=by,
        report_exhibit=ref,
        tool_name="comeforward-triage",
        tool_version="1",
        report_sha256="a" * 64,
        files_sha256="b" * 64,
        youngest_depicted_age=age,
        **zero,
    )
    return exhibit


def test_prefill_takes_the_youngest_age_of_every_examination_and_the_last_day_of_possession(
    make_user, police_force
):
    case, a = _cautioned(make_user, police_force)
    examiner = make_user(Role.FORENSIC_EXAMINER)
    early = timezone.make_aware(dt.datetime(2025, 11, 3, 10, 0))
    late = timezone.make_aware(dt.datetime(2025, 11, 20, 10, 0))
    _exhibit(case, "JS/1", early, age=15, by=examiner)
    _exhibit(case, "JS/2", late, age=13, by=examiner)
    _exhibit(case, "JS/3", early, age=None, by=examiner)  # not known: ignored, not 0
    prefill = caution_prefill(case)
    assert prefill["initial"]["youngest_depicted_age"] == 13
    assert prefill["initial"]["offence_date"] == dt.date(2025, 11, 20)
    assert prefill["initial"]["offences"] == ["PCA1978_S1"]
    assert "forensic examination" in prefill["sources"]["youngest_depicted_age"]


def test_no_age_anywhere_leaves_the_field_empty(make_user, police_force):
    case, _ = _cautioned(make_user, police_force)
    examiner = make_user(Role.FORENSIC_EXAMINER)
    _exhibit(case, "JS/1", timezone.now(), age=None, by=examiner)
    assert "youngest_depicted_age" not in caution_prefill(case)["initial"]


def test_interview_offences_are_law_values_and_unknown_codes_are_dropped(make_user, police_force):
    case, _ = _cautioned(make_user, police_force)
    interview = case.interviews.get()
    interview.offences_admitted = ["CJA1988_S160", "pca_1978_s1", "PCA1978_S1"]
    interview.save()
    assert offences_admitted(case) == ["CJA1988_S160", "PCA1978_S1"]


def test_caution_page_prefills_the_age_and_the_register_shows_labels(
    make_user, sign_in, police_force
):
    case, a = _cautioned(make_user, police_force)
    examiner = make_user(Role.FORENSIC_EXAMINER)
    _exhibit(case, "JS/1", timezone.make_aware(dt.datetime(2025, 6, 1, 9)), age=12, by=examiner)
    client = _with_reason(sign_in(a), case)
    page = client.get(f"/cases/{case.pk}/decisions/caution").content.decode()
    assert 'name="youngest_depicted_age" type="text" value="12"' in page or (
        'value="12"' in page and "youngest_depicted_age" in page
    )
    assert "Making or taking an indecent photograph of a child (PCA 1978 s.1)" in page
    services.caution_record(
        actor=a,
        case=case,
        kind="simple_caution",
        offences=["PCA1978_S1"],
        offence_date=dt.date(2025, 6, 1),
        youngest_depicted_age=12,
        caution_date=dt.date(2026, 3, 2),
        conditions=[],
        requirements=S23_MET,
    )
    record = case.register_record
    manager = make_user(Role.OFFENDER_MANAGER)
    from comeforward.cases.services import case_team_add

    case_team_add(actor=a, case=case, user=manager)
    detail = _with_reason(sign_in(manager), case).get(f"/register/{record.pk}/").content.decode()
    assert "Making or taking an indecent photograph of a child (PCA 1978 s.1)" in detail
    assert "PCA1978_S1" not in detail
