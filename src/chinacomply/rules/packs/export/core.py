"""Core data: outside the three mechanisms, under the stricter national regime
(DSL Art. 21; NDSMR Art. 63 from 2025-01-01)."""

from __future__ import annotations

from chinacomply.rules.context import Finding
from chinacomply.rules.packs.export.facts import Ctx
from chinacomply.rules.packs.export.registry import conditions as condition


def _core(ctx: Ctx) -> Finding:
    """Core data is outside the three mechanisms: the national core-data regime governs it."""
    if ctx.facts.data.core_data:
        return Finding(True, "the data includes core data, which is processed under national rules")
    return Finding(False, "no core data")


condition("ndsmr.63.core_data")(_core)
condition("dsl.21.core_data")(_core)
