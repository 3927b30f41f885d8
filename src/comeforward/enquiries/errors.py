"""Failures a caller can act on, each with a stable code (docs/interfaces.md, "Errors")."""

from __future__ import annotations

from comeforward.errors import DomainError


class EnquiryChannelNotConfigured(DomainError):
    code = "ENQUIRY_CHANNEL_NOT_CONFIGURED"


class EnquiryPrivateKeyUnavailable(DomainError):
    code = "ENQUIRY_PRIVATE_KEY_UNAVAILABLE"


class ReferenceMalformed(DomainError):
    code = "ENQUIRY_REFERENCE_MALFORMED"


class ReferenceNotFound(DomainError):
    code = "ENQUIRY_REFERENCE_NOT_FOUND"


class MessageInvalid(DomainError):
    code = "ENQUIRY_MESSAGE_INVALID"


class RateLimited(DomainError):
    code = "ENQUIRY_RATE_LIMITED"


class ProofRequired(DomainError):
    """The service is busy: the request needs a proof of work at the current difficulty."""

    code = "ENQUIRY_PROOF_REQUIRED"


class FormTokenInvalid(DomainError):
    code = "ENQUIRY_FORM_TOKEN_INVALID"


class FormTooQuick(DomainError):
    code = "ENQUIRY_FORM_TOO_QUICK"


class FormAlreadyUsed(DomainError):
    code = "ENQUIRY_FORM_ALREADY_USED"


class HoneypotFilled(DomainError):
    code = "ENQUIRY_HONEYPOT_FILLED"


class EnquiryNotOpen(DomainError):
    code = "ENQUIRY_NOT_OPEN"


class MergeNotAllowed(DomainError):
    code = "ENQUIRY_MERGE_NOT_ALLOWED"


class ConsentRequired(DomainError):
    code = "ENQUIRY_CONSENT_REQUIRED"


class InvalidRetention(DomainError):
    code = "ENQUIRY_INVALID_RETENTION"


class EnquiryForceUnknown(DomainError):
    code = "ENQUIRY_FORCE_UNKNOWN"
