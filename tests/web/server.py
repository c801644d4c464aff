"""A real `chinacomply serve` process for the dashboard tests, over a fresh CHINACOMPLY_HOME
populated the way `make demo` does it, with the CLI: the examples in the inventory, a filing for
the recipient, a planned (not yet recorded) export of the customer table, and tokens. Nothing
is mocked: the browser talks HTTP to the process."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from ..conftest import EXAMPLES, REPO

START_TIMEOUT = 30.0
RECIPIENT = "Group CRM (Singapore)"


@dataclass(frozen=True)
class Server:
    url: str
    home: Path
    read_token: str
    write_token: str
    plan_id: str  # the planned export of the customer table, recorded by a test
    on: dt.date  # the date the plan was made for (today: the ledger page's default window)


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHINACOMPLY_")}
    env["CHINACOMPLY_HOME"] = str(home)
    env["PYTHONPATH"] = str(REPO / "src")
    return env


def cli(home: Path, *args: str) -> str:
    """`python -m chinacomply ARGS` against the home; its stdout. Fails on a non-zero exit."""
    done = subprocess.run(
        [sys.executable, "-m", "chinacomply", *args],
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"chinacomply {' '.join(args)} failed: {done.stderr}"
    return done.stdout


def populate(home: Path, on: dt.date) -> tuple[str, str, str]:
    """The demo's store (Makefile `demo`), minus the record: (read token, write token, plan id)."""
    cli(home, "inventory", "add", str(EXAMPLES))
    cli(
        home,
        "filing",
        "add",
        "--recipient",
        RECIPIENT,
        "--region",
        "SG",
        "--mechanism",
        "standard_contract",
        "--valid-from",
        on.isoformat(),
        "--reference",
        "SCC-TEST-001",
    )
    planned = cli(
        home,
        "export",
        "plan",
        "--dataset",
        "customers",
        "--recipient",
        RECIPIENT,
        "--region",
        "SG",
        "--as-of",
        on.isoformat(),
    )
    first = planned.splitlines()[0].split()
    assert first[0] == "plan" and len(first) == 2, f"export plan printed {planned!r}"
    read = cli(home, "token", "create", "--scope", "read", "--name", "viewer").strip()
    write = cli(home, "token", "create", "--scope", "write", "--name", "dpo").strip()
    assert read.startswith("cc_") and write.startswith("cc_"), "token create printed no secret"
    return read, write, first[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}: {log.read_text()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{url}/health", timeout=2.0).status_code == 200:
                return
        time.sleep(0.1)
    raise AssertionError(f"the server did not answer {url}/health in {START_TIMEOUT}s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _start(command: list[str], home: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:
        return subprocess.Popen(
            command, env=environment(home), cwd=REPO, stdout=sink, stderr=subprocess.STDOUT
        )


@contextlib.contextmanager
def running() -> Iterator[Server]:
    """`chinacomply serve` on a free loopback port over a freshly populated home."""
    with tempfile.TemporaryDirectory(prefix="chinacomply-web-") as folder:
        home = Path(folder)
        on = dt.date.today()
        read, write, plan_id = populate(home, on)
        port = free_port()
        log = home / "serve.log"
        command = [sys.executable, "-m", "chinacomply", "serve", "--port", str(port)]
        url = f"http://127.0.0.1:{port}"
        process = _start(command, home, log)
        try:
            _wait_ready(url, process, log)
            login = httpx.get(f"{url}/login", timeout=5.0)
            assert login.status_code == 200, (
                f"{url}/login answered {login.status_code}: the dashboard router is not wired "
                "into create_app (api/app.py)"
            )
            yield Server(url, home, read, write, plan_id, on)
        finally:
            _stop(process)
