"""The export pack: one condition per rule and duty id of rules.yaml and duties.yaml, grouped
by instrument in the modules below; the facts schema in `facts`; the other mechanisms that
would do as well in `alternatives`."""

from __future__ import annotations

# The modules register their conditions on import; Facts and alternatives are the pack's API.
from chinacomply.rules.packs.export import (
    core,
    duties,
    gba,
    lifecycle,
    m22,
    p24,
    pipl,
    scc23,
    scope,
)
from chinacomply.rules.packs.export.duties import alternatives
from chinacomply.rules.packs.export.facts import Facts
from chinacomply.rules.packs.export.registry import conditions

__all__ = [
    "Facts",
    "alternatives",
    "conditions",
    "core",
    "duties",
    "gba",
    "lifecycle",
    "m22",
    "p24",
    "pipl",
    "scc23",
    "scope",
]
