"""Writes about enquiries: one transaction each; staff actions are audited.

Public-side writes (an enquiry opened, a message received) are deliberately *not* written to
the audit chain: every audit record carries a timestamp to the microsecond, which is exactly
the per-message timing metadata users-and-security §3.2 req. 6 says not to keep (only the
last-activity *date*, overwritten). Staff actions — reply, tags, combine, conversion, erasure
— are audited as usual (DPA 2018 s.62). This departure is recorded in ADR 0201 and flagged
for the data protection officer (``PUBLIC_COLLECTION_AUDIT_NEEDS_SIGNOFF``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from nacl.public import PublicKey

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.cases.services import case_open
from comeforward.people.services import person_create

from . import abuse, public_crypto, reference, selectors
from .conf import setting
from .errors import (
    ConsentRequired,
    EnquiryNotOpen,
    InvalidRetention,
    MergeNotAllowed,
    MessageInvalid,
    ReferenceNotFound,
)
from .force import enquiry_force
from .models import Direction, Enquiry, EnquiryMessage, EnquiryStatus, EnquiryTag

PUBLIC_COLLECTION_AUDIT_NEEDS_SIGNOFF = True
CONVERSION_JUSTIFICATION = (
    "The person came forward in person, presented their enquiry reference and consented to "
    "the enquiry being linked to their case"
)
MAX_TAGS = 10


@dataclass(frozen=True)
class OpenedEnquiry:
    enquiry: Enquiry
    reference: str  # shown once, then forgotten


def _today() -> dt.date:
    return timezone.localdate()


def message_clean(text: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise MessageInvalid("Enter your message")
    limit = setting("ENQUIRY_MESSAGE_MAX_CHARS")
    if len(text) > limit:
        raise MessageInvalid(
            f"Your message must be {limit:,} characters or fewer", details={"max_chars": limit}
        )
    return text


def _unique_designation() -> str:
    while True:
        designation = reference.designation_generate()
        if not selectors.designation_taken(designation):
            return designation


# --- public side ----------------------------------------------------------------------------


def enquiry_open(*, message: str, form_token: abuse.FormToken, proof: str = "") -> OpenedEnquiry:
    """Open an anonymous enquiry with its first message; return the reference to show once.

    While the channel is busy the form must carry a proof of work at the current difficulty
    (``abuse.work_check``, issue 11.6); an accepted one counts towards the load."""
    text = message_clean(message)
    abuse.work_check(abuse.QUESTION, nonce=form_token.nonce, bits=form_token.bits, proof=proof)
    abuse.work_load_add(abuse.QUESTION)
    pepper = public_crypto.pepper()
    log2_n = setting("ENQUIRY_SCRYPT_LOG2_N")
    new_reference = reference.reference_generate()
    reply_params = reference.ScryptParams.fresh(log2_n)
    reply_key = public_crypto.reply_keypair(new_reference, reply_params)
    sealed = public_crypto.seal_for_staff(text)
    today = _today()
    force = enquiry_force()  # None: kept for no force, read by nobody until assigned
    with transaction.atomic():
        abuse.form_token_consume(form_token)
        enquiry = Enquiry.objects.create(
            designation=_unique_designation(),
            lookup_key=reference.lookup_key(pepper, new_reference),
            reference_verifier=reference.verifier_make(pepper, new_reference, log2_n=log2_n),
            reply_kdf=reply_params.encode(),
            reply_public_key=public_crypto.reply_public_key_b64(reply_key),
            notice_version=form_token.notice_version,
            organisation=force,
            opened_on=today,
            last_activity_on=today,
        )
        EnquiryMessage.objects.create(
            enquiry=enquiry,
            direction=Direction.FROM_ENQUIRER,
            sealed_for_staff=sealed,
            sealed_for_enquirer=public_crypto.seal(text, reply_key.public_key),
        )
    return OpenedEnquiry(enquiry=enquiry, reference=new_reference)


def enquiries_assign_force(*, actor, organisation) -> list[int]:
    """Give every enquiry kept without a force (``force.py``) to ``organisation`` — an
    operator's decision when a deployment's force was not configured. One audit record."""
    with transaction.atomic():
        waiting = list(
            Enquiry.objects.select_for_update()
            .filter(organisation__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Enquiry.objects.filter(pk__in=waiting).update(organisation=organisation)
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="enquiry",
            scope="enquiry.force",
            details={"organisation": organisation.code, "enquiries": waiting},
        )
    return waiting


def enquiry_message_add(*, enquiry: Enquiry, message: str) -> EnquiryMessage:
    """A further message from the reference holder. Overwrites the last-activity date."""
    text = message_clean(message)
    root = enquiry.merged_into or enquiry
    if root.status != EnquiryStatus.OPEN:
        raise EnquiryNotOpen(
            "This enquiry is closed. If you have come forward, speak to your case officer."
        )
    abuse.rate_limit_hit("messages_per_reference_per_day", scope=str(root.pk))
    sealed = public_crypto.seal_for_staff(text)
    for_holder = public_crypto.seal_for_holder(text, enquiry.reply_public_key)
    today = _today()
    with transaction.atomic():
        created = EnquiryMessage.objects.create(
            enquiry=enquiry,
            direction=Direction.FROM_ENQUIRER,
            sealed_for_staff=sealed,
            sealed_for_enquirer=for_holder,
        )
        Enquiry.objects.filter(pk=enquiry.pk).update(last_activity_on=today)
        Enquiry.objects.filter(pk=root.pk).update(last_activity_on=today, awaiting_reply=True)
    return created


# --- staff side -----------------------------------------------------------------------------


def enquiry_reply(
    *, actor, enquiry: Enquiry, message: str, justification: str = ""
) -> EnquiryMessage:
    """Reply, sealed twice: to the enquirer's reply key and to the staff key (for the thread).
    ``justification``: the reason the responder gave for opening the enquiry (e.g. "I am
    answering this enquiry", issue 20.6), kept on the reply's audit record."""
    text = message_clean(message)
    if enquiry.status != EnquiryStatus.OPEN:
        raise EnquiryNotOpen("Only open enquiries can be replied to")
    recipient = PublicKey(public_crypto.decode_key(enquiry.reply_public_key))
    with transaction.atomic():
        reply = EnquiryMessage.objects.create(
            enquiry=enquiry,
            direction=Direction.TO_ENQUIRER,
            sealed_for_staff=public_crypto.seal_for_staff(text),
            sealed_for_enquirer=public_crypto.seal(text, recipient),
        )
        enquiry.awaiting_reply = False
        enquiry.last_activity_on = _today()
        enquiry.save(update_fields=["awaiting_reply", "last_activity_on"])
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="enquiry",
            subject_id=enquiry.pk,
            subject_ref=enquiry.designation,
            scope="enquiry.reply",
            justification=justification,
            details={"message_id": reply.pk},
        )
    return reply


