"""A real `chinacomply serve` process on loopback for the API tests: a fresh CHINACOMPLY_HOME,
a read and a write token made with `chinacomply token create`, the examples scanned through the
API itself. Nothing is mocked; the tests talk HTTP to the process."""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from .. import served
from ..conftest import EXAMPLES

cli = served.cli

SCAN_TIMEOUT = 60.0


@dataclass(frozen=True)
class Server:
    url: str
    port: int
    home: Path
    read_token: str
    write_token: str
    process: subprocess.Popen[bytes]

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30.0)

    @property
    def reader(self) -> httpx.Client:
        return self.client(self.read_token)

    @property
    def writer(self) -> httpx.Client:
        return self.client(self.write_token)


def token(home: Path, scope: str, name: str) -> str:
    secret = cli(home, "token", "create", "--scope", scope, "--name", name).stdout.strip()
    assert secret.startswith("cc_"), f"token create printed {secret!r}"
    return secret


def wait_for_scan(client: httpx.Client, job_id: str) -> dict[str, Any]:
    """Poll a scan job until it is done or failed."""
    deadline = time.monotonic() + SCAN_TIMEOUT
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/scans/{job_id}").raise_for_status().json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"scan {job_id} did not finish in {SCAN_TIMEOUT}s")


@contextlib.contextmanager
def running(populate: bool = True) -> Iterator[Server]:
    """A server over a fresh home, bound with the serve command's default host; with
    `populate`, the bundled examples scanned into it through POST /api/scans."""
    with tempfile.TemporaryDirectory(prefix="chinacomply-api-") as folder:
        home = Path(folder)
        read_secret = token(home, "read", "dashboard")
        write_secret = token(home, "write", "pipeline")
        with served.serving(home) as (url, port, process):
            server = Server(url, port, home, read_secret, write_secret, process)
            if populate:
                with server.writer as client:
                    queued = client.post("/api/scans", json={"targets": [str(EXAMPLES)]})
                    assert queued.status_code == 202, queued.text
                    job = wait_for_scan(client, queued.json()["id"])
                    assert job["status"] == "done", job
            yield server
