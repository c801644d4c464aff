"""AIGC label check of an uploaded file: the upload goes to a temporary file that keeps its
suffix (format detection looks at it), is checked by services.aigc, and is deleted."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from starlette.types import ASGIApp, Receive, Scope, Send

from chinacomply.api.errors import ApiError, body
from chinacomply.api.routes.common import Reader, errors
from chinacomply.services import aigc

router = APIRouter(prefix="/api", tags=["aigc"])

PATH = "/api/aigc/check"
MAX_UPLOAD = 200 * 1024 * 1024  # bytes; larger uploads get 413 too_large
CHUNK = 1024 * 1024
SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")


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


def shown_name(filename: str | None) -> str:
    """The name the client gave, without any folders (never a server path)."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name or "upload"


def _rename(value: Any, temp: str, name: str) -> Any:
    """The result with the temporary path replaced by the upload's name, wherever it appears."""
    if isinstance(value, str):
        return value.replace(temp, name)
    if isinstance(value, list):
        return [_rename(v, temp, name) for v in value]
    if isinstance(value, dict):
        return {k: _rename(v, temp, name) for k, v in value.items()}
    return value


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
    name = shown_name(file.filename)
    suffix = Path(name).suffix
    options = aigc.CheckOptions(
        on=as_of or dt.date.today(), as_platform=as_platform, user_declared=user_declared
    )
    with tempfile.TemporaryDirectory(prefix="chinacomply-upload-") as folder:
        temp = Path(folder) / ("upload" + (suffix if SUFFIX.fullmatch(suffix) else ""))
        copied = 0
        with temp.open("wb") as out:
            while chunk := file.file.read(CHUNK):
                copied += len(chunk)
                if copied > MAX_UPLOAD:
                    raise too_large()
                out.write(chunk)
        result = aigc.check_file(temp, options).to_dict()
    renamed: dict[str, Any] = _rename(result, str(temp), name)
    renamed["path"] = name
    return renamed
