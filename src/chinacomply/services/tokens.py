"""API tokens: created once (the secret is shown to the user and never stored), checked on every
request by the hash of what the client sends. A write token can do what a read token can."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass

from chinacomply.inventory import repository
from chinacomply.inventory.store import Store

SCOPES = ("read", "write")
PREFIX = "cc_"


@dataclass(frozen=True, slots=True)
class Token:
    id: int
    name: str
    scope: str

    def allows(self, needed: str) -> bool:
        return self.scope == "write" or needed == "read"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create(store: Store, scope: str, name: str, who: str = "cli") -> tuple[Token, str]:
    """A new token and its secret (shown once)."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    secret = PREFIX + secrets.token_urlsafe(32)
    with store.transaction() as session:
        row = repository.add_token(session, name, scope, digest(secret))
        repository.audit(
            session, who, "token.create", "api_token", row.id, {"scope": scope, "name": name}
        )
        token = Token(row.id, row.name, row.scope)
    return token, secret


# Verified tokens, per process: a hit skips the store query (and, on SQLite, its write lock,
# which every transaction takes: at a few hundred requests a second the lock queue, not the
# work, set the latency). Only known tokens are kept, so unknown secrets cannot fill it; a
# revocation written by another process is seen after at most CACHE_SECONDS.
CACHE_SECONDS = 30.0
_verified: dict[str, tuple[float, Token]] = {}
_lock = threading.Lock()


def cached(secret: str) -> Token | None:
    """The token if this process verified it within CACHE_SECONDS (no store access)."""
    hit = _verified.get(digest(secret))
    return hit[1] if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS else None


def verify(store: Store, secret: str) -> Token | None:
    """The token a secret belongs to, or None (unknown or revoked)."""
    if not secret.startswith(PREFIX):
        return None
    known = cached(secret)
    if known is not None:
        return known
    key = digest(secret)
    with store.transaction() as session:
        row = repository.token_by_digest(session, key)
        token = None if row is None else Token(row.id, row.name, row.scope)
    with _lock:
        if token is None:
            _verified.pop(key, None)
        else:
            _verified[key] = (time.monotonic(), token)
    return token