def tags_parse(text: str) -> list[str]:
    tags = sorted({slugify(part)[:40] for part in text.split(",")} - {""})
    if len(tags) > MAX_TAGS:
        raise MessageInvalid(f"Use {MAX_TAGS} tags or fewer", details={"max_tags": MAX_TAGS})
    return tags


def enquiry_tags_set(*, actor, enquiry: Enquiry, tags: list[str]) -> list[str]:
    with transaction.atomic():
        objects = [EnquiryTag.objects.get_or_create(name=name)[0] for name in tags]
        enquiry.tags.set(objects)
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="enquiry",
            subject_id=enquiry.pk,
            subject_ref=enquiry.designation,
            scope="enquiry.tags",
            details={"tags": tags},
        )
    return tags


def enquiry_merge(*, actor, source: Enquiry, target: Enquiry, justification: str) -> Enquiry:
    """Combine ``source`` into ``target`` (same person, lost reference: users-and-security
    §3.2 req. 3). Both references keep working; staff see one thread under ``target``."""
    if not justification.strip():
        raise MergeNotAllowed("Give the reason for combining these enquiries")
    if source.pk == target.pk:
        raise MergeNotAllowed("An enquiry cannot be combined with itself")
    for enquiry in (source, target):
        if enquiry.status != EnquiryStatus.OPEN:
            raise MergeNotAllowed(
                f"{enquiry.designation} is not open, so it cannot be combined",
                details={"designation": enquiry.designation, "status": enquiry.status},
            )
    with transaction.atomic():
        Enquiry.objects.filter(merged_into=source).update(merged_into=target)
        source.status = EnquiryStatus.MERGED
        source.merged_into = target
        source.awaiting_reply = False
        source.save(update_fields=["status", "merged_into", "awaiting_reply"])
        target.awaiting_reply = target.awaiting_reply or selectors.has_unanswered(source)
        target.last_activity_on = max(target.last_activity_on, source.last_activity_on)
        target.opened_on = min(target.opened_on, source.opened_on)
        target.save(update_fields=["awaiting_reply", "last_activity_on", "opened_on"])
        target.tags.add(*source.tags.all())
        audit_record(
            actor=actor,
            operation=Operation.COMBINE,
            subject_type="enquiry",
            subject_id=target.pk,
            subject_ref=target.designation,
            scope="enquiry.merge",
            justification=justification.strip(),
            details={"combined": source.designation, "combined_id": source.pk},
        )
    return target


