"""Every worked legal case passes: the shared development set (../shared/scenarios) when it is
beside the repository, and the copy kept under tests/scenarios either way."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from chinacomply.rules import engine
from chinacomply.rules import facts as facts_model

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


def test_the_kept_copy_exists() -> None:
    assert list((REPO / "tests" / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("case", _cases())
def test_scenario(case: dict[str, Any]) -> None:
    decision = engine.evaluate(facts_model.parse(case["facts"], case["name"]))
    expected = case["expect"]
    assert decision.pathway == expected["pathway"], decision.summary
    if "decided_by" in expected:
        assert decision.decided_by.to_dict() == expected["decided_by"], decision.decided_rule


def test_the_shared_set_is_read_when_present() -> None:
    shared = SHARED / "scenarios"
    if shared.is_dir():
        assert any(p.id.startswith("shared/") for p in _cases())  # type: ignore[attr-defined]
    else:  # a clone without ../shared still runs the kept copy
        assert _cases()
