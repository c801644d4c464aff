"""Assessing facts, with the counts the inventory already knows: a pack names the facts it can
take from the inventory (pack.yaml `inventory:`, e.g. the individuals whose face data a handler
stores), and `assess --from-inventory` fills them from the datasets holding those PI types.

A person found in two datasets is counted in both: the inventory keeps counts per dataset, not
the people behind them, and a count that is too high brings a duty too early, never too late.
The trace names every dataset that gave a number.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from typing import Any

from chinacomply.inventory.store import Store
from chinacomply.model import Citation, Decision, TraceEntry
from chinacomply.rules import engine
from chinacomply.rules import pack as packs
from chinacomply.rules.facts import FactsError, pack_of
from chinacomply.services import views

INVENTORY = Citation("chinacomply", "inventory")


@dataclasses.dataclass(frozen=True)
class Count:
    """What the inventory gave one fact: the total and where each part came from."""

    fact: str
    total: int
    parts: tuple[tuple[str, int], ...]  # (dataset name and source, individuals)
    uncounted: tuple[str, ...]  # datasets with those types but no column identifying a person

    def trace(self) -> TraceEntry:
        shown = "; ".join(f"{n:,} from {name}" for name, n in self.parts) or "no dataset"
        missing = (
            f"; not counted, no column identifies a person: {', '.join(self.uncounted)}"
            if self.uncounted
            else ""
        )
        why = f"{self.total:,} in all: {shown}{missing} (a person in two datasets counts twice)"
        return TraceEntry(f"inventory:{self.fact}", INVENTORY, "inventory", why)


def count(store: Store, fact: str, types: tuple[str, ...]) -> Count:
    """The individuals of every dataset holding one of `types` (any PI when empty)."""
    parts: list[tuple[str, int]] = []
    uncounted: list[str] = []
    for dataset in views.datasets(store):  # one read of the inventory, PI types per dataset
        held = set(dataset["pi_types"]) - {"uscc"}  # an organisation code is not a person's PI
        if not (held & set(types) if types else held):
            continue
        label = f"dataset {dataset['name']} ({dataset['source']})"
        if dataset["individuals"] is None:
            uncounted.append(label)
        else:
            parts.append((label, dataset["individuals"]))
    return Count(fact, sum(n for _, n in parts), tuple(parts), tuple(uncounted))


def _put(raw: dict[str, Any], dotted: str, value: int, source: str) -> None:
    *sections, key = dotted.split(".")
    target = raw
    for section in sections:
        target = target.setdefault(section, {})
        if not isinstance(target, dict):
            raise FactsError(f"{source}: {section}: expected a mapping of keys")
    if key in target:
        raise FactsError(
            f"{source}: {dotted}: given in the file and asked from the inventory; leave one out"
        )
    target[key] = value


def assess(
    raw: Any,
    source: str,
    as_of: dt.date | None = None,
    policies: dict[str, str] | None = None,
    store: Store | None = None,
) -> Decision:
    """Decide the facts with the pack they name; with a store, first fill the facts the pack
    takes from the inventory, and say in the trace which datasets gave them."""
    pack = packs.get(pack_of(raw, source), source)
    counts: list[Count] = []
    if store is not None:
        if not pack.inventory:
            raise FactsError(f"{source}: the {pack.id} pack takes no facts from the inventory")
        raw = copy.deepcopy(raw)
        for fact, types in pack.inventory.items():
            found = count(store, fact, types)
            _put(raw, fact, found.total, source)
            counts.append(found)
    decision = engine.evaluate(pack.parse(raw, source), as_of, policies)
    if not counts:
        return decision
    notes = tuple(c.trace() for c in counts)
    return dataclasses.replace(decision, trace=notes + decision.trace)
