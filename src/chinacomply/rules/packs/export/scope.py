"""What counts as an export (G-SA3 §1(2); QA2510 Q5; PIPL Art. 3(2))."""

from __future__ import annotations

from chinacomply.rules.context import Finding
from chinacomply.rules.packs.export.facts import Ctx
from chinacomply.rules.packs.export.registry import conditions as condition

_EXPORT_MODES = {
    "transmit": "data collected in China is transmitted abroad",
    "remote_access": "data stored in China is accessed from abroad (where access happens counts)",
    "offshore_processing": "PI of individuals in China is processed abroad (PIPL Art. 3(2))",
}


@condition("scope.onshore_access")
def onshore_access(ctx: Ctx) -> Finding:
    """Staff of an overseas entity who access data in China from within China, nothing sent
    abroad: not an export (QA2510 Q5 reads G-SA3 §1(2) so)."""
    if ctx.facts.activity.mode == "onshore_access":
        return Finding(True, "the data is accessed by staff in China and nothing is sent abroad")
    return Finding(False, f"mode is {ctx.facts.activity.mode}, not access from within China")


@condition("scope.export")
def export(ctx: Ctx) -> Finding:
    """Transmitting abroad, access from abroad, and processing abroad of PI of individuals in
    China (PIPL Art. 3(2)) are exports; a finding only: the base stage decides the pathway."""
    mode = ctx.facts.activity.mode
    if mode in _EXPORT_MODES:
        return Finding(True, f"an export: {_EXPORT_MODES[mode]}")
    return Finding(False, "access from within China is not an export")
