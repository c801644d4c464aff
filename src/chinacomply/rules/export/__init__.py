"""The export rule set: one condition per rule id of rules.yaml, grouped by instrument.

A condition is a small function of the Context returning a Finding. The registry maps rule
ids to conditions; `conditions()` imports the modules on first use and checks that every rule
in the data has exactly one condition and every condition a rule.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache

from chinacomply.rules import law
from chinacomply.rules.context import Context, Finding

Condition = Callable[[Context], Finding]
_REGISTRY: dict[str, Condition] = {}
MODULES = ("scope", "core", "p24", "m22", "scc23", "pipl", "gba", "lifecycle")


def condition(rule_id: str) -> Callable[[Condition], Condition]:
    """Register the function below as the condition of `rule_id` in rules.yaml."""

    def register(func: Condition) -> Condition:
        if rule_id in _REGISTRY:
            raise ValueError(f"two conditions for rule {rule_id}")
        _REGISTRY[rule_id] = func
        return func

    return register


@cache
def conditions() -> dict[str, Condition]:
    for module in MODULES:
        importlib.import_module(f"chinacomply.rules.export.{module}")
    data_ids = {meta.id for meta in law.rules()}
    missing = data_ids - set(_REGISTRY)
    extra = set(_REGISTRY) - data_ids
    if missing or extra:
        raise law.LawDataError(
            f"rules.yaml and rules/export disagree: no condition for {sorted(missing)}, "
            f"no rule for {sorted(extra)}"
        )
    return dict(_REGISTRY)
