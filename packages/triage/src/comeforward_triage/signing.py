"""Signed triage reports: Ed25519 over ``report.json``, a detached ``report.json.sig``.

``files_sha256`` seals the listing to the report, but anyone who can edit ``files.jsonl`` can
also recompute that digest. A signature by a key the importing application has registered
makes the report *sealed*, not just summed (forensic-triage.md §5.2 item 7: "report hash …,
signature/seal"; ACPO principle 3, §5.1). Format and key handling: docs/triage-report-signing.md.

:func:`sign_report` is the one call a run makes after its reports are written. It

1. gives the run a ``run_id`` (kept in ``run.json``, so a resumed run keeps it) — the
   application refuses a second import of the same run;
2. records in ``report.json`` the SHA-256 of every companion file (``sealed_files``: the
   listing, the DFXML and CASE reports, the new-material export), so the signature covers them;
3. with a key: writes ``report.json.sig`` over the exact bytes of the final ``report.json``;
   without one: removes any stale ``.sig`` — an unsigned report is refused on import (fail
   closed happens there, not here).

Every file written here is created mode 0600, whatever the umask.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import stat
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nacl.signing import SigningKey

from .errors import TriageError

ALGORITHM = "Ed25519"
SIGNATURE_FORMAT = "comeforward-triage-report-signature/1"
KEY_FORMAT = "comeforward-triage-signing-key/1"
#: Prefix of the signed message (domain separation: this key signs nothing else).
MESSAGE_PREFIX = b"comeforward-triage-report-signature/1\n"
SIGNATURE_SUFFIX = ".sig"
REPORT = "report.json"
#: Companion files whose SHA-256 ``report.json`` records before it is signed.
COMPANIONS = ("files.jsonl", "report.dfxml", "report.case.jsonld", "new-material.vics.json")
#: ``triage run`` reads the key from ``--signing-key``, else this variable, else DEFAULT_KEY_PATH
#: when that file exists.
KEY_ENV = "COMEFORWARD_TRIAGE_SIGNING_KEY"
PUBLIC_KEY_PREFIX = "ed25519:"


def default_key_path() -> str:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "comeforward", "triage-signing.key")


class SigningKeyNotFound(TriageError):
    code = "SIGNING_KEY_NOT_FOUND"


class SigningKeyInvalid(TriageError):
    code = "SIGNING_KEY_INVALID"


class SigningKeyInsecure(TriageError):
    code = "SIGNING_KEY_INSECURE"


class SigningKeyExists(TriageError):
    code = "SIGNING_KEY_EXISTS"


class PublicKeyInvalid(TriageError):
    code = "PUBLIC_KEY_INVALID"


class SignatureInvalid(TriageError):
    """The ``.sig`` file is malformed, or its signature does not verify."""

    code = "REPORT_SIGNATURE_INVALID"


# -- keys ------------------------------------------------------------------------------------


def fingerprint(public_key: bytes) -> str:
    """Lower-case hex SHA-256 of the raw 32-byte public key."""
    return hashlib.sha256(public_key).hexdigest()


def public_key_text(public_key: bytes) -> str:
    """The form an examiner pastes into the application: ``ed25519:<base64>``."""
    return PUBLIC_KEY_PREFIX + base64.b64encode(public_key).decode("ascii")


def parse_public_key(text: str) -> bytes:
    """Raw 32 bytes from ``ed25519:<base64>`` (or bare base64, or the ``.pub`` file's JSON)."""
    text = (text or "").strip()
    if text.startswith("{"):
        try:
            text = str(json.loads(text)["public_key"])
        except (ValueError, KeyError, TypeError):
            raise PublicKeyInvalid("This is not a triage public key") from None
    if text.lower().startswith(PUBLIC_KEY_PREFIX):
        text = text[len(PUBLIC_KEY_PREFIX) :]
    try:
        raw = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise PublicKeyInvalid("The public key is not valid base64") from None
    if len(raw) != 32:
        raise PublicKeyInvalid("An Ed25519 public key is 32 bytes", details={"bytes": len(raw)})
    from nacl.signing import VerifyKey  # imported on use: a run that signs nothing skips it

    try:
        VerifyKey(raw)
    except Exception:  # noqa: BLE001 - nacl raises several kinds for a bad point
        raise PublicKeyInvalid("This is not a valid Ed25519 public key") from None
    return raw


def _signing_key_class() -> type[SigningKey]:
    """nacl's SigningKey, imported on first use (a run that signs nothing never loads nacl)."""
    from nacl.signing import SigningKey

    return SigningKey


@dataclass(frozen=True)
class ReportSigner:
    """A private signing key held by a triage workstation or the application's worker."""

    key: SigningKey
    path: str | None = None

    @property
    def public_key(self) -> bytes:
        return bytes(self.key.verify_key)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    @classmethod
    def generate(cls) -> ReportSigner:
        return cls(_signing_key_class().generate())


def _write_private(path: str, data: bytes, *, replace: bool = True) -> None:
    """Write ``data`` to ``path`` atomically, mode 0600 whatever the umask.

    With ``replace=False`` an existing ``path`` is never overwritten (``SigningKeyExists``);
    two processes racing to create it both end with the one that won.
    """
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)  # mkstemp: mode 0600
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if path exists: never replaces a key
            except FileExistsError:
                raise SigningKeyExists(
                    f"{path} already exists; it is never overwritten", details={"path": path}
                ) from None
            finally:
                os.unlink(tmp)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_key(signer: ReportSigner, path: str) -> dict[str, str]:
    """Save ``signer`` to ``path`` (mode 0600, never overwriting) and its public half to
    ``path.pub``; returns what to register: public key, fingerprint, file names."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
    public = public_key_text(signer.public_key)
    body = {
        "format": KEY_FORMAT,
        "algorithm": ALGORITHM,
        "private_key": base64.b64encode(bytes(signer.key)).decode("ascii"),
        "public_key": public,
        "fingerprint": signer.fingerprint,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    _write_private(path, (json.dumps(body, indent=1) + "\n").encode(), replace=False)
    pub_path = path + ".pub"
    pub = {k: body[k] for k in ("format", "algorithm", "public_key", "fingerprint")}
    with open(pub_path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(pub, indent=1) + "\n")
    return {
        "private_key_file": path,
        "public_key_file": pub_path,
        "public_key": public,
        "fingerprint": signer.fingerprint,
        "algorithm": ALGORITHM,
    }


def generate_key_file(path: str) -> dict[str, str]:
    """``triage keygen``: a new key at ``path`` (refused if the file exists)."""
    if os.path.lexists(path):
        raise SigningKeyExists(
            f"{path} already exists; it is never overwritten", details={"path": path}
        )
    return write_key(ReportSigner.generate(), path)


def load_key(path: str) -> ReportSigner:
    """Read a private key file; refused if others than its owner may read it (like ssh)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        raise SigningKeyNotFound(f"no signing key at {path}", details={"path": path}) from None
    except OSError as exc:
        raise SigningKeyInvalid(
            f"cannot read the signing key {path}", details={"path": path, "reason": str(exc)}
        ) from None
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fh.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise SigningKeyInvalid("the signing key is not a file", details={"path": path})
        if mode & 0o077:
            raise SigningKeyInsecure(
                f"{path} may be read by others than its owner: chmod 600 it",
                details={"path": path, "mode": oct(stat.S_IMODE(mode))},
            )
        data = fh.read(65536)
    try:
        body = json.loads(data)
        if body.get("format") != KEY_FORMAT or body.get("algorithm") != ALGORITHM:
            raise ValueError("format")
        seed = base64.b64decode(body["private_key"], validate=True)
        key = _signing_key_class()(seed)
    except Exception:  # noqa: BLE001 - any malformed key file gets the same answer
        raise SigningKeyInvalid(
            f"{path} is not a triage signing key (make one with `triage keygen`)",
            details={"path": path},
        ) from None
    return ReportSigner(key, path)


