"""Reads about exhibits, always from a case the user may see (cases.selectors)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from comeforward.cases.selectors import case_get_for_user

from .models import CustodyEvent, Examination, Exhibit


def exhibits_for_case(case) -> list[Exhibit]:
    """The case's exhibits, each with ``latest_examination`` (or ``None``)."""
    exhibits = list(
        Exhibit.objects.filter(case=case)
        .prefetch_related(
            Prefetch("examinations", queryset=Examination.objects.order_by("-imported_at", "-pk"))
        )
        .order_by("received_at", "pk")
    )
    for exhibit in exhibits:
        examinations = list(exhibit.examinations.all())
        exhibit.latest_examination = examinations[0] if examinations else None
    return exhibits


def exhibit_get_for_user(user, *, case_id: int, exhibit_id: int) -> Exhibit:
    case = case_get_for_user(user, case_id=case_id)
    exhibit = Exhibit.objects.filter(case=case, pk=exhibit_id).select_related("case").first()
    if exhibit is None:
        raise Http404("No such exhibit on this case")
    return exhibit


def custody_log(exhibit: Exhibit) -> list[CustodyEvent]:
    return list(exhibit.custody_events.select_related("actor").order_by("at", "pk"))


def examinations_of(exhibit: Exhibit) -> list[Examination]:
    return list(exhibit.examinations.select_related("imported_by").order_by("-imported_at", "-pk"))


def exhibits_facts(case) -> dict[str, Any]:
    """Facts for the workflow guards: exhibits received, and those with no examination yet."""
    counts = Exhibit.objects.filter(case=case).aggregate(
        received=Count("pk", distinct=True),
        untriaged=Count("pk", filter=Q(examinations__isnull=True), distinct=True),
    )
    return {"exhibits_received": counts["received"], "exhibits_untriaged": counts["untriaged"]}


def case_holdings(case) -> dict[str, bool]:
    """What the permission rule needs to know of the case (``permissions.exhibit_actions``):
    an exhibit still held, an imported examination, a stored new-material export."""
    from .models import NewMaterialExport

    return {
        "held_exhibit": Exhibit.objects.filter(case=case, disposal="").exists(),
        "examination": Examination.objects.filter(exhibit__case=case).exists(),
        "new_material": NewMaterialExport.objects.filter(examination__exhibit__case=case).exists(),
    }


def triage_jobs_of(exhibit: Exhibit) -> list:
    return list(exhibit.triage_jobs.select_related("requested_by").all()[:20])


def examinations_with_exports(exhibit: Exhibit) -> list[Examination]:
    """``examinations_of``, each with ``has_new_material_export`` (without loading it)."""
    from django.db.models import Exists, OuterRef

    from .models import NewMaterialExport

    stored = NewMaterialExport.objects.filter(examination=OuterRef("pk"))
    return list(
        exhibit.examinations.select_related("imported_by")
        .annotate(has_new_material_export=Exists(stored))
        .order_by("-imported_at", "-pk")
    )


def new_material_export_get_for_user(user, *, case_id: int, exhibit_id: int, examination_id: int):
    """The stored new-material export of an examination of a case the user may see."""
    from .models import NewMaterialExport

    exhibit = exhibit_get_for_user(user, case_id=case_id, exhibit_id=exhibit_id)
    export = (
        NewMaterialExport.objects.filter(
            examination__exhibit=exhibit, examination_id=examination_id
        )
        .select_related("examination__exhibit__case")
        .first()
    )
    if export is None:
        raise Http404("No new-material export for this examination")
    return export


def case_ids_for_exhibit_reference(user, reference: str, *, limit: int = 50) -> list[int]:
    """Ids of the cases the user may see that hold an exhibit with this reference or this
    device serial number, in any letter case (issue 20.7; the cases search calls it;
    references are stored upper-case, ``exhibit_record``; serial numbers as typed, matched
    through the ``exhibit_serial_upper`` index). Bounded."""
    from django.db.models import Q
    from django.db.models.functions import Upper

    from comeforward.cases.selectors import cases_visible_to

    reference = " ".join(reference.split()).upper()
    if not reference:
        return []
    matches = Q(reference=reference) | Q(serial_upper=reference)
    return list(
        Exhibit.objects.annotate(serial_upper=Upper("serial_number"))
        .filter(matches, case__in=cases_visible_to(user).values("pk"))
        .order_by("case_id")
        .values_list("case_id", flat=True)
        .distinct()[:limit]
    )


def triage_signing_keys_for_user(user):
    """Registered triage signing keys the user may see: their force's and the installation's
    worker key (issue 11.4)."""
    from .models import TriageSigningKey

    return (
        TriageSigningKey.objects.filter(
            Q(organisation_id=user.organisation_id) | Q(organisation__isnull=True)
        )
        .select_related("examiner", "registered_by", "revoked_by")
        .order_by("revoked_at", "-registered_at", "-pk")
    )


def triage_signing_key_get_for_user(user, *, key_id: int):
    key = triage_signing_keys_for_user(user).filter(pk=key_id).first()
    if key is None:
        raise Http404("No such key")
    return key


def forensic_examiners_of(user) -> list:
    """The forensic examiners of the user's force (whose workstation a key may be)."""
    from django.contrib.auth import get_user_model

    from comeforward.roles import Role

    return list(
        get_user_model()
        .objects.filter(
            organisation_id=user.organisation_id, role=Role.FORENSIC_EXAMINER, is_active=True
        )
        .order_by("full_name", "pk")
    )


def examination_get_for_user(user, *, case_id: int, exhibit_id: int, examination_id: int):
    """An examination of an exhibit of a case the user may see, else 404."""
    from django.http import Http404

    from .models import Examination

    exhibit = exhibit_get_for_user(user, case_id=case_id, exhibit_id=exhibit_id)
    examination = (
        Examination.objects.filter(exhibit=exhibit, pk=examination_id)
        .select_related("exhibit__case")
        .first()
    )
    if examination is None:
        raise Http404("No such examination")
    return examination
