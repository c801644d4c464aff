"""The audit pack: one condition per rule and duty id of rules.yaml and duties.yaml (the
deciding rules in `aud25`, the duties in `duties` and `officer`); the facts schema in
`facts`."""

from __future__ import annotations

# The modules register their conditions on import; Facts and conditions are the pack's API.
from chinacomply.rules.packs.audit import aud25, duties, officer
from chinacomply.rules.packs.audit.facts import Facts
from chinacomply.rules.packs.audit.registry import conditions

__all__ = ["Facts", "aud25", "conditions", "duties", "officer"]
