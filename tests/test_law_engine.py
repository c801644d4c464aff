"""The law engine every pack shares: a pack is a folder the engine loads without code of its
own (proved with a toy pack from the test tree), and every pack's data holds together."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chinacomply.rules import engine, law, periods
from chinacomply.rules import pack as packs
from chinacomply.rules.facts import FactsError

from .conftest import REPO

TOY = REPO / "tests" / "fixtures" / "toy_pack"


def run_with_toy(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, packs.PACKS_ENV: str(TOY)}
    return subprocess.run(
        [sys.executable, "-m", "chinacomply", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=False,
    )


def test_a_pack_from_the_test_tree_is_assessed_with_no_engine_code(tmp_path: Path) -> None:
    facts = tmp_path / "toy.yaml"
    facts.write_text("pack: toy\nas_of: 2025-10-01\ncount: 10\nhappened_on: 2025-09-30\n", "utf-8")
    result = run_with_toy("assess", str(facts), "--format", "json")
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert (decision["pack"], decision["outcome"]) == ("toy", "over")
    # five working days after 2025-09-30 skip the National Day week and count Saturday 10-11
    assert decision["deadlines"][0]["by"] == "2025-10-14"
    days = next(t for t in decision["trace"] if t["rule"] == "parameter:toy.days")
    assert "[unverified]" in days["why"]
    listed = run_with_toy("rules", "list", "--pack", "toy", "--as-of", "2025-10-01")
    assert "toy.over" in listed.stdout and "toy.report" in listed.stdout
    explained = run_with_toy("rules", "explain", "toy.over")
    assert "The count reaches the threshold." in explained.stdout


def test_a_toy_fact_left_out_is_named(tmp_path: Path) -> None:
    facts = tmp_path / "toy.yaml"
    facts.write_text("pack: toy\ncount: 3\n", "utf-8")
    result = run_with_toy("assess", str(facts))
    assert result.returncode == 2
    assert f"{facts}: happened_on: required" in result.stderr


def test_a_pack_whose_code_and_data_disagree_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("pack.yaml", "rules.yaml", "parameters.yaml", "__init__.py"):
        text = (TOY / name).read_text("utf-8").replace("id: toy\n", "id: broken\n")
        (broken / name).write_text(text, "utf-8")  # no duties.yaml: toy.report has no rule
    with pytest.raises(
        law.LawDataError, match=r"broken: .*no condition for \[\], no rule for \['toy.report'\]"
    ):
        packs.load_folder(broken)


def test_an_unknown_pack_is_a_facts_error() -> None:
    with pytest.raises(FactsError, match="unknown rule pack 'nope'"):
        packs.parse_facts({"pack": "nope"})


def test_an_unknown_policy_is_refused_per_pack() -> None:
    facts = packs.parse_facts({"as_of": "2025-06-30", "volumes": {}})
    with pytest.raises(engine.PolicyError, match="has no policy 'nope'"):
        engine.evaluate(facts, policies={"nope": "x"})
    with pytest.raises(engine.PolicyError, match="not name=option"):
        engine.policy_settings(["separate_consent"])


ALL = list(packs.packs().values())


@pytest.mark.parametrize("pack", ALL, ids=[p.id for p in ALL])
def test_every_rule_and_duty_cites_an_article_and_explains_itself(pack: packs.Pack) -> None:
    for meta in (*pack.rules, *pack.duties):
        assert meta.citation.instrument in law.instruments(), meta.id
        assert meta.citation.article.strip(), meta.id
        assert all(c.instrument in law.instruments() for c in meta.explains), meta.id
        assert meta.title, meta.id
        assert (pack.conditions[meta.id].__doc__ or "").strip(), f"{meta.id} has no docstring"
        if meta.is_duty:
            assert meta.text, meta.id


@pytest.mark.parametrize("pack", ALL, ids=[p.id for p in ALL])
def test_every_parameter_value_is_cited_and_sourced(pack: packs.Pack) -> None:
    for name, values in pack.parameters.items():
        for value in values:
            instrument = law.instruments()[value.citation.instrument]
            assert value.citation.article, name
            assert value.source or instrument.url, f"{name} from {value.effective_from}"


@pytest.mark.parametrize("pack", ALL, ids=[p.id for p in ALL])
def test_every_pack_refuses_empty_facts(pack: packs.Pack) -> None:
    with pytest.raises(FactsError, match="required"):
        pack.parse({"pack": pack.id})


def test_policy_names_are_unique_across_packs() -> None:
    names = [name for pack in ALL for name in pack.policies]
    assert len(names) == len(set(names))


def test_ruleset_hash_covers_data_and_code() -> None:
    digests = {pack.sha256 for pack in ALL}
    assert len(digests) == len(ALL) and all(len(d) == 64 for d in digests)


# --- periods (Civil Code Arts. 201-203, working days, hours) -------------------------------


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        ("2025-06-30", 2, "2025-09-01"),  # 2025-08-30 is a Saturday: the next working day
        ("2025-12-31", 2, "2026-02-28"),  # no 31 February: the last day, a make-up Saturday
        ("2026-03-31", 2, "2026-06-01"),  # 31 May 2026 is a Sunday: Monday 1 June
    ],
)
def test_months_after(start: str, count: int, expected: str) -> None:
    last = periods.months_after(dt.date.fromisoformat(start), count)
    assert last == dt.date.fromisoformat(expected)


def test_calendar_days_end_on_a_working_day() -> None:
    # handling ended 2025-09-01: 30 days end on 2025-10-01, inside the National Day holiday
    assert periods.calendar_days_after(dt.date(2025, 9, 1), 30) == dt.date(2025, 10, 9)


def test_hours_keep_the_zone_and_read_naive_moments_in_shanghai() -> None:
    naive = dt.datetime(2026, 3, 2, 23, 30)
    due = periods.hours_after(naive, 1)
    assert due.isoformat() == "2026-03-03T00:30:00+08:00"
    utc = dt.datetime(2026, 3, 2, 15, 30, tzinfo=dt.UTC)
    assert periods.hours_after(utc, 4).isoformat() == "2026-03-02T19:30:00+00:00"


def test_from_inventory_fills_the_count_and_names_each_dataset(tmp_path: Path) -> None:
    from chinacomply.inventory.store import open_store
    from chinacomply.services import views

    db = tmp_path / "inventory.db"
    added = run_with_toy("inventory", "add", str(REPO / "examples"), "--db", str(db))
    assert added.returncode == 0, added.stderr
    store = open_store(f"sqlite:///{db}")
    try:
        held = [d for d in views.datasets(store) if set(d["pi_types"]) - {"uscc"}]
    finally:
        store.close()
    counted = [d for d in held if d["individuals"] is not None]
    facts = tmp_path / "toy.yaml"
    facts.write_text("pack: toy\nas_of: 2025-10-01\nhappened_on: 2025-09-30\n", "utf-8")
    result = run_with_toy(
        "assess", str(facts), "--from-inventory", "--db", str(db), "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    note = next(t for t in decision["trace"] if t["rule"] == "inventory:count")
    total = sum(d["individuals"] for d in counted)
    assert note["why"].startswith(f"{total:,} in all")
    assert all(d["source"] in note["why"] for d in held)
    assert decision["outcome"] == ("over" if total >= 10 else "under")
    # a fact given in the file and asked from the inventory is refused, not silently replaced
    facts.write_text("pack: toy\ncount: 3\nhappened_on: 2025-09-30\n", "utf-8")
    clash = run_with_toy("assess", str(facts), "--from-inventory", "--db", str(db))
    assert clash.returncode == 2 and "count: given in the file" in clash.stderr
