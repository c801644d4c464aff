"""Greater Bay Area (Mainland-Hong Kong) standard contract guidelines (GBA), 2023-12-10.

The GBA contract takes the place of the standard contract only: a transfer whose volumes need a
security assessment still needs one (GBA Art. 2 sets no volume limit; reading it as replacing
an assessment would be a reading the text does not state)."""

from __future__ import annotations

from chinacomply.rules.context import Finding
from chinacomply.rules.packs.export.facts import Ctx
from chinacomply.rules.packs.export.registry import conditions as condition


def eligible(ctx: Ctx) -> str | None:
    """Why the GBA contract is not open to this transfer, or None if it is."""
    city = ctx.facts.handler.gba_city
    if city is None:
        return "the handler is not registered in a mainland GBA city"
    if ctx.facts.activity.recipient_region != "HK":
        return "the recipient is not in Hong Kong"
    if ctx.facts.data.important_data:
        return "important data is outside the GBA contract (GBA Art. 2)"
    if not ctx.facts.data.personal_information:
        return "no PI is exported"
    cities = ctx.param("gba.mainland_cities")
    if city not in cities:
        return f"{city} is not a mainland GBA city"
    return None


@condition("gba.2.standard_contract")
def standard_contract(ctx: Ctx) -> Finding:
    """The GBA contract replaces the standard contract where both parties are in the GBA and
    Hong Kong and no important data is involved; rules.yaml limits it (requires_any) to
    transfers that need the standard contract in the first place."""
    blocked = eligible(ctx)
    if blocked:
        return Finding(False, blocked)
    return Finding(
        True, f"handler registered in {ctx.facts.handler.gba_city}, recipient in Hong Kong, PI only"
    )
