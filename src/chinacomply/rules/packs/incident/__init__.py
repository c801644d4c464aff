"""The incident pack: one condition per rule and duty id of rules.yaml and duties.yaml (scope in
`scope`, the annex grade in `grade`, the Art. 4 report in `report`, the duties in `duties`); the
facts schema in `facts`."""

from __future__ import annotations

# The modules register their conditions on import; Facts and conditions are the pack's API.
from chinacomply.rules.packs.incident import duties, grade, report, scope
from chinacomply.rules.packs.incident.facts import Facts
from chinacomply.rules.packs.incident.registry import conditions

__all__ = ["Facts", "conditions", "duties", "grade", "report", "scope"]
