"""Every endpoint but /health needs a token: `Authorization: Bearer <token>`, or the dashboard's
session cookie holding the same token. Read endpoints accept read or write tokens; changes need
write."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from chinacomply.api.errors import ApiError
from chinacomply.services import tokens

COOKIE = "chinacomply_token"


def presented(request: Request) -> str | None:
    """The secret the client sent, from the header or the cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(COOKIE)


def require(scope: str) -> Callable[[Request], Awaitable[tokens.Token]]:
    """A dependency that admits a token with `scope`, else 401 (none or unknown) or 403. Async,
    so a request whose token was verified recently costs no thread hand-off; the store query of
    a first sight runs in the threadpool."""

    async def dependency(request: Request) -> tokens.Token:
        secret = presented(request)
        if not secret:
            raise ApiError(401, "unauthorized", "an API token is required (Authorization: Bearer)")
        token = tokens.cached(secret) or await run_in_threadpool(
            tokens.verify, request.app.state.store, secret
        )
        if token is None:
            raise ApiError(401, "unauthorized", "unknown or revoked API token")
        if not token.allows(scope):
            raise ApiError(403, "forbidden", f"this token has {token.scope} scope; {scope} needed")
        return token

    return dependency


READ = require("read")
WRITE = require("write")
