"""Measures on the Standard Contract for the Export of PI (SCC23), in force 2023-06-01."""

from __future__ import annotations

from chinacomply.rules.context import Finding, people
from chinacomply.rules.packs.export import m22
from chinacomply.rules.packs.export.facts import Ctx
from chinacomply.rules.packs.export.m22 import processed
from chinacomply.rules.packs.export.registry import conditions as condition


@condition("scc23.4.contract")
def contract(ctx: Ctx) -> Finding:
    """Before P24, the standard contract was open to a non-CIIO processing PI of fewer than
    1,000,000 persons and below the M22 export volumes (SCC23 Art. 4(1)-(4))."""
    if not ctx.facts.data.personal_information:
        return Finding(False, "no PI is exported")
    if ctx.facts.handler.ciio:
        return Finding(False, "closed to CIIOs")
    limit = ctx.param("export.contract.processed_below")
    count = processed(ctx)
    if count >= limit:
        return Finding(
            False, f"the handler processes PI of {people(count)} (not fewer than {limit:,})"
        )
    if m22.volume(ctx).applies:
        return Finding(False, "the volumes reach the assessment thresholds of M22 Art. 4(3)")
    return Finding(
        True,
        "a non-CIIO below the assessment triggers exports PI (no exemption before P24)",
    )
