"""Triage signing keys: registering, revoking, and checking a report's signature (issue 11.4).

A triage report is imported only when ``report.json.sig`` is a valid Ed25519 signature over
the exact ``report.json`` bytes by a key registered here and not revoked
(docs/triage-report-signing.md; forensic-triage.md §5.2 item 7 "signature/seal"). Two kinds:

* the **worker** key of this installation: a file outside the database
  (``TRIAGE_SIGNING_KEY_FILE``; made on first use, mode 0600, where
  ``TRIAGE_SIGNING_KEY_AUTOCREATE`` is on — development, demo and tests — and required in
  production), registered automatically the first time the worker signs; it may sign reports
  for every force's exhibits, because the worker runs jobs for all of them;
* an examiner's **workstation** key (``comeforward triage keygen``): the examiner hands the
  public key to a *supervisor* of their force, who registers it here after comparing the
  fingerprint with the one the workstation printed. Its reports are accepted only for that
  force's exhibits.

Who registers and revokes: a supervisor (``Role.SUPERVISOR``), for their own force. The
supervisor is the police role that already answers for the examiners' casework; an
administrator manages accounts, not evidence, and a forensic examiner must not be able to
vouch for their own key (separation of duties). Every registration and revocation is
audited. Keys are never deleted.
"""

from __future__ import annotations

import logging
import os

from comeforward_triage import signing
from comeforward_triage.errors import TriageError
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from comeforward.audit.operations import Operation
from comeforward.audit.services import audit_record
from comeforward.errors import InvalidInput
from comeforward.roles import Role

from .errors import (
    ReportSignatureInvalid,
    ReportSignerUnknown,
    ReportUnsigned,
    SigningKeyAlreadyRegistered,
    SigningKeyAlreadyRevoked,
    SigningKeyInvalid,
    WorkerSigningKeyUnavailable,
)
from .models import TriageSigningKey, TriageSigningKeyKind

logger = logging.getLogger(__name__)

#: May register and revoke keys (see the module docstring for why).
KEY_MANAGERS = (Role.SUPERVISOR,)
#: May see the list of registered keys and their fingerprints.
KEY_VIEWERS = (Role.SUPERVISOR, Role.FORENSIC_EXAMINER)


def _audit(actor, key: TriageSigningKey, operation: str, scope: str, details: dict) -> None:
    audit_record(
        actor=actor,
        operation=operation,
        subject_type="triage_signing_key",
        subject_id=key.pk,
        subject_ref=key.fingerprint[:16],
        scope=scope,
        details={
            "fingerprint": key.fingerprint,
            "kind": key.kind,
            "name": key.name,
            "organisation": key.organisation_id,
            **details,
        },
    )


def triage_signing_key_register(
    *, actor, name: str, public_key: str, examiner=None
) -> TriageSigningKey:
    """Register an examiner's workstation key for the supervisor's own force."""
    if not actor.has_role(*KEY_MANAGERS):
        raise InvalidInput("Only a supervisor may register a triage signing key")
    name = name.strip()
    if not name:
        raise InvalidInput(
            "Enter a name for the workstation", details={"fields": {"name": "required"}}
        )
    try:
        raw = signing.parse_public_key(public_key)
    except signing.PublicKeyInvalid as error:
        raise SigningKeyInvalid(
            f"{error.message}: paste the public key that `comeforward triage keygen` printed "
            "(it starts with ed25519:)",
            details={**error.details, "fields": {"public_key": "invalid"}},
        ) from None
    if examiner is not None and (
        examiner.organisation_id != actor.organisation_id
        or not examiner.has_role(Role.FORENSIC_EXAMINER)
    ):
        raise InvalidInput(
            "The examiner must be a forensic examiner of your force",
            details={"fields": {"examiner": "invalid"}},
        )
    fingerprint = signing.fingerprint(raw)
    try:
        with transaction.atomic():
            key = TriageSigningKey.objects.create(
                name=name[:200],
                kind=TriageSigningKeyKind.WORKSTATION,
                fingerprint=fingerprint,
                public_key=signing.public_key_text(raw),
                organisation=actor.organisation,
                examiner=examiner,
                registered_by=actor,
            )
            _audit(
                actor,
                key,
                Operation.COLLECT,
                "triage_signing_key.register",
                {"examiner": examiner.pk if examiner else None},
            )
    except IntegrityError:
        raise SigningKeyAlreadyRegistered(
            "This key is already registered (a revoked key cannot be registered again: make "
            "a new one with `comeforward triage keygen`)",
            details={"fingerprint": fingerprint, "fields": {"public_key": "taken"}},
        ) from None
    return key


