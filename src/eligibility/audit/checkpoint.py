"""Signed checkpoints: the store's head, anchored outside the store.

A checkpoint says "store S held N records, the N-th of which has hash H", signed with an
Ed25519 key that the store never holds, as transparency logs do (Certificate
Transparency's signed tree heads, Sigstore Rekor's checkpoints). The chain's hashes have no
secret, so someone who can write the store can rewrite records and recompute every hash;
they cannot make record N hash to H again, nor sign a checkpoint. Verifying a store against
a checkpoint (``audit verify --checkpoint FILE``) proves that the log still extends it: the
record at position N still has hash H, and the chain from it to the current head verifies.

A checkpoint file is JSON: ``format``, ``store`` (the store's id), ``size``, ``head``,
``signed_at``, ``key`` (the signing key's id) and ``signature`` (base64), the signature
covering the canonical JSON of all the other fields. The record itself
(:class:`~eligibility.audit.verify.Checkpoint`) lives with the verification that reads it;
this module signs and reads checkpoint files.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from eligibility.audit.keys import key_id
from eligibility.audit.store import AuditStore
from eligibility.audit.verify import CHECKPOINT_FORMAT, Checkpoint, Verification, verify_snapshot
from eligibility.errors import InputFileError

MAX_SIZE = 64 * 1024  # bytes: a checkpoint is a few hundred


def sign(store_id: str, size: int, head: str, key: Ed25519PrivateKey) -> Checkpoint:
    """A checkpoint of a store's head, signed now with ``key``."""
    unsigned = Checkpoint(
        store=store_id,
        size=size,
        head=head,
        signed_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        key=key_id(key.public_key()),
    )
    signature = base64.b64encode(key.sign(unsigned.payload())).decode()
    return Checkpoint(**{**asdict(unsigned), "signature": signature})


def make_checkpoint(
    store: AuditStore, key: Ed25519PrivateKey, previous: Checkpoint | None = None
) -> tuple[Verification, Checkpoint | None]:
    """Verify the store (against ``previous`` when given) and sign a checkpoint of its head.

    A store that does not verify is not signed (signing it would vouch for the tampering):
    the checkpoint is then None and the verification says why. Verifying and reading the
    head happen in one snapshot, so the checkpoint is of what was verified.
    """
    with store.snapshot():
        result = verify_snapshot(store, previous)
        if not result.ok or result.store_id is None or result.head is None:
            return result, None
        return result, sign(result.store_id, result.records, result.head, key)


def parse_checkpoint(data: bytes, source: str) -> Checkpoint:
    """A checkpoint from a file's content (its signature not checked yet).

    Raises:
        InputFileError: it is not a checkpoint file.
    """
    try:
        raw: Any = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise InputFileError(source, "is not a checkpoint (not JSON)") from None
    if not isinstance(raw, dict) or raw.get("format") != CHECKPOINT_FORMAT:
        raise InputFileError(source, f"is not a checkpoint (no format {CHECKPOINT_FORMAT!r})")
    kinds = {"store": str, "size": int, "head": str, "signed_at": str, "key": str}
    for name, kind in {**kinds, "signature": str}.items():
        if type(raw.get(name)) is not kind:
            raise InputFileError(source, f"is not a checkpoint: {name} is missing or malformed")
    if raw["size"] < 0 or set(raw) != {"format", *kinds, "signature"}:
        raise InputFileError(source, "is not a checkpoint: unexpected fields or size")
    return Checkpoint(**{k: raw[k] for k in (*kinds, "signature")})


def check_signature(checkpoint: Checkpoint, public: Ed25519PublicKey, source: str) -> None:
    """Check that ``public``'s private key signed the checkpoint.

    Raises:
        InputFileError: it was signed by another key, or altered since it was signed.
    """
    expected = key_id(public)
    if checkpoint.key != expected:
        raise InputFileError(
            source,
            f"was signed by key {checkpoint.key}, not by the key given ({expected})",
        )
    try:
        public.verify(base64.b64decode(checkpoint.signature, validate=True), checkpoint.payload())
    except (InvalidSignature, binascii.Error):
        raise InputFileError(
            source, "its signature does not verify: the checkpoint was altered"
        ) from None


def read_checkpoint(path: Path, public: Ed25519PublicKey) -> Checkpoint:
    """Read a checkpoint file and check its signature with ``public``.

    Raises:
        InputFileError: unreadable, not a checkpoint, or not signed by that key.
    """
    try:
        with path.open("rb") as f:
            data = f.read(MAX_SIZE + 1)
    except OSError as exc:
        raise InputFileError(str(path), f"cannot read the checkpoint: {exc.strerror}") from None
    if len(data) > MAX_SIZE:
        raise InputFileError(str(path), "is not a checkpoint (too large)")
    checkpoint = parse_checkpoint(data, str(path))
    check_signature(checkpoint, public, str(path))
    return checkpoint