def enquiry_convert(
    *,
    actor,
    presented_reference: str,
    given_names: str,
    family_name: str,
    date_of_birth: dt.date | None,
    consent: bool,
    consent_note: str = "",
):
    """The person came forward in person with their reference: open a self-referral case and
    link the enquiry to it, logged as a *combination* with their consent (users-and-security
    §3.2 req. 9; DPA 2018 s.62(1)(e)). Returns the new case."""
    if not consent:
        raise ConsentRequired("Record the person's consent to link their enquiry before continuing")
    presented, _ = selectors.enquiry_for_reference(presented_reference, count_lookup=False)
    enquiry = presented.merged_into or presented
    if enquiry.organisation_id is None or enquiry.organisation_id != actor.organisation_id:
        # Made to another force (need-to-know): the answer is the same as for no enquiry.
        raise ReferenceNotFound("We could not find an enquiry with that reference.")
    if enquiry.status != EnquiryStatus.OPEN:
        raise EnquiryNotOpen(
            f"{enquiry.designation} has already been linked to a case",
            details={"designation": enquiry.designation, "status": enquiry.status},
        )
    with transaction.atomic():
        person = person_create(
            actor=actor,
            given_names=given_names,
            family_name=family_name,
            date_of_birth=date_of_birth,
        )
        case = case_open(
            actor=actor,
            person=person,
            owning_organisation=actor.organisation,
            route="self_referral",
        )
        enquiry.status = EnquiryStatus.CONVERTED
        enquiry.case = case
        enquiry.converted_on = _today()
        enquiry.awaiting_reply = False
        enquiry.save(update_fields=["status", "case", "converted_on", "awaiting_reply"])
        audit_record(
            actor=actor,
            operation=Operation.COMBINE,
            subject_type="enquiry",
            subject_id=enquiry.pk,
            subject_ref=enquiry.designation,
            scope="enquiry.conversion",
            justification=CONVERSION_JUSTIFICATION,
            details={
                "case": case.reference,
                "person_id": person.pk,
                "consent": True,
                "consent_note": consent_note.strip(),
                "presented": presented.designation,
            },
        )
    return case


def enquiries_purge_dormant(
    *, today: dt.date | None = None, retention_days: int | None = None
) -> list[str]:
    """Erase open enquiries with no activity for ``retention_days`` (default
    ``ENQUIRY_RETENTION_DAYS``), with the enquiries combined into them. Each erasure is
    audited with *that* it happened, never the content (users-and-security §3.2 req. 8; ICO
    guidance on s.62 erasure logs). Returns the designations erased."""
    days = setting("ENQUIRY_RETENTION_DAYS") if retention_days is None else retention_days
    if not isinstance(days, int) or days < 1:
        raise InvalidRetention(
            "The retention period must be a whole number of days, at least 1",
            details={"retention_days": days},
        )
    cutoff = (today or _today()) - dt.timedelta(days=days)
    erased: list[str] = []
    for root in selectors.dormant_enquiries(cutoff=cutoff):
        with transaction.atomic():
            for enquiry in [*selectors.combined_into(root), root]:
                audit_record(
                    actor=None,
                    operation=Operation.ERASE,
                    subject_type="enquiry",
                    subject_id=enquiry.pk,
                    subject_ref=enquiry.designation,
                    scope="enquiry",
                    details={
                        "reason": "dormant",
                        "retention_days": days,
                        "messages": selectors.message_count(enquiry),
                    },
                )
                erased.append(enquiry.designation)
            root.delete()
    return erased
