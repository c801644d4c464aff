"""Personal Information Protection Law (PIPL) Art. 38: the mechanisms themselves, which decided
PI exports below the assessment triggers until the standard contract measures took effect."""

from __future__ import annotations

from chinacomply.rules.context import Finding
from chinacomply.rules.packs.export import m22
from chinacomply.rules.packs.export.facts import Ctx
from chinacomply.rules.packs.export.registry import conditions as condition


@condition("pipl.38.mechanism")
def mechanism(ctx: Ctx) -> Finding:
    """Before SCC23 took effect, PI below the assessment triggers left China under a
    mechanism of PIPL Art. 38(1) itself."""
    if not ctx.facts.data.personal_information:
        return Finding(False, "no PI is exported")
    if m22.ciio_or_processed(ctx).applies or m22.volume(ctx).applies:
        return Finding(False, "an assessment trigger of M22 Art. 4 is met")
    return Finding(
        True,
        "PI leaves China below the assessment triggers: a mechanism of PIPL Art. 38(1)",
    )
