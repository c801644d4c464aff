"""The inventory and the export ledger end to end, on a real SQLite file: plan, record, count
per window, refuse what the law requires first, survive a kill, and never store a raw ID."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from chinacomply.inventory.store import Store, open_store
from chinacomply.ledger import keys as ledger_keys
from chinacomply.scan.recognizers import cn_resident_id
from chinacomply.services import export as export_service
from chinacomply.services import inventory as inventory_service
from chinacomply.services.options import ScanOptions

from .conftest import REPO
from .postgres_server import fresh_database


def ids(n: int, start: int = 0) -> list[str]:
    """n distinct valid resident ID numbers."""
    out = []
    for i in range(start, start + n):
        day = dt.date(1960, 1, 1) + dt.timedelta(days=i % 15000)
        first17 = f"110105{day:%Y%m%d}{i // 15000 % 1000:03d}"
        out.append(first17 + cn_resident_id.check_char(first17))
    return out


def people_csv(path: Path, n: int, start: int = 0, with_card: bool = False) -> Path:
    lines = ["姓名,身份证号,手机号" + (",银行卡号" if with_card else "")]
    for i, rid in enumerate(ids(n, start)):
        row = f"张伟,{rid},138{(start + i) % 10**8:08d}"
        lines.append(row + (",6222021234567890128" if with_card else ""))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("CHINACOMPLY_HOME", str(folder))
    monkeypatch.delenv("CHINACOMPLY_DB", raising=False)
    return folder


def _env(home: Path, db: str | None = None) -> dict[str, str]:
    env = {**os.environ, "CHINACOMPLY_HOME": str(home)}
    env.pop("CHINACOMPLY_DB", None)
    if db is not None:
        env["CHINACOMPLY_DB"] = db
    return env


def cli(*args: str, env_home: Path, db: str | None = None) -> subprocess.CompletedProcess[str]:
    env = _env(env_home, db)
    return subprocess.run(
        [sys.executable, "-m", "chinacomply", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=False,
    )


def test_workflow_from_the_command_line(home: Path, tmp_path: Path) -> None:
    data = people_csv(tmp_path / "crm.csv", 300, with_card=True)
    added = cli("inventory", "add", str(data), env_home=home)
    assert added.returncode == 0, added.stderr
    assert "300 individuals" in added.stdout
    plan = cli(
        "export",
        "plan",
        "--dataset",
        "crm",
        "--recipient",
        "HQ",
        "--region",
        "SG",
        "--as-of",
        "2026-03-02",
        "--format",
        "json",
        env_home=home,
    )
    assert plan.returncode == 0, plan.stderr
    planned = json.loads(plan.stdout)
    assert planned["new_sensitive"] == 300 and planned["new_non_sensitive"] == 300
    assert planned["decision"]["pathway"] == "standard_contract_or_certification"

    refused = cli("export", "record", planned["plan_id"], env_home=home)
    assert refused.returncode == 2 and "filing add" in refused.stderr
    filed = cli(
        "filing",
        "add",
        "--recipient",
        "HQ",
        "--region",
        "SG",
        "--mechanism",
        "standard_contract",
        "--valid-from",
        "2026-02-01",
        env_home=home,
    )
    assert filed.returncode == 0, filed.stderr
    recorded = cli("export", "record", planned["plan_id"], env_home=home)
    assert recorded.returncode == 0 and "ESCALATION" in recorded.stdout  # first sensitive person
    again = cli("export", "record", planned["plan_id"], env_home=home)
    assert again.returncode == 0 and "already recorded" in again.stdout

    status = json.loads(
        cli("ledger", "status", "--as-of", "2026-03-02", "--format", "json", env_home=home).stdout
    )
    assert (status["non_sensitive"], status["sensitive"]) == (300, 300)
    assert (home / "ledger.key").stat().st_mode & 0o777 == 0o600


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, home: Path) -> str:
    """A fresh database of each kind: a SQLite file, and a database on the test PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{home / 'test.db'}"
    return fresh_database(request.getfixturevalue("postgres_url"))


