"""POST /api/aigc/check: upload a file, get its label state, against a real server process."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from . import server as harness

PRODUCER = "001191440300708461136T1XGW3"


@pytest.fixture(scope="module")
def api() -> Iterator[harness.Server]:
    with harness.running(populate=False) as running:
        yield running


def png(path: Path) -> Path:
    Image.new("RGB", (64, 48), (200, 30, 30)).save(path, format="PNG")
    return path


def upload(api: harness.Server, path: Path, **form: str) -> dict[str, Any]:
    with api.reader as client:
        response = client.post(
            "/api/aigc/check",
            files={"file": (path.name, path.read_bytes(), "image/png")},
            data=form,
        )
    assert response.status_code == 200, response.text
    assert "chinacomply-upload-" not in response.text, "the server's temporary path leaked"
    result: dict[str, Any] = response.json()
    return result


def test_unlabelled_png_has_no_implicit_label(api: harness.Server, tmp_path: Path) -> None:
    result = upload(api, png(tmp_path / "poster.png"))
    assert result["path"] == "poster.png"
    assert result["format"] == "png"
    assert result["implicit"]["state"] == "absent"
    cited = {(f["instrument"], f["article"]) for f in result["findings"] if "instrument" in f}
    assert ("LBL25", "5") in cited, result["findings"]
    assert "platform" not in result


def test_labelled_png_has_its_implicit_label(api: harness.Server, tmp_path: Path) -> None:
    source = png(tmp_path / "raw.png")
    labelled = tmp_path / "labelled.png"
    harness.cli(
        api.home,
        "aigc",
        "label",
        str(source),
        "--producer",
        PRODUCER,
        "--produce-id",
        "api-test-1",
        "-o",
        str(labelled),
    )
    result = upload(api, labelled, as_platform="true")
    assert result["path"] == "labelled.png"
    assert result["implicit"]["state"] == "present"
    assert result["implicit"]["label"]["ContentProducer"] == PRODUCER
    assert result["implicit"]["label"]["ProduceID"] == "api-test-1"
    assert result["platform"]["case"] == "declared"


def test_upload_needs_a_file_and_a_token(api: harness.Server, tmp_path: Path) -> None:
    with api.reader as client:
        missing = client.post("/api/aigc/check", data={"as_platform": "true"})
    with api.client() as anonymous:
        path = png(tmp_path / "x.png")
        denied = anonymous.post("/api/aigc/check", files={"file": ("x.png", path.read_bytes())})
    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "invalid_request"
    assert denied.status_code == 401


def test_unknown_file_type_is_a_finding_not_an_error(api: harness.Server, tmp_path: Path) -> None:
    odd = tmp_path / "notes.bin"
    odd.write_bytes(b"\x00\x01 nothing to see")
    result = upload(api, odd)
    assert result["path"] == "notes.bin"
    assert result["format"] is None
    assert [f["code"] for f in result["findings"]] == ["file.unsupported"]


def test_oversized_upload_is_413(api: harness.Server) -> None:
    """A declared length over the cap is refused before the body is sent."""
    connection = http.client.HTTPConnection("127.0.0.1", api.port, timeout=10)
    try:
        connection.putrequest("POST", "/api/aigc/check")
        connection.putheader("Authorization", f"Bearer {api.read_token}")
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(300 * 1024 * 1024))
        connection.endheaders(b"--x\r\n")
        response = connection.getresponse()
        status, payload = response.status, response.read()
    finally:
        connection.close()
    assert status == 413
    assert b'"too_large"' in payload
