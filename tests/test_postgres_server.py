"""The throwaway PostgreSQL server the store's tests run against (see tests/postgres_server.py)."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from .postgres_server import (
    PostgresServer,
    PostgresUnavailableError,
    find_bindir,
    fresh_database,
)


def test_server_answers_on_loopback_only(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version()")).scalar_one()
            listen = conn.execute(text("SHOW listen_addresses")).scalar_one()
            encoding = conn.execute(text("SHOW server_encoding")).scalar_one()
            user = conn.execute(text("SELECT current_user")).scalar_one()
    finally:
        engine.dispose()
    assert version.startswith("PostgreSQL ")
    assert listen == "127.0.0.1"
    assert encoding == "UTF8"
    assert user == "postgres"


def test_fresh_database_is_empty_and_separate(postgres_url: str) -> None:
    first, second = fresh_database(postgres_url), fresh_database(postgres_url)
    assert len({first, second, postgres_url}) == 3
    engines = [create_engine(url) for url in (first, second, postgres_url)]
    try:
        for engine in engines:
            assert inspect(engine).get_table_names() == []
        with engines[0].begin() as conn:
            conn.execute(text("CREATE TABLE only_here (id integer PRIMARY KEY)"))
            conn.execute(text("INSERT INTO only_here VALUES (1)"))
        assert inspect(engines[0]).get_table_names() == ["only_here"]
        assert inspect(engines[1]).get_table_names() == []
        assert inspect(engines[2]).get_table_names() == []
        with engines[0].connect() as conn:
            assert conn.execute(text("SELECT current_database()")).scalar_one().startswith("test_")
    finally:
        for engine in engines:
            engine.dispose()


def test_two_connections_commit_concurrently(postgres_url: str) -> None:
    engine = create_engine(fresh_database(postgres_url), pool_size=2)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE events (id serial PRIMARY KEY, writer text NOT NULL)"))
        # Both transactions have inserted and are still open when either commits.
        both_inserted = threading.Barrier(2, timeout=30)
        errors: list[BaseException] = []

        def write(writer: str) -> None:
            try:
                with engine.connect() as conn:
                    conn.execute(text("INSERT INTO events (writer) VALUES (:w)"), {"w": writer})
                    both_inserted.wait()
                    conn.commit()
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)
                both_inserted.abort()

        threads = [threading.Thread(target=write, args=(name,)) for name in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors
        assert not any(thread.is_alive() for thread in threads)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT writer FROM events ORDER BY writer")).scalars().all()
        assert rows == ["a", "b"]
    finally:
        engine.dispose()


def test_stop_removes_the_cluster_and_frees_the_port() -> None:
    server = PostgresServer(find_bindir())
    try:
        server.start()
        with socket.create_connection(("127.0.0.1", server.port), timeout=5):
            pass
        assert server.data.is_dir()
    finally:
        server.stop()
    assert not server.root.exists()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", server.port), timeout=5):
        pass


def test_missing_binaries_fail_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CHINACOMPLY_PG_BINDIR", str(tmp_path))
    with pytest.raises(PostgresUnavailableError, match="make test"):
        find_bindir()
