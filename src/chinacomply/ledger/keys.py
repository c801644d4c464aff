"""Keyed hashes of subject keys: the only form in which an individual reaches the ledger.

HMAC-SHA256 with a secret key kept in a file outside the database (created on first use with
mode 0600). Without the key, the stored hashes cannot be matched against guessed ID numbers or
phone numbers, which a plain hash of an 18-digit ID would allow in minutes.
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path

DIGEST_BYTES = 16  # 128 bits: collisions among 10^8 people have odds below 10^-22


class KeyFileError(ValueError):
    """The key file is unreadable or malformed; the message names it."""


def load_or_create(path: Path) -> bytes:
    """The ledger key, creating it (32 random bytes, hex, mode 0600) if the file is missing.
    Written to a temporary name and renamed, so a crash never leaves half a key."""
    if path.exists():
        text = path.read_text("ascii").strip()
        try:
            key = bytes.fromhex(text)
        except ValueError:
            raise KeyFileError(f"{path}: not a hex key") from None
        if len(key) < 32:
            raise KeyFileError(f"{path}: key shorter than 32 bytes")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex() + "\n")
    try:
        os.link(tmp, path)  # fails if another process created the key meanwhile
    except FileExistsError:
        tmp.unlink()
        return load_or_create(path)
    tmp.unlink()
    return key


def digests(key: bytes, entity_type: str, canonicals: Iterable[str]) -> Iterator[bytes]:
    """Keyed hashes of subject keys in canonical form. The entity type is part of the message,
    so a phone number and an account number with the same digits never meet."""
    prefix = f"{entity_type}\0".encode()
    one = hmac.digest  # OpenSSL's one-shot HMAC: the fastest per-key call the stdlib offers
    for canonical in canonicals:
        yield one(key, prefix + canonical.encode(), "sha256")[:DIGEST_BYTES]
