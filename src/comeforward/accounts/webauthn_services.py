"""WebAuthn security keys as a second factor for privileged roles: registration and sign-in.

Why: ARCHITECTURE.md §5 and the "Platform foundation" issue ask for WebAuthn for
administrators and supervisors; ASVS 5.0 6.3.3 (L3) asks for a phishing-resistant hardware
factor for privileged roles (users-and-security.md §4.1, §4.2). TOTP stays available to
everyone; a key is an additional, stronger way through the MFA step.

How (W3C Web Authentication Level 3, with the ``webauthn`` library doing the checks of §7):
- registration (§7.1): attestation "none" (we trust the key, not its make; no attestation
  certificates are kept), user verification "preferred" (the password is the first factor),
  no resident (discoverable) credential, existing keys excluded so one authenticator cannot
  be registered twice;
- authentication (§7.2): only the user's own keys are allowed, the signature is checked
  against the stored public key, then the signature counter (§6.1.1, §7.2 step 22): if either
  the stored or the presented count is non-zero, the presented count must be larger, else the
  key may have been cloned and the sign-in is refused (and recorded, outcome "denied").

Every change to a user's keys is an ``alter`` of the account, scope ``account.mfa``, as TOTP
confirmation is (DPA 2018 s.62; audit/services.py).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.cose import COSEAlgorithmIdentifier
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.options_to_json_dict import options_to_json_dict
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from comeforward.audit.operations import Operation, Outcome
from comeforward.audit.services import audit_record
from comeforward.errors import DomainError
from comeforward.roles import PRIVILEGED_ROLES

from .models import User, WebAuthnDevice
from .webauthn_selectors import user_webauthn_devices
from .webauthn_session import RelyingParty

#: ES256 (P-256), EdDSA (Ed25519) and RS256: what security keys and platforms implement.
SUPPORTED_ALGORITHMS = [
    COSEAlgorithmIdentifier.ECDSA_SHA_256,
    COSEAlgorithmIdentifier.EDDSA,
    COSEAlgorithmIdentifier.RSASSA_PKCS1_v1_5_SHA_256,
]
TIMEOUT_MS = 60_000
NAME_MAX_LENGTH = 64  # django_otp Device.name


class WebAuthnRoleNotAllowed(DomainError):
    code = "WEBAUTHN_ROLE_NOT_ALLOWED"


class WebAuthnInvalidName(DomainError):
    code = "WEBAUTHN_INVALID_NAME"


class WebAuthnRegistrationRejected(DomainError):
    code = "WEBAUTHN_REGISTRATION_REJECTED"


class WebAuthnCredentialAlreadyRegistered(DomainError):
    code = "WEBAUTHN_CREDENTIAL_ALREADY_REGISTERED"


class WebAuthnNoKeys(DomainError):
    code = "WEBAUTHN_NO_KEYS"


class WebAuthnUnknownCredential(DomainError):
    code = "WEBAUTHN_UNKNOWN_CREDENTIAL"


class WebAuthnAuthenticationRejected(DomainError):
    code = "WEBAUTHN_AUTHENTICATION_REJECTED"


class WebAuthnSignCountRegression(DomainError):
    """The key's signature counter did not increase: possibly a cloned key (§6.1.1)."""

    code = "WEBAUTHN_SIGN_COUNT_REGRESSION"


#: What a malformed or forged response can raise while being parsed and verified.
_RESPONSE_ERRORS = (WebAuthnException, ValueError, TypeError, KeyError)


def user_handle(user: User) -> bytes:
    """A stable, opaque user handle (§14.6.1: must not contain personal data): an HMAC of the pk."""
    handle = salted_hmac("comeforward.webauthn.user-handle", str(user.pk), algorithm="sha256")
    return handle.digest()


def _descriptors(devices) -> list[PublicKeyCredentialDescriptor]:
    known = {t.value for t in AuthenticatorTransport}
    return [
        PublicKeyCredentialDescriptor(
            id=base64url_to_bytes(device.credential_id),
            transports=[AuthenticatorTransport(t) for t in device.transports if t in known],
        )
        for device in devices
    ]


def webauthn_registration_options(
    *, user: User, rp: RelyingParty, challenge: bytes
) -> dict[str, Any]:
    """``PublicKeyCredentialCreationOptions`` as JSON for ``navigator.credentials.create``."""
    _require_privileged(user)
    options = generate_registration_options(
        rp_id=rp.id,
        rp_name=rp.name,
        user_name=user.email,
        user_id=user_handle(user),
        user_display_name=user.full_name or user.email,
        challenge=challenge,
        timeout=TIMEOUT_MS,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(user_webauthn_devices(user)),
        supported_pub_key_algs=SUPPORTED_ALGORITHMS,
    )
    return options_to_json_dict(options)


def _require_privileged(user: User) -> None:
    if not user.has_role(*PRIVILEGED_ROLES):
        raise WebAuthnRoleNotAllowed(
            "Security keys are for administrators and supervisors",
            details={"role": user.role},
        )


def _clean_name(name: str) -> str:
    cleaned = " ".join(str(name or "").split())
    if not cleaned:
        raise WebAuthnInvalidName("Enter a name for this security key", details={"field": "name"})
    if len(cleaned) > NAME_MAX_LENGTH:
        raise WebAuthnInvalidName(
            f"The name must be {NAME_MAX_LENGTH} characters or fewer",
            details={"field": "name", "max_length": NAME_MAX_LENGTH},
        )
    return cleaned


