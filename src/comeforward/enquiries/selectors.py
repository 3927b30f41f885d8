"""Reads about enquiries. Staff reads start from what the user may see; public reads start
from a reference (or a signed thread token) and never list anything."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from comeforward.roles import Role

from . import abuse, public_crypto, reference, staff_crypto, thread_token
from .errors import EnquiryPrivateKeyUnavailable, FormTokenInvalid, ReferenceNotFound
from .models import Direction, Enquiry, EnquiryMessage, EnquiryStatus

#: Trained responders who work the queue (issue 7 §5).
RESPONDER_ROLES = frozenset({Role.INTAKE_OFFICER, Role.SUPERVISOR})
#: Who may see the aggregate statistics (no content, no designations).
STATISTICS_ROLES = frozenset({Role.INTAKE_OFFICER, Role.SUPERVISOR, Role.ANALYST})


# --- staff ----------------------------------------------------------------------------------


def enquiries_visible_to(user) -> QuerySet[Enquiry]:
    """The enquiries made to the responder's own force (need-to-know, issue 11.8): another
    force's enquiries, and any with no force recorded, are visible to nobody."""
    if not user.is_authenticated or not user.has_role(*RESPONDER_ROLES):
        return Enquiry.objects.none()
    if user.organisation_id is None:
        return Enquiry.objects.none()
    return Enquiry.objects.filter(organisation_id=user.organisation_id)


def enquiry_queue(user, *, tag: str = "", status: str = EnquiryStatus.OPEN) -> list[Enquiry]:
    """Oldest unanswered first, then the rest by last activity."""
    enquiries = enquiries_visible_to(user).filter(status=status).prefetch_related("tags")
    if tag:
        enquiries = enquiries.filter(tags__name=tag)
    return list(enquiries.order_by("-awaiting_reply", "last_activity_on", "id")[:200])


def enquiry_get_for_user(user, *, enquiry_id: int) -> Enquiry:
    enquiry = enquiries_visible_to(user).filter(pk=enquiry_id).first()
    if enquiry is None:
        raise Http404("No such enquiry, or you do not have access to it")
    return enquiry


def enquiry_get_by_designation(user, *, designation: str) -> Enquiry | None:
    return enquiries_visible_to(user).filter(designation=designation.strip().upper()).first()


@dataclass(frozen=True)
class ThreadEntry:
    direction: str
    text: str
    designation: str

    @property
    def from_enquirer(self) -> bool:
        return self.direction == Direction.FROM_ENQUIRER


def enquiry_thread_for_staff(enquiry: Enquiry) -> list[ThreadEntry]:
    """Every message of the enquiry and of those combined into it, oldest first, decrypted
    with the staff private key (raises ``EnquiryPrivateKeyUnavailable`` without it)."""
    messages = (
        EnquiryMessage.objects.filter(enquiry__in=[enquiry.pk, *combined_ids(enquiry)])
        .select_related("enquiry")
        .order_by("id")
    )
    return [
        ThreadEntry(
            direction=m.direction,
            text=staff_crypto.open_for_staff(m.sealed_for_staff),
            designation=m.enquiry.designation,
        )
        for m in messages
    ]


def enquiry_thread_or_why_not(enquiry: Enquiry) -> tuple[list[ThreadEntry], str]:
    """The thread for staff (:func:`enquiry_thread_for_staff`), or — when this installation
    cannot open it (no staff private key) — nothing and why, in words for the page."""
    try:
        return enquiry_thread_for_staff(enquiry), ""
    except EnquiryPrivateKeyUnavailable as error:
        return [], error.message


def combined_ids(enquiry: Enquiry) -> list[int]:
    return list(Enquiry.objects.filter(merged_into=enquiry).values_list("pk", flat=True))


def combined_into(enquiry: Enquiry) -> list[Enquiry]:
    return list(Enquiry.objects.filter(merged_into=enquiry).order_by("pk"))


