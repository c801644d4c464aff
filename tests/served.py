"""A real `chinacomply serve` process for the API and dashboard tests: the CLI run against a
temporary home, a free loopback port, the server started, awaited on /health and stopped."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from .conftest import REPO

START_TIMEOUT = 30.0


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHINACOMPLY_")}
    env["CHINACOMPLY_HOME"] = str(home)
    env["PYTHONPATH"] = str(REPO / "src")
    return env


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m chinacomply ARGS` against the home; fails the test on a non-zero exit."""
    done = subprocess.run(
        [sys.executable, "-m", "chinacomply", *args],
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"chinacomply {' '.join(args)} failed: {done.stderr}"
    return done


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(home: Path) -> Iterator[tuple[str, int, subprocess.Popen[bytes]]]:
    """`chinacomply serve` (default host) over `home` on a free port: (url, port, process),
    answering /health; terminated (killed if need be) when the block ends."""
    port = free_port()
    log = home / "serve.log"
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "chinacomply", "serve", "--port", str(port)],
            env=environment(home),
            cwd=REPO,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        yield url, port, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"chinacomply serve exited with {process.returncode}: {log.read_text()}"
            )
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{url}/health", timeout=2.0).status_code == 200:
                return
        time.sleep(0.1)
    raise AssertionError(f"chinacomply serve did not answer {url}/health in {START_TIMEOUT}s")
