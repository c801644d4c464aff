"""What every router shares: the store and ledger key of the app, the token dependencies, the
`who` the audit log records, and the error body in the OpenAPI description."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request
from pydantic import BaseModel

from chinacomply.api import auth
from chinacomply.api.errors import ApiError
from chinacomply.inventory.store import Store
from chinacomply.services import tokens

MAX_LIMIT = 1000


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _key(request: Request) -> bytes:
    key: bytes = request.app.state.key
    return key


StoreDep = Annotated[Store, Depends(_store)]
KeyDep = Annotated[bytes, Depends(_key)]
Reader = Annotated[tokens.Token, Depends(auth.READ)]
Writer = Annotated[tokens.Token, Depends(auth.WRITE)]
MAX_ID = 2**63 - 1  # the largest id a database integer column holds
Id = Annotated[int, Path(ge=1, le=MAX_ID, description="The numeric id")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many, newest first")]


def who(token: tokens.Token) -> str:
    """The caller as the audit log names it: the token's name, never its secret."""
    return f"token:{token.name}"


def not_found(what: str, ident: object) -> ApiError:
    return ApiError(404, "not_found", f"no {what} {ident!r}")


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    """Every error: a stable `code` a client can branch on and a message a person can act on."""

    error: ErrorDetail


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error responses of an endpoint, for /docs."""
    meaning = {
        400: "Bad input the service refused (code names the kind: invalid_facts, workflow, ...)",
        401: "No token, or an unknown one (unauthorized)",
        403: "The token's scope does not allow this (forbidden)",
        404: "No such thing (not_found)",
        413: "Upload too large (too_large)",
        422: "Malformed request: bad JSON, wrong types, missing fields (invalid_request)",
    }
    return {s: {"model": ErrorBody, "description": meaning[s]} for s in (401, 422, *statuses)}
