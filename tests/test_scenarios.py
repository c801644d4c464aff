"""Every worked legal case passes, for every pack: the shared development set of export cases
when it is beside the repository, the copy kept under tests/scenarios either way, and each
pack's own dev cases (tests/scenarios/<pack>-dev.yaml, each case naming its source).

A case is {name, facts, expect}; expect gives the outcome (`pathway` for export, `outcome` for
the others) and may give decided_by, what a stage decided (`stages: {grade: major}`), the
duties that must come with it (`duties`, by id) and deadlines (each a subset of one deadline
of the decision: its instrument, article, by, at)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

from chinacomply.rules import engine
from chinacomply.rules import pack as packs

from .conftest import REPO, SHARED

FOLDERS = [REPO / "tests" / "scenarios", SHARED / "scenarios"]


def _cases() -> list[Any]:
    params = []
    for folder in FOLDERS:
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            for case in yaml.safe_load(path.read_text("utf-8")):
                label = f"{folder.parent.name}/{path.stem}: {case['name'][:70]}"
                params.append(pytest.param(case, id=label))
    return params


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else str(value)


def test_the_kept_copy_exists() -> None:
    names = {p.stem for p in (REPO / "tests" / "scenarios").glob("*.yaml")}
    assert {"export-dev", "frt-dev", "incident-dev", "audit-dev"} <= names


@pytest.mark.parametrize("case", _cases())
def test_scenario(case: dict[str, Any]) -> None:
    decision = engine.evaluate(packs.parse_facts(case["facts"], case["name"]))
    expected = case["expect"]
    outcome = expected.get("pathway", expected.get("outcome"))
    assert decision.outcome == outcome, decision.summary
    if "decided_by" in expected:
        assert decision.decided_by.to_dict() == expected["decided_by"], decision.decided_rule
    decided = {s.stage: s.outcome for s in decision.stages}
    for stage, want in expected.get("stages", {}).items():
        assert decided.get(stage) == want, decided
    duties = {o.id for o in decision.obligations}
    assert set(expected.get("duties", ())) <= duties, sorted(duties)
    for absent in expected.get("not_duties", ()):
        assert absent not in duties
    given = [d.to_dict() for d in decision.deadlines]
    for raw in expected.get("deadlines", ()):
        want = {k: _plain(v) for k, v in raw.items()}
        assert any(all(d.get(k) == v for k, v in want.items()) for d in given), given


def test_the_shared_set_is_read_when_present() -> None:
    shared = SHARED / "scenarios"
    if shared.is_dir():
        assert any(p.id.startswith("shared/") for p in _cases())  # type: ignore[attr-defined]
    else:  # a clone without ../shared still runs the kept copy
        assert _cases()