def designation_taken(designation: str) -> bool:
    return Enquiry.objects.filter(designation=designation).exists()


def has_unanswered(enquiry: Enquiry) -> bool:
    last = enquiry.messages.order_by("-id").values_list("direction", flat=True).first()
    return last == Direction.FROM_ENQUIRER


def message_count(enquiry: Enquiry) -> int:
    return enquiry.messages.count()


def dormant_enquiries(*, cutoff: dt.date) -> list[Enquiry]:
    """Open enquiries whose last activity was before ``cutoff`` (combined ones go with them;
    converted ones belong to a case and follow its retention)."""
    return list(
        Enquiry.objects.filter(status=EnquiryStatus.OPEN, last_activity_on__lt=cutoff).order_by(
            "pk"
        )
    )


@dataclass(frozen=True)
class EnquiryStatistics:
    total: int
    open: int
    combined: int
    converted: int
    awaiting_reply: int
    conversion_rate: float | None  # converted / (open + converted); combined ones excluded
    days_to_conversion_median: float | None
    days_to_conversion_mean: float | None
    days_to_conversion_min: int | None
    days_to_conversion_max: int | None


def enquiry_statistics(user) -> EnquiryStatistics:
    """Counts and time to conversion from the enquiry table alone (users-and-security §3.2
    req. 10), for the user's own force. Only enquiries still held are counted: dormant ones
    are erased."""
    rows = Enquiry.objects.none()
    if user.is_authenticated and user.has_role(*STATISTICS_ROLES):
        rows = Enquiry.objects.filter(organisation_id=user.organisation_id)
    counts = {status: 0 for status in EnquiryStatus.values}
    awaiting = 0
    days: list[int] = []
    for status, waiting, opened, converted in rows.values_list(
        "status", "awaiting_reply", "opened_on", "converted_on"
    ):
        counts[status] += 1
        awaiting += bool(waiting and status == EnquiryStatus.OPEN)
        if status == EnquiryStatus.CONVERTED and converted is not None:
            days.append((converted - opened).days)
    denominator = counts[EnquiryStatus.OPEN] + counts[EnquiryStatus.CONVERTED]
    return EnquiryStatistics(
        total=sum(counts.values()),
        open=counts[EnquiryStatus.OPEN],
        combined=counts[EnquiryStatus.MERGED],
        converted=counts[EnquiryStatus.CONVERTED],
        awaiting_reply=awaiting,
        conversion_rate=counts[EnquiryStatus.CONVERTED] / denominator if denominator else None,
        days_to_conversion_median=float(statistics.median(days)) if days else None,
        days_to_conversion_mean=float(statistics.fmean(days)) if days else None,
        days_to_conversion_min=min(days) if days else None,
        days_to_conversion_max=max(days) if days else None,
    )


# --- public ---------------------------------------------------------------------------------


def enquiry_for_reference(
    text: str, *, count_lookup: bool = True, challenge: str = "", proof: str = ""
) -> tuple[Enquiry, str]:
    """Find the enquiry for a typed reference: normalise, look up by HMAC, verify with scrypt.

    A look-up from the public page (``count_lookup``) needs a proof of work for its
    ``challenge`` while look-ups are busy, and counts towards the load (issue 11.6): that
    bounds the scrypt work strangers can make us do without a cap anyone could exhaust.

    Raises ``ReferenceMalformed`` (not 7 words from the list), ``ReferenceNotFound`` or
    ``ProofRequired``. Returns the enquiry and the normalised reference.
    """
    normalised = reference.reference_normalise(text)
    if count_lookup:
        abuse.challenge_check(abuse.LOOKUP, challenge, proof)
        abuse.work_load_add(abuse.LOOKUP)
    pepper = public_crypto.pepper()
    enquiry = (
        Enquiry.objects.select_related("merged_into")
        .filter(lookup_key=reference.lookup_key(pepper, normalised))
        .first()
    )
    if enquiry is None:
        raise ReferenceNotFound("We could not find an enquiry with that reference.")
    reference.verifier_check(pepper, normalised, enquiry.reference_verifier)
    return enquiry, normalised


