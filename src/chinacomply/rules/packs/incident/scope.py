"""INC25 Arts. 2, 4 and 14: whether the incident is reported under INC25 at all."""

from __future__ import annotations

from chinacomply.rules.context import Finding
from chinacomply.rules.packs.incident.facts import Ctx
from chinacomply.rules.packs.incident.registry import conditions as condition


@condition("inc25.14.discovered_before")
def discovered_before(ctx: Ctx) -> Finding:
    """INC25 takes effect on 2025-11-01 (Art. 14): an incident discovered (in China's time
    zone) before that day is reported under the rules of the day, which this pack does not
    encode."""
    start = ctx.param("incident.inc25.in_force_from")
    day = ctx.facts.discovered_on
    if day < start:
        return Finding(True, f"discovered on {day}, before INC25 took effect on {start}")
    return Finding(False, f"discovered on {day}, INC25 in force since {start}")


@condition("inc25.2.not_network_operator")
def not_network_operator(ctx: Ctx) -> Finding:
    """Art. 2: only network operators building or operating networks, or providing services
    over networks, in China report under INC25."""
    if ctx.facts.in_china_network_operator:
        return Finding(False, "a network operator in China")
    return Finding(
        True, "not a network operator building, operating or serving over networks in China"
    )


@condition("inc25.4.not_own_unit")
def not_own_unit(ctx: Ctx) -> Finding:
    """Art. 4: the operator grades and reports the incidents that involve its own unit
    (涉及本单位); an incident elsewhere is the other unit's to report."""
    if ctx.facts.involves_own_unit:
        return Finding(False, "the incident involves the operator's own unit")
    return Finding(True, "the incident does not involve the operator's own unit")
