"""A throwaway PostgreSQL server for the tests: started once per session, removed afterwards.

The store's PostgreSQL code is tested against a real server, not a mock. `make test` installs
Debian's `postgresql` package (server binaries only: no system service is started); this module
then runs a private cluster in a temporary directory:

1. find ``initdb`` and ``pg_ctl`` under ``/usr/lib/postgresql/*/bin`` (the newest major version;
   ``CHINACOMPLY_PG_BINDIR`` overrides the folder, for machines that keep them elsewhere);
2. ``initdb`` a data directory there: superuser ``postgres``, ``--auth=trust``, UTF8, locale C.
   PostgreSQL refuses to run as root, so as root every server command runs as the ``postgres``
   OS user (``runuser``) and the temporary directory is handed to that user;
3. ``pg_ctl -w start`` with the server listening on 127.0.0.1 only, on a free port, and its unix
   socket inside the temporary directory (nothing in /var/run, no clash with a system cluster);
4. yield ``postgresql+psycopg://postgres@127.0.0.1:{port}/postgres``;
5. on teardown, even when tests failed: ``pg_ctl -m immediate stop`` and remove the directory.

If the binaries are missing the fixture FAILS, never skips: a skipped PostgreSQL test would
hide a failure, and `make test` installs them. Durability settings are off (``fsync``,
``synchronous_commit``, ``full_page_writes``): they only matter if the machine crashes, which
a throwaway cluster does not survive anyway, and they make commits much faster.

Use it from ``tests/conftest.py`` with ``from .postgres_server import postgres_url``, and call
``fresh_database(postgres_url)`` for a new, empty database per test (or per module) to keep
tests isolated from each other.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

BIN_GLOB = "/usr/lib/postgresql/*/bin"
BINDIR_ENV = "CHINACOMPLY_PG_BINDIR"
SUPERUSER = "postgres"
OS_USER = "postgres"  # the OS account that runs the server when the tests run as root
START_ATTEMPTS = 3  # a free port can be taken by someone else between finding and binding it
TIMEOUT_S = 60

SERVER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "shared_buffers": "32MB",
    "log_min_messages": "warning",
}


class PostgresUnavailableError(RuntimeError):
    """PostgreSQL's server binaries are missing or the throwaway server would not start."""


