"""The keys of register transfers (13.7): this force's Ed25519 signing key and the public keys
of the forces it trusts, read from PEM files (docs/register-transfer.md). Shared by the
``register_transfer`` command (files named on the command line) and the transfer pages
(files named in settings)."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key
from django.conf import settings

from comeforward.errors import DomainError

from .transfer import TransferRefused, key_id


class TransferNotConfigured(DomainError):
    code = "REGISTER_TRANSFER_NOT_CONFIGURED"


def load_private(path: str) -> Ed25519PrivateKey:
    try:
        key = load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise TransferRefused("The signing key cannot be read", details={"path": path}) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise TransferRefused("The signing key is not Ed25519", details={"path": path})
    return key


def load_trusted(paths: list[str]) -> dict[str, Ed25519PublicKey]:
    keys = {}
    for path in paths:
        try:
            key = load_pem_public_key(Path(path).read_bytes())
        except (OSError, ValueError) as exc:
            raise TransferRefused("A trusted key cannot be read", details={"path": path}) from exc
        if not isinstance(key, Ed25519PublicKey):
            raise TransferRefused("A trusted key is not Ed25519", details={"path": path})
        keys[key_id(key)] = key
    return keys


def configured() -> bool:
    return bool(getattr(settings, "REGISTER_TRANSFER_SIGNING_KEY_FILE", None))


def signing_key() -> Ed25519PrivateKey:
    """This installation's transfer signing key (settings), or a refusal saying it is not set."""
    path = getattr(settings, "REGISTER_TRANSFER_SIGNING_KEY_FILE", None)
    if not path:
        raise TransferNotConfigured(
            "Transfers between forces are not set up on this installation: ask your "
            "administrator to configure the force's transfer key"
        )
    return load_private(path)


def trusted_keys() -> dict[str, Ed25519PublicKey]:
    """The other forces' public keys this installation trusts (settings); none is a refusal."""
    paths = list(getattr(settings, "REGISTER_TRANSFER_TRUSTED_KEY_FILES", None) or [])
    if not paths:
        raise TransferNotConfigured(
            "No other force's transfer key is trusted on this installation: ask your "
            "administrator to add the sending force's public key"
        )
    return load_trusted(paths)
