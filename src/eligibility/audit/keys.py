"""The Ed25519 key that signs the audit store's checkpoints, kept outside the store.

One PEM file holds the private key (PKCS #8, unencrypted, mode 600: whoever can read it
can sign checkpoints); ``<key>.pub`` beside it holds the public key, the one to hand to
whoever verifies. The default place is ``$XDG_CONFIG_HOME/eligibility/audit-key.pem``,
apart from the default store (``$XDG_DATA_HOME``); ``--key PATH`` or
``ELIGIBILITY_AUDIT_KEY`` names another. The store never holds either key: someone able to
rewrite the store must not be able to sign for it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from eligibility.errors import InputFileError

KEYGEN = "eligibility audit keygen"
MAX_KEY_SIZE = 16 * 1024  # bytes: an Ed25519 PEM file is about 120


def default_key_path() -> Path:
    """``$XDG_CONFIG_HOME/eligibility/audit-key.pem`` (``~/.config`` by default)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "eligibility" / "audit-key.pem"


def public_key_path(key: Path) -> Path:
    """Where the public key of a private key file is: ``<key>.pub``."""
    return key.with_name(key.name + ".pub")


def key_id(public: Ed25519PublicKey) -> str:
    """A short name of a public key: ``ed25519:`` and 16 hex digits of its SHA-256."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519:" + hashlib.sha256(raw).hexdigest()[:16]


def generate_key(path: Path) -> Path:
    """Make a new signing key at ``path`` (mode 600) and its public key; return the latter.

    Raises:
        InputFileError: a file is already there (a key is never overwritten: the
            checkpoints it signed would no longer verify), or it cannot be written.
    """
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InputFileError(
            str(path),
            "already exists; a signing key is never overwritten (the checkpoints it signed "
            "would no longer verify): give another --key",
        ) from None
    except OSError as exc:
        raise InputFileError(str(path), f"cannot be written: {exc.strerror}") from None
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    public_path = public_key_path(path)
    try:
        # A file of its own renamed into place: a link or stale file there is replaced, never
        # written through.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".audit-key-", suffix=".pub")
        with os.fdopen(fd, "wb") as out:
            out.write(public)
        Path(tmp).chmod(0o644)
        Path(tmp).replace(public_path)
    except OSError as exc:
        raise InputFileError(str(public_path), f"cannot be written: {exc.strerror}") from None
    return public_path


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            data = f.read(MAX_KEY_SIZE + 1)
    except FileNotFoundError:
        raise InputFileError(
            str(path), f"no such key file (make a key with: {KEYGEN} --key {path})"
        ) from None
    except OSError as exc:
        raise InputFileError(str(path), f"cannot read the key: {exc.strerror}") from None
    if len(data) > MAX_KEY_SIZE:
        raise InputFileError(str(path), "is not a key file (too large)")
    return data


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    """The private key in a PEM file.

    Raises:
        InputFileError: missing, unreadable, encrypted, or not an Ed25519 private key.
    """
    data = _read(path)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise InputFileError(str(path), "is an encrypted key; give an unencrypted one") from None
    except (ValueError, UnsupportedAlgorithm):
        raise InputFileError(str(path), "is not a PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputFileError(str(path), "is not an Ed25519 key")
    return key


def load_verify_key(path: Path) -> Ed25519PublicKey:
    """The public key in a PEM file: a public key, or the one of a private key.

    Raises:
        InputFileError: missing, unreadable, or not an Ed25519 key.
    """
    data = _read(path)
    if b"PRIVATE KEY" in data:
        return load_signing_key(path).public_key()
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise InputFileError(str(path), "is not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise InputFileError(str(path), "is not an Ed25519 key")
    return key


def verify_key_path(key: Path | None) -> Path:
    """The key file a verifier reads: ``key`` if given, else the default key's public key
    when it is there, else the default key itself."""
    if key is not None:
        return key
    default = default_key_path()
    public = public_key_path(default)
    return public if public.exists() else default