def resolve_key(option: str | None) -> ReportSigner | None:
    """The key ``triage run`` signs with: ``--signing-key``, else ``$KEY_ENV``
    (``COMEFORWARD_TRIAGE_SIGNING_KEY``), else the default path if that file exists; ``None``
    (an unsigned report) otherwise. A key that is named but missing or unreadable is an
    error, never a silent unsigned run."""
    if option:
        return load_key(option)
    named = os.environ.get(KEY_ENV)
    if named:
        return load_key(named)
    default = default_key_path()
    return load_key(default) if os.path.exists(default) else None


# -- signing a run's output --------------------------------------------------------------------


def _sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def message(report_bytes: bytes) -> bytes:
    """What is signed: a fixed prefix, then the exact bytes of ``report.json``."""
    return MESSAGE_PREFIX + report_bytes


def signature_document(signer: ReportSigner, report_bytes: bytes) -> dict[str, Any]:
    signed = signer.key.sign(message(report_bytes)).signature
    return {
        "format": SIGNATURE_FORMAT,
        "algorithm": ALGORITHM,
        "key_fingerprint": signer.fingerprint,
        "public_key": public_key_text(signer.public_key),
        "report": REPORT,
        "report_sha256": hashlib.sha256(report_bytes).hexdigest(),
        "signed_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "signature": base64.b64encode(signed).decode("ascii"),
    }


def sign_bytes(signer: ReportSigner, report_bytes: bytes) -> bytes:
    """The ``report.json.sig`` bytes for ``report_bytes``."""
    return (
        json.dumps(signature_document(signer, report_bytes), indent=1, sort_keys=True) + "\n"
    ).encode()