def enquiry_replies_for_holder(enquiry: Enquiry, normalised: str) -> list[str]:
    """The replies the reference holder can open (sealed to their reply key), oldest first."""
    private = public_crypto.reply_keypair(
        normalised, reference.ScryptParams.decode(enquiry.reply_kdf)
    )
    sealed = EnquiryMessage.objects.filter(
        enquiry=enquiry, direction=Direction.TO_ENQUIRER
    ).values_list("sealed_for_enquirer", flat=True)
    return [text for text in (public_crypto.open_reply(c, private) for c in sealed) if text]


@dataclass(frozen=True)
class HolderEntry:
    """One message of the conversation as the reference holder sees it."""

    from_me: bool
    text: str


def enquiry_thread_for_holder(enquiry: Enquiry, normalised: str) -> list[HolderEntry]:
    """The holder's own messages and the replies, oldest first (issue 20.6): every message
    sealed to their reply key. Messages sent before their own were sealed to it cannot be
    opened by anyone but staff, and are counted by ``enquiry_messages_sent`` only."""
    private = public_crypto.reply_keypair(
        normalised, reference.ScryptParams.decode(enquiry.reply_kdf)
    )
    rows = (
        EnquiryMessage.objects.filter(enquiry=enquiry)
        .exclude(sealed_for_enquirer="")
        .order_by("id")
        .values_list("direction", "sealed_for_enquirer")
    )
    entries = []
    for direction, sealed in rows:
        text = public_crypto.open_reply(sealed, private)
        if text:
            entries.append(HolderEntry(from_me=direction == Direction.FROM_ENQUIRER, text=text))
    return entries


def enquiry_messages_sent(enquiry: Enquiry) -> int:
    return enquiry.messages.filter(direction=Direction.FROM_ENQUIRER).count()


def enquiry_thread_token(enquiry: Enquiry) -> str:
    """The opaque token for the page of replies (``thread_token.py``: no database id)."""
    return thread_token.thread_token_issue(enquiry.pk)


def enquiry_for_thread_token(token: str) -> Enquiry:
    enquiry = (
        Enquiry.objects.select_related("merged_into")
        .filter(pk=thread_token.thread_token_read(token))
        .first()
    )
    if enquiry is None:
        raise FormTokenInvalid("This page has expired. Enter your reference again.")
    return enquiry


# --- the enquiry and the case made from it (issue 20.6) ------------------------------------


def enquiry_case_for_user(user, enquiry: Enquiry):
    """The case the enquiry was linked to when the person came forward, if the user may see
    that case (``None`` otherwise: the page then names the reference without a link)."""
    if enquiry.case_id is None:
        return None
    from comeforward.cases.selectors import cases_visible_to

    return cases_visible_to(user).filter(pk=enquiry.case_id).first()


@dataclass(frozen=True)
class CaseEnquiry:
    designation: str
    converted_on: dt.date | None
    enquiry_id: int | None  # set only when the user may open the enquiry


def enquiry_for_case(user, case) -> CaseEnquiry | None:
    """The anonymous enquiry a case was made from, for the case page. The person consented
    to the link when they came forward (``services.enquiry_convert``); it is shown to the
    owning force's staff who can see the case (never to partner organisations), with a link
    only for those who may read enquiries."""
    if not user.is_authenticated or user.organisation_id != case.owning_organisation_id:
        return None
    row = (
        Enquiry.objects.filter(case_id=case.pk, status=EnquiryStatus.CONVERTED)
        .values_list("pk", "designation", "converted_on")
        .first()
    )
    if row is None:
        return None
    pk, designation, converted_on = row
    readable = enquiries_visible_to(user).filter(pk=pk).exists()
    return CaseEnquiry(designation, converted_on, pk if readable else None)