@pytest.fixture
def workspace(home: Path, database: str) -> Iterator[tuple[Store, bytes]]:
    store = open_store(database)
    key = ledger_keys.load_or_create(home / "ledger.key")
    yield store, key
    store.close()


def _add(store: Store, path: Path) -> str:
    ((dataset_id, _),) = list(inventory_service.add(store, [str(path)], ScanOptions()))
    return str(dataset_id)


def test_individuals_count_once_per_window(workspace: tuple[Store, bytes], tmp_path: Path) -> None:
    store, key = workspace
    first = _add(store, people_csv(tmp_path / "a.csv", 200))
    overlap = _add(store, people_csv(tmp_path / "b.csv", 200, start=150))  # 50 shared people
    on = dt.date(2025, 5, 1)
    p1 = export_service.plan(store, key, first, "HQ", "US", on)
    export_service.record(store, p1.plan_id)
    p2 = export_service.plan(store, key, overlap, "HQ", "US", on)
    assert p2.new_non_sensitive == 150
    export_service.record(store, p2.plan_id)
    assert export_service.status(store, on).non_sensitive == 350
    # a new calendar year starts a new window under P24 ...
    assert (
        export_service.plan(store, key, first, "HQ", "US", dt.date(2026, 1, 2)).new_non_sensitive
        == 200
    )


def test_m22_window_reaches_back_to_the_previous_year(
    workspace: tuple[Store, bytes], tmp_path: Path
) -> None:
    store, key = workspace
    data = _add(store, people_csv(tmp_path / "a.csv", 120))
    facts = {"handler": {"processed_individuals": 5000}}
    p1 = export_service.plan(store, key, data, "HQ", "US", dt.date(2022, 10, 1), extra_facts=facts)
    export_service.record(store, p1.plan_id, force=True)
    later = export_service.plan(
        store, key, data, "HQ", "US", dt.date(2023, 5, 1), extra_facts=facts
    )
    assert (
        later.new_non_sensitive == 0
    )  # 2022 still counts in 2023 (since 1 January of the previous year)


def test_transfers_exempt_on_a_ground_stay_out_of_the_counters(
    workspace: tuple[Store, bytes], tmp_path: Path
) -> None:
    store, key = workspace
    data = _add(store, people_csv(tmp_path / "staff.csv", 80))
    on = dt.date(2025, 6, 1)
    hr = export_service.plan(store, key, data, "HQ", "US", on, ground="hr")
    assert hr.decision.decided_rule == "p24.5.2.hr"
    export_service.record(store, hr.plan_id)
    assert export_service.status(store, on).non_sensitive == 0
    small = export_service.plan(store, key, data, "HQ", "US", on)
    assert small.decision.decided_rule == "p24.5.4.small_volume"  # exempt by volume: counted
    export_service.record(store, small.plan_id)
    assert export_service.status(store, on).non_sensitive == 80


def test_record_commits_what_was_planned(workspace: tuple[Store, bytes], tmp_path: Path) -> None:
    """The ledger counts the individuals the decision was made on, even if the file grows
    between plan and record (the next plan sees the rest)."""
    store, key = workspace
    path = people_csv(tmp_path / "a.csv", 50)
    dataset = _add(store, path)
    made = export_service.plan(store, key, dataset, "HQ", "US", dt.date(2025, 6, 1))
    people_csv(path, 60)
    export_service.record(store, made.plan_id)
    assert export_service.status(store, dt.date(2025, 6, 1)).non_sensitive == 50
    assert (
        export_service.plan(store, key, dataset, "HQ", "US", dt.date(2025, 6, 1)).new_non_sensitive
        == 10
    )


def test_decisions_and_audit_log_are_append_only(
    workspace: tuple[Store, bytes], tmp_path: Path
) -> None:
    store, key = workspace
    export_service.plan(
        store, key, _add(store, people_csv(tmp_path / "a.csv", 5)), "HQ", "US", dt.date(2025, 6, 1)
    )
    for table in ("decisions", "audit_log"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), store.engine.begin() as conn:
            conn.execute(sa.text(f"DELETE FROM {table}"))