def _run_id(out_dir: str) -> str:
    """The run's id, made once and kept in ``run.json`` (a resumed run keeps it)."""
    run_path = os.path.join(out_dir, "run.json")
    run: dict[str, Any] = {}
    if os.path.exists(run_path):
        with open(run_path, encoding="utf-8") as fh:
            run = json.load(fh)
    if not isinstance(run.get("run_id"), str) or not run["run_id"]:
        run["run_id"] = str(uuid.uuid4())
        _write_private(run_path, json.dumps(run, indent=1, sort_keys=True).encode())
    return run["run_id"]


def companions(out_dir: str) -> list[str]:
    """The companion files of a run folder: :data:`COMPANIONS`, then any further CASE parts
    (``report.case.part002.jsonld`` …, written for very large exhibits)."""
    parts = sorted(
        n for n in os.listdir(out_dir) if n.startswith("report.case.part") and n.endswith(".jsonld")
    )
    return [*COMPANIONS, *parts]


def sign_report(
    out_dir: str,
    signer: ReportSigner | None,
    *,
    report: dict[str, Any] | None = None,
    digests: dict[str, str] | None = None,
) -> dict[str, Any] | None:
    """Finalise ``out_dir/report.json`` (run id, companion digests) and sign it.

    *report*: the report to write (else ``report.json`` is read); *digests*: SHA-256 of
    companions the caller has just written (the rest are read and hashed here).
    Returns the signature document, or ``None`` for an unsigned run (a stale
    ``report.json.sig`` from an earlier signed run of the same folder is removed).
    """
    report_path = os.path.join(out_dir, REPORT)
    if report is None:
        with open(report_path, encoding="utf-8") as fh:
            report = json.load(fh)
    else:
        report = dict(report)
    known = digests or {}
    report["run_id"] = _run_id(out_dir)
    report["sealed_files"] = {
        name: known.get(name) or _sha256_file(os.path.join(out_dir, name))
        for name in companions(out_dir)
        if os.path.isfile(os.path.join(out_dir, name))
    }
    report_bytes = (json.dumps(report, ensure_ascii=False, indent=1) + "\n").encode()
    sig_path = report_path + SIGNATURE_SUFFIX
    if signer is None:
        if os.path.lexists(sig_path):
            os.unlink(sig_path)
        _write_private(report_path, report_bytes)
        return None
    doc_bytes = sign_bytes(signer, report_bytes)
    # The old signature goes first: a crash between the two writes leaves an unsigned
    # report (refused on import), never a signature over other bytes.
    if os.path.lexists(sig_path):
        os.unlink(sig_path)
    _write_private(report_path, report_bytes)
    _write_private(sig_path, doc_bytes)
    return json.loads(doc_bytes)


# -- verifying ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    """A parsed ``report.json.sig``: which key says it signed, and the signature bytes."""

    key_fingerprint: str
    signature: bytes


def parse_signature(sig_bytes: bytes) -> Signature:
    """Parse ``report.json.sig``; ``REPORT_SIGNATURE_INVALID`` when it is not one."""
    try:
        doc = json.loads(sig_bytes.decode("utf-8"))
        if doc["format"] != SIGNATURE_FORMAT or doc["algorithm"] != ALGORITHM:
            raise ValueError("format")
        fp = doc["key_fingerprint"]
        if not (isinstance(fp, str) and len(fp) == 64 and all(c in "0123456789abcdef" for c in fp)):
            raise ValueError("fingerprint")
        signature = base64.b64decode(doc["signature"], validate=True)
        if len(signature) != 64:
            raise ValueError("length")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, binascii.Error):
        raise SignatureInvalid(
            "report.json.sig is not a triage report signature",
            details={"expected_format": SIGNATURE_FORMAT},
        ) from None
    return Signature(key_fingerprint=fp, signature=signature)


def verify(report_bytes: bytes, signature: Signature, public_key: bytes) -> None:
    """Check ``signature`` over ``report_bytes`` with ``public_key`` (the one the verifier
    trusts, never the one the ``.sig`` file carries); ``REPORT_SIGNATURE_INVALID`` if not."""
    if fingerprint(public_key) != signature.key_fingerprint:
        raise SignatureInvalid(
            "report.json.sig names a different key",
            details={"key_fingerprint": signature.key_fingerprint},
        )
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey

    try:
        VerifyKey(public_key).verify(message(report_bytes), signature.signature)
    except BadSignatureError:
        raise SignatureInvalid(
            "The signature does not match report.json: the report has been changed since it "
            "was signed, or was signed by another key",
            details={"key_fingerprint": signature.key_fingerprint},
        ) from None
