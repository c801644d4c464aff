"""The facial-recognition pack: one condition per rule and duty id of rules.yaml and
duties.yaml (scope and the ban in `scope`, the Art. 15 filing in `filing`, the duties in
`duties`); the facts schema in `facts`."""

from __future__ import annotations

# The modules register their conditions on import; Facts and conditions are the pack's API.
from chinacomply.rules.packs.frt import duties, filing, scope
from chinacomply.rules.packs.frt.facts import Facts
from chinacomply.rules.packs.frt.registry import conditions

__all__ = ["Facts", "conditions", "duties", "filing", "scope"]