def find_bindir() -> Path:
    """The folder holding ``initdb`` and ``pg_ctl``: the newest /usr/lib/postgresql/N/bin."""
    override = os.environ.get(BINDIR_ENV)
    if override:
        candidates = [Path(override)]
    else:
        found = [Path(p) for p in glob.glob(BIN_GLOB)]
        candidates = sorted(found, key=_major_version, reverse=True)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    where = override or BIN_GLOB
    raise PostgresUnavailableError(
        f"PostgreSQL server binaries (initdb, pg_ctl) not found in {where}. `make test` installs "
        "them (Debian package `postgresql`); by hand: "
        "`apt-get update && apt-get install -y postgresql` (no service needs to run)."
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PostgresServer:
    """One private cluster in a temporary directory; ``start()`` then ``stop()``."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.as_root = os.geteuid() == 0
        self.root = Path(tempfile.mkdtemp(prefix="chinacomply-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.log = self.root / "server.log"
        self.port = 0
        self.started = False
        self.start_seconds = 0.0  # initdb included
        self.stop_seconds = 0.0

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        """initdb, then start on a free port; retries a few ports if one was taken meanwhile."""
        began = time.perf_counter()
        if self.as_root:
            self._hand_to_os_user()
        self._run_checked(
            [
                str(self.bindir / "initdb"),
                f"--pgdata={self.data}",
                f"--username={SUPERUSER}",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            "initdb",
        )
        self.socket_dir.mkdir()
        if self.as_root:
            shutil.chown(self.socket_dir, user=OS_USER, group=None)
        base_conf = (self.data / "postgresql.conf").read_text("utf-8")
        for attempt in range(1, START_ATTEMPTS + 1):
            self.port = free_port()
            self._write_conf(base_conf)
            result = self._run(
                [
                    str(self.bindir / "pg_ctl"),
                    "start",
                    "--wait",
                    f"--timeout={TIMEOUT_S}",
                    f"--pgdata={self.data}",
                    f"--log={self.log}",
                ]
            )
            if result.returncode == 0:
                self.started = True
                self.start_seconds = time.perf_counter() - began
                return
            if attempt == START_ATTEMPTS:
                raise PostgresUnavailableError(
                    f"pg_ctl start failed {START_ATTEMPTS} times; last output:\n"
                    f"{result.stdout}\n--- server log ---\n{self._log_tail()}"
                )

    def stop(self) -> None:
        """Stop at once (no checkpoint: the data is thrown away) and remove the directory."""
        began = time.perf_counter()
        try:
            if self.started:
                result = self._run(
                    [
                        str(self.bindir / "pg_ctl"),
                        "stop",
                        "--mode=immediate",
                        "--wait",
                        f"--timeout={TIMEOUT_S}",
                        f"--pgdata={self.data}",
                    ]
                )
                if result.returncode != 0:
                    self._kill_postmaster()
                self.started = False
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            self.stop_seconds = time.perf_counter() - began

    # -- helpers ---------------------------------------------------------------------------

    def _hand_to_os_user(self) -> None:
        if shutil.which("runuser") is None:
            raise PostgresUnavailableError("running as root needs `runuser` (util-linux)")
        try:
            shutil.chown(self.root, user=OS_USER, group=None)
        except LookupError as exc:
            raise PostgresUnavailableError(
                f"running as root, but there is no `{OS_USER}` OS user to run PostgreSQL as "
                "(the Debian package `postgresql` creates it)"
            ) from exc
        # The server must reach its directory through every parent (e.g. a TMPDIR under /root).
        probe = self._run(["test", "-w", str(self.root)])
        if probe.returncode != 0:
            raise PostgresUnavailableError(
                f"the `{OS_USER}` OS user cannot write {self.root}; point TMPDIR at a directory "
                "it can reach (e.g. /tmp)"
            )

    def _write_conf(self, base_conf: str) -> None:
        settings = {
            **SERVER_SETTINGS,
            "port": str(self.port),
            "unix_socket_directories": _conf_string(str(self.socket_dir)),
        }
        extra = "".join(f"{key} = {value}\n" for key, value in settings.items())
        conf = self.data / "postgresql.conf"
        conf.write_text(f"{base_conf}\n# chinacomply tests\n{extra}", "utf-8")

    def _command(self, argv: Sequence[str]) -> list[str]:
        if self.as_root:
            return ["runuser", "-u", OS_USER, "--", *argv]
        return list(argv)

    def _run(self, argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        return subprocess.run(
            self._command(argv),
            cwd=self.root,  # readable by the server's user, unlike maybe the caller's cwd
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=TIMEOUT_S + 30,
            check=False,
        )

    def _run_checked(self, argv: Sequence[str], what: str) -> None:
        result = self._run(argv)
        if result.returncode != 0:
            raise PostgresUnavailableError(f"{what} failed ({result.returncode}):\n{result.stdout}")

    def _kill_postmaster(self) -> None:
        """Last resort when pg_ctl stop fails: SIGQUIT is PostgreSQL's immediate shutdown."""
        try:
            pid = int((self.data / "postmaster.pid").read_text("utf-8").split()[0])
            os.kill(pid, signal.SIGQUIT)
        except (OSError, ValueError, IndexError):
            pass

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL of a throwaway PostgreSQL server, up for the whole test session."""
    server = start_server()
    try:
        yield server.url
    finally:
        server.stop()


def start_server() -> PostgresServer:
    """A started server, or a test failure (never a skip) that says what is missing."""
    server: PostgresServer | None = None
    try:
        server = PostgresServer(find_bindir())
        server.start()
        return server
    except PostgresUnavailableError as exc:
        problem = str(exc)
    if server is not None:
        server.stop()
    pytest.fail(f"no PostgreSQL server for the tests: {problem}", pytrace=False)


def fresh_database(url: str) -> str:
    """Create a new, empty, uniquely named database on ``url``'s server; return its URL.

    It is cloned from ``template0``, so nothing another test put into ``template1`` leaks in.
    The databases are not dropped: they go with the throwaway cluster.
    """
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        dbname=parsed.database or "postgres",
        autocommit=True,
    ) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                sql.Identifier(name)
            )
        )
    return parsed.set(database=name).render_as_string(hide_password=False)


def _major_version(bindir: Path) -> tuple[int, str]:
    """``/usr/lib/postgresql/15/bin`` -> (15, "15"): sort numerically, 9.6 below 10."""
    name = bindir.parent.name
    match = re.match(r"\d+", name)
    return (int(match.group()) if match else -1, name)


def _conf_string(value: str) -> str:
    """A postgresql.conf string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