def test_no_raw_identifier_reaches_the_database_or_any_output(home: Path, tmp_path: Path) -> None:
    canary_id, canary_phone = ids(1, start=4242)[0], "13912345678"
    path = tmp_path / "canary.csv"
    path.write_text(
        f"姓名,身份证号,手机号\n李四,{canary_id},{canary_phone}\n王五,{ids(1, 7)[0]},13800000001\n",
        encoding="utf-8",
    )
    outputs = [
        cli("inventory", "add", str(path), env_home=home),
        cli(
            "export",
            "plan",
            "--dataset",
            "canary",
            "--recipient",
            "HQ",
            "--region",
            "US",
            "--as-of",
            "2025-06-01",
            "--format",
            "json",
            env_home=home,
        ),
    ]
    plan_id = json.loads(outputs[-1].stdout)["plan_id"]
    outputs.append(cli("export", "record", plan_id, "--force", env_home=home))
    outputs.append(cli("ledger", "status", env_home=home))
    for out in outputs:
        assert out.returncode == 0, out.stderr
        for secret in (canary_id, canary_phone, canary_id[:17]):
            assert secret not in out.stdout and secret not in out.stderr
    stored = b"".join(p.read_bytes() for p in home.iterdir())
    for secret in (canary_id, canary_phone, canary_id[:17], canary_id[:17].encode().hex()):
        assert secret.encode() not in stored


def test_killing_a_record_leaves_the_ledger_whole_or_untouched(home: Path, tmp_path: Path) -> None:
    data = people_csv(tmp_path / "big.csv", 150_000)
    assert cli("inventory", "add", str(data), env_home=home).returncode == 0
    outcomes = set()
    for delay in (0.3, 0.8, 1.4):
        plan = cli(
            "export",
            "plan",
            "--dataset",
            "big",
            "--recipient",
            f"R{delay}",
            "--region",
            "US",
            "--as-of",
            "2025-06-01",
            "--format",
            "json",
            env_home=home,
        )
        plan_id = json.loads(plan.stdout)["plan_id"]
        env = {**os.environ, "CHINACOMPLY_HOME": str(home)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "chinacomply", "export", "record", plan_id, "--force"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        db = sqlite3.connect(home / "chinacomply.db")
        (status,) = db.execute(
            "SELECT status FROM transfers WHERE plan_id = ?", (plan_id,)
        ).fetchone()
        (entries,) = db.execute(
            "SELECT COUNT(*) FROM ledger_entries e JOIN transfers t ON t.id = e.transfer_id "
            "WHERE t.plan_id = ?",
            (plan_id,),
        ).fetchone()
        db.close()
        assert (status, entries) in {("planned", 0), ("recorded", 150_000)}
        outcomes.add(status)
        assert cli("export", "record", plan_id, "--force", env_home=home).returncode == 0
    totals = json.loads(
        cli("ledger", "status", "--as-of", "2025-06-01", "--format", "json", env_home=home).stdout
    )
    assert totals["non_sensitive"] == 150_000


def test_two_processes_recording_at_once_never_lose_or_duplicate(
    home: Path, tmp_path: Path, database: str
) -> None:
    a = people_csv(tmp_path / "a.csv", 20_000)
    b = people_csv(tmp_path / "b.csv", 20_000, start=10_000)  # 10,000 shared
    assert cli("inventory", "add", str(a), str(b), env_home=home, db=database).returncode == 0
    plans = []
    for name in ("a", "b"):
        out = cli(
            *("export", "plan", "--dataset", name, "--recipient", "HQ", "--region", "US"),
            *("--as-of", "2025-06-01", "--format", "json"),
            env_home=home,
            db=database,
        )
        plans.append(json.loads(out.stdout)["plan_id"])
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "chinacomply", "export", "record", p, "--force"],
            cwd=REPO,
            env=_env(home, database),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for p in (*plans, plans[0])  # the first plan twice, racing itself
    ]
    assert [p.wait() for p in procs] == [0, 0, 0]
    status = cli(
        "ledger", "status", "--as-of", "2025-06-01", "--format", "json", env_home=home, db=database
    )
    assert json.loads(status.stdout)["non_sensitive"] == 30_000
    engine = sa.create_engine(database)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM ledger_entries")).scalar() == 40_000
    engine.dispose()
