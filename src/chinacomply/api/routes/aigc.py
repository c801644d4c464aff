"""AIGC label check of an uploaded file: the upload goes to a temporary file that keeps its
suffix (format detection looks at it), is checked by services.aigc, and is deleted."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from starlette.types import ASGIApp, Receive, Scope, Send

from chinacomply.api.errors import ApiError, body
from chinacomply.api.routes.common import Reader, errors
from chinacomply.services import aigc

router = APIRouter(prefix="/api", tags=["aigc"])

PATH = "/api/aigc/check"
MAX_UPLOAD = aigc.MAX_UPLOAD  # bytes; larger uploads get 413 too_large


def too_large() -> ApiError:
    return ApiError(413, "too_large", f"uploads are limited to {MAX_UPLOAD // (1024 * 1024)} MB")


class UploadLimit:
    """Refuse an upload whose declared length is over the limit before its body is read (the
    form parser would otherwise spool all of it first). Uploads without a length are counted
    by the endpoint as they are copied."""

    def __init__(self, app: ASGIApp, limit: int = MAX_UPLOAD) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH:
            length = dict(scope["headers"]).get(b"content-length", b"")
            if length.isdigit() and int(length) > self.limit:
                err = too_large()
                payload = json.dumps(body(err.code, err.message)).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 413,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(payload)).encode()),
                            (b"connection", b"close"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": payload})
                return
        await self.app(scope, receive, send)


@router.post("/aigc/check", responses=errors(413))
def check(
    file: Annotated[UploadFile, File(description="The file to check (at most 200 MB)")],
    _: Reader,
    as_platform: Annotated[
        bool, Form(description="Also decide the platform's LBL25 Art. 6 action")
    ] = False,
    user_declared: Annotated[
        bool, Form(description="With as_platform: the uploader declared AI content")
    ] = False,
    as_of: Annotated[dt.date | None, Query(description="Apply the rules of this date")] = None,
) -> dict[str, Any]:
    """The file's implicit (metadata), explicit (visible) and C2PA label state with findings
    citing LBL25 and GB 45438 — the per-file JSON of `aigc check --format json`; `path` is
    the uploaded file's name."""
    options = aigc.CheckOptions(
        on=as_of or dt.date.today(), as_platform=as_platform, user_declared=user_declared
    )
    try:
        return aigc.check_upload(file.file, file.filename, options)
    except aigc.UploadTooLargeError:
        raise too_large() from None