def triage_signing_key_revoke(*, actor, key: TriageSigningKey, reason: str) -> TriageSigningKey:
    """Revoke a key of the supervisor's own force (or the installation's worker key): its
    reports are refused from now on; examinations it signed before keep their record."""
    if not actor.has_role(*KEY_MANAGERS):
        raise InvalidInput("Only a supervisor may revoke a triage signing key")
    if not reason.strip():
        raise InvalidInput(
            "Give the reason for revoking the key", details={"fields": {"reason": "required"}}
        )
    with transaction.atomic():
        key = TriageSigningKey.objects.select_for_update().get(pk=key.pk)
        if key.organisation_id not in (None, actor.organisation_id):
            raise InvalidInput("This key belongs to another force")
        if key.revoked_at is not None:
            raise SigningKeyAlreadyRevoked(
                "This key has already been revoked", details={"fingerprint": key.fingerprint}
            )
        key.revoked_at, key.revoked_by = timezone.now(), actor
        key.revocation_reason = reason.strip()[:500]
        key.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        _audit(
            actor,
            key,
            Operation.ALTER,
            "triage_signing_key.revoke",
            {"reason": key.revocation_reason},
        )
    return key


# -- the installation's worker key ---------------------------------------------------------


def worker_signer() -> signing.ReportSigner:
    """The worker's private key, from ``TRIAGE_SIGNING_KEY_FILE`` (outside the database).

    Made on first use (mode 0600) only where ``TRIAGE_SIGNING_KEY_AUTOCREATE`` is on;
    otherwise a missing or unreadable key stops the job (``TRIAGE_SIGNING_KEY_UNAVAILABLE``)
    rather than producing a report nobody can import.
    """
    path = getattr(settings, "TRIAGE_SIGNING_KEY_FILE", None)
    if not path:
        raise WorkerSigningKeyUnavailable(
            "No triage signing key is configured for the worker "
            "(COMEFORWARD_TRIAGE_SIGNING_KEY_FILE)"
        )
    path = os.fspath(path)
    if not os.path.exists(path) and getattr(settings, "TRIAGE_SIGNING_KEY_AUTOCREATE", False):
        try:
            signing.generate_key_file(path)
            logger.warning("Made the triage worker's signing key at %s", path)
        except signing.SigningKeyExists:
            pass  # another process made it first
    try:
        return signing.load_key(path)
    except TriageError as error:
        raise WorkerSigningKeyUnavailable(
            f"The worker's triage signing key cannot be used: {error.message}",
            details={"reason": error.code},
        ) from None


def worker_signing_key_register(signer: signing.ReportSigner) -> TriageSigningKey:
    """Register the worker's public key if it is not registered yet (audited, no actor).

    A key that is already registered is returned as it is: a revoked worker key is never
    brought back (its reports are refused until the key file is replaced).
    """
    key = TriageSigningKey.objects.filter(fingerprint=signer.fingerprint).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            key = TriageSigningKey.objects.create(
                name="Triage worker of this installation",
                kind=TriageSigningKeyKind.WORKER,
                fingerprint=signer.fingerprint,
                public_key=signing.public_key_text(signer.public_key),
                organisation=None,
            )
            _audit(None, key, Operation.COLLECT, "triage_signing_key.register", {"automatic": True})
    except IntegrityError:  # registered by a concurrent job
        key = TriageSigningKey.objects.get(fingerprint=signer.fingerprint)
    return key


# -- checking a report's signature ----------------------------------------------------------


def report_signer_check(
    report_bytes: bytes, signature_bytes: bytes | None, *, organisation_id: int | None
) -> TriageSigningKey:
    """The registered, unrevoked key that signed ``report_bytes`` for a case of
    ``organisation_id``; refuses with ``REPORT_UNSIGNED``, ``REPORT_SIGNATURE_INVALID`` or
    ``REPORT_SIGNER_UNKNOWN``. Callers re-check revocation inside their transaction."""
    if not signature_bytes:
        raise ReportUnsigned(
            "This report is not signed: upload report.json.sig from the same run. Reports "
            "are accepted only when signed by a registered triage workstation or the worker"
        )
    try:
        signature = signing.parse_signature(signature_bytes)
    except signing.SignatureInvalid as error:
        raise ReportSignatureInvalid(error.message, details=error.details) from None
    key = TriageSigningKey.objects.filter(fingerprint=signature.key_fingerprint).first()
    if key is None or key.revoked_at is not None:
        raise ReportSignerUnknown(
            "This report was signed by a key that is not registered, or has been revoked: "
            "ask a supervisor to register the workstation's key",
            details={
                "key_fingerprint": signature.key_fingerprint,
                "revoked": key is not None,
            },
        )
    if key.organisation_id is not None and key.organisation_id != organisation_id:
        raise ReportSignerUnknown(
            "This report was signed by a key registered for another force",
            details={"key_fingerprint": signature.key_fingerprint},
        )
    try:
        signing.verify(report_bytes, signature, signing.parse_public_key(key.public_key))
    except signing.SignatureInvalid as error:
        raise ReportSignatureInvalid(error.message, details=error.details) from None
    return key
