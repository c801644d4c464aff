"""Errors as JSON with a stable code: `{"error": {"code": "...", "message": "..."}}`. A user's
mistake is a 4xx with a message they can act on, never a 500."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from chinacomply.rules.engine import PolicyError
from chinacomply.rules.facts import FactsError
from chinacomply.services.aigc import AigcError
from chinacomply.services.export import WorkflowError
from chinacomply.sources.errors import SourceError


class ApiError(Exception):
    """Raised by routes: an HTTP status, a stable code and a message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


# Domain errors a service raises for bad input, and the code each becomes (all 400).
BAD_INPUT: dict[type[Exception], str] = {
    PolicyError: "invalid_policy",
    FactsError: "invalid_facts",
    WorkflowError: "workflow",
    SourceError: "bad_source",
    AigcError: "aigc",
}
HTTP_CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into the JSON error body."""

    @app.exception_handler(ApiError)
    async def _api(_: Request, err: ApiError) -> JSONResponse:
        return JSONResponse(body(err.code, err.message), status_code=err.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        first = err.errors()[0] if err.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        message = f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
        return JSONResponse(body("invalid_request", message), status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, err: HTTPException) -> JSONResponse:
        code = HTTP_CODES.get(err.status_code, "http_error")
        return JSONResponse(body(code, str(err.detail)), status_code=err.status_code)

    for kind, code in BAD_INPUT.items():

        def handler(_: Request, err: Exception, code: str = code) -> JSONResponse:
            return JSONResponse(body(code, str(err)), status_code=400)

        app.add_exception_handler(kind, handler)