def _transports(credential: dict[str, Any]) -> list[str]:
    response = credential.get("response")
    reported = response.get("transports") if isinstance(response, dict) else None
    known = {t.value for t in AuthenticatorTransport}
    if not isinstance(reported, list):
        return []
    return sorted({t for t in reported if isinstance(t, str) and t in known})


def webauthn_device_register(
    *,
    actor: User,
    rp: RelyingParty,
    challenge: bytes,
    credential: dict[str, Any],
    name: str,
) -> WebAuthnDevice:
    """Verify a registration response (§7.1) and store the new key for ``actor``."""
    _require_privileged(actor)
    name = _clean_name(name)
    if not isinstance(credential, dict):
        raise WebAuthnRegistrationRejected("The security key's answer was not understood")
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            supported_pub_key_algs=SUPPORTED_ALGORITHMS,
        )
    except _RESPONSE_ERRORS as error:
        raise WebAuthnRegistrationRejected(
            "The security key could not be registered", details={"reason": str(error)}
        )
    credential_id = bytes_to_base64url(verified.credential_id)
    with transaction.atomic():
        if WebAuthnDevice.objects.filter(credential_id=credential_id).exists():
            raise WebAuthnCredentialAlreadyRegistered("This security key is already registered")
        device = WebAuthnDevice.objects.create(
            user=actor,
            name=name,
            confirmed=True,
            credential_id=credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            transports=_transports(credential),
            aaguid=verified.aaguid,
        )
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="user",
            subject_id=actor.pk,
            scope="account.mfa",
            details={"device": "webauthn", "device_id": device.pk, "change": "registered"},
        )
    return device


def webauthn_authentication_options(
    *, user: User, rp: RelyingParty, challenge: bytes
) -> dict[str, Any]:
    """``PublicKeyCredentialRequestOptions`` as JSON for ``navigator.credentials.get``."""
    devices = list(user_webauthn_devices(user))
    if not devices:
        raise WebAuthnNoKeys("You have no security key registered")
    options = generate_authentication_options(
        rp_id=rp.id,
        challenge=challenge,
        timeout=TIMEOUT_MS,
        allow_credentials=_descriptors(devices),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return options_to_json_dict(options)


def _credential_id_of(credential: dict[str, Any]) -> str:
    """The canonical base64url credential ID of a response (no padding, nothing discarded)."""
    raw_id = credential.get("rawId")
    try:
        encoded = bytes_to_base64url(base64url_to_bytes(raw_id)) if isinstance(raw_id, str) else ""
    except _RESPONSE_ERRORS:
        encoded = ""
    if not encoded or encoded != raw_id.rstrip("="):
        raise WebAuthnAuthenticationRejected("The security key's answer was not understood")
    return encoded


def webauthn_device_authenticate(
    *, user: User, rp: RelyingParty, challenge: bytes, credential: dict[str, Any]
) -> WebAuthnDevice:
    """Verify an assertion (§7.2) by one of ``user``'s keys; return the key that signed it.

    The counter check is ours rather than the library's, so that a clone signal has its own
    error code and leaves a "denied" audit record that survives the refused transaction.
    """
    if not isinstance(credential, dict):
        raise WebAuthnAuthenticationRejected("The security key's answer was not understood")
    credential_id = _credential_id_of(credential)
    regression: dict[str, Any] | None = None
    with transaction.atomic():
        device = (
            user_webauthn_devices(user)
            .select_for_update()
            .filter(credential_id=credential_id)
            .first()
        )
        if device is None:
            raise WebAuthnUnknownCredential("This security key is not registered to your account")
        try:
            verified = verify_authentication_response(
                credential=credential,
                expected_challenge=challenge,
                expected_rp_id=rp.id,
                expected_origin=rp.origin,
                credential_public_key=bytes(device.public_key),
                credential_current_sign_count=0,  # checked below, after the signature
            )
        except _RESPONSE_ERRORS as error:
            raise WebAuthnAuthenticationRejected(
                "The security key's answer could not be verified",
                details={"reason": str(error)},
            )
        presented, stored = verified.new_sign_count, device.sign_count
        if (presented > 0 or stored > 0) and presented <= stored:
            regression = {"device_id": device.pk, "stored": stored, "presented": presented}
        else:
            device.sign_count = presented
            device.last_used_at = timezone.now()
            device.save(update_fields=["sign_count", "last_used_at"])
    if regression is not None:
        audit_record(
            actor=user,
            operation=Operation.ALTER,
            subject_type="user",
            subject_id=user.pk,
            scope="account.mfa",
            outcome=Outcome.DENIED,
            details={"device": "webauthn", "refused": "sign_count_regression", **regression},
        )
        raise WebAuthnSignCountRegression(
            "This security key cannot be used: it may have been copied. "
            "Use your authenticator app and tell your administrator",
            details=regression,
        )
    return device


def webauthn_device_remove(*, actor: User, device: WebAuthnDevice) -> None:
    """Remove one of the actor's own keys (their authenticator app stays)."""
    if device.user_id != actor.pk:
        raise WebAuthnUnknownCredential("This security key is not registered to your account")
    with transaction.atomic():
        device_id = device.pk
        device.delete()
        audit_record(
            actor=actor,
            operation=Operation.ALTER,
            subject_type="user",
            subject_id=actor.pk,
            scope="account.mfa",
            details={"device": "webauthn", "device_id": device_id, "change": "removed"},
        )
