"""Failures a caller can act on, each with a stable code (docs/interfaces.md "Errors")."""

from __future__ import annotations

from comeforward.errors import DomainError


class ReportInvalidJson(DomainError):
    code = "REPORT_INVALID_JSON"


class ReportShapeInvalid(DomainError):
    code = "REPORT_SHAPE_INVALID"


class ReportTooLarge(DomainError):
    code = "REPORT_TOO_LARGE"


class ReportSealMismatch(DomainError):
    code = "REPORT_SEAL_MISMATCH"


class FilesListingInvalid(DomainError):
    code = "FILES_LISTING_INVALID"


class ReportCountsMismatch(DomainError):
    code = "REPORT_COUNTS_MISMATCH"


class ReportExhibitMismatch(DomainError):
    code = "REPORT_EXHIBIT_MISMATCH"


class ExhibitReferenceTaken(DomainError):
    code = "EXHIBIT_REFERENCE_TAKEN"


class ExhibitDisposed(DomainError):
    code = "EXHIBIT_DISPOSED"


class CustodyEventNotAllowed(DomainError):
    code = "CUSTODY_EVENT_NOT_ALLOWED"


class EvidencePathNotAllowed(DomainError):
    code = "EVIDENCE_PATH_NOT_ALLOWED"


class EvidencePathNotFound(DomainError):
    code = "EVIDENCE_PATH_NOT_FOUND"


class NewMaterialSealMismatch(DomainError):
    code = "NEW_MATERIAL_SEAL_MISMATCH"


class NewMaterialNotInReport(DomainError):
    code = "NEW_MATERIAL_NOT_IN_REPORT"


class NewMaterialInvalid(DomainError):
    code = "NEW_MATERIAL_INVALID"


class NewMaterialTooLarge(DomainError):
    code = "NEW_MATERIAL_TOO_LARGE"


# -- signed triage reports (issue 11.4, docs/triage-report-signing.md) --------------------


class ReportUnsigned(DomainError):
    code = "REPORT_UNSIGNED"


class ReportSignatureInvalid(DomainError):
    code = "REPORT_SIGNATURE_INVALID"


class ReportSignerUnknown(DomainError):
    code = "REPORT_SIGNER_UNKNOWN"


class ReportAlreadyImported(DomainError):
    code = "REPORT_ALREADY_IMPORTED"


class SigningKeyInvalid(DomainError):
    code = "SIGNING_KEY_INVALID"


class SigningKeyAlreadyRegistered(DomainError):
    code = "SIGNING_KEY_ALREADY_REGISTERED"


class SigningKeyAlreadyRevoked(DomainError):
    code = "SIGNING_KEY_ALREADY_REVOKED"


class WorkerSigningKeyUnavailable(DomainError):
    code = "TRIAGE_SIGNING_KEY_UNAVAILABLE"


class GradingFileInvalid(DomainError):
    code = "GRADING_FILE_INVALID"


class GradingUnknownHash(DomainError):
    code = "GRADING_UNKNOWN_HASH"


class SampleReviewInvalid(DomainError):
    code = "SAMPLE_REVIEW_INVALID"


class ExaminerRequired(DomainError):
    code = "EXAMINER_REQUIRED"


class InvalidDepictedAge(DomainError):
    code = "DEPICTED_AGE_INVALID"
