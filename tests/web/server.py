"""A real `chinacomply serve` process for the dashboard tests, over a fresh CHINACOMPLY_HOME
populated the way `make demo` does it, with the CLI: the examples in the inventory, a filing for
the recipient, a planned (not yet recorded) export of the customer table, and tokens. Nothing
is mocked: the browser talks HTTP to the process."""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from .. import served
from ..conftest import EXAMPLES

RECIPIENT = "Group CRM (Singapore)"


@dataclass(frozen=True)
class Server:
    url: str
    home: Path
    read_token: str
    write_token: str
    plan_id: str  # the planned export of the customer table, recorded by a test
    on: dt.date  # the date the plan was made for (today: the ledger page's default window)


def _cli(home: Path, *args: str) -> str:
    return served.cli(home, *args).stdout


def populate(home: Path, on: dt.date) -> tuple[str, str, str]:
    """The demo's store (Makefile `demo`), minus the record: (read token, write token, plan id)."""
    _cli(home, "inventory", "add", str(EXAMPLES))
    _cli(
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
    planned = _cli(
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
    read = _cli(home, "token", "create", "--scope", "read", "--name", "viewer").strip()
    write = _cli(home, "token", "create", "--scope", "write", "--name", "dpo").strip()
    assert read.startswith("cc_") and write.startswith("cc_"), "token create printed no secret"
    return read, write, first[1]


@contextlib.contextmanager
def running() -> Iterator[Server]:
    """`chinacomply serve` on a free loopback port over a freshly populated home."""
    with tempfile.TemporaryDirectory(prefix="chinacomply-web-") as folder:
        home = Path(folder)
        on = dt.date.today()
        read, write, plan_id = populate(home, on)
        with served.serving(home) as (url, _, _):
            login = httpx.get(f"{url}/login", timeout=5.0)
            assert login.status_code == 200, (
                f"{url}/login answered {login.status_code}: the dashboard router is not wired "
                "into create_app (api/app.py)"
            )
            yield Server(url, home, read, write, plan_id, on)
