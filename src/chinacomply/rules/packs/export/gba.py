"""Greater Bay Area standard contracts: Mainland-Hong Kong (GBA, in force on publication,
2023-12-13) and Mainland-Macao (GBA-MO, 2024-09-10).

A GBA contract takes the place of the national standard contract for PI flowing between a
handler registered in one of the nine mainland GBA cities and a recipient in Hong Kong or
Macao. Whether it also replaces a security assessment that the volumes alone would require is
an open question (the HKSAR and Macao governments say the measure has no volume limit; the
guidelines do not say so): policy gba_volume_cap, conservative by default.
"""

from __future__ import annotations

from chinacomply.rules.context import Finding
from chinacomply.rules.packs.export import m22, p24
from chinacomply.rules.packs.export.facts import Ctx
from chinacomply.rules.packs.export.registry import conditions as condition

REGION_NAME = {"HK": "Hong Kong", "MO": "Macao"}


def eligible(ctx: Ctx, region: str | None = None) -> str | None:
    """Why a GBA contract is not open to this transfer (to `region`, or to the recipient's
    region if it is one of the GBA's), or None if it is."""
    city = ctx.facts.handler.gba_city
    recipient = ctx.facts.activity.recipient_region
    if city is None:
        return "the handler is not registered in a mainland GBA city"
    if recipient != (region or recipient) or recipient not in REGION_NAME:
        wanted = REGION_NAME[region] if region else "Hong Kong or Macao"
        return f"the recipient is not in {wanted}"
    if ctx.facts.data.important_data:
        return "important data is outside the GBA contracts (GBA Art. 2)"
    if not ctx.facts.data.personal_information:
        return "no PI is exported"
    if city not in ctx.param("gba.mainland_cities"):
        return f"{city} is not a mainland GBA city"
    return None


def _volume_needs_assessment(ctx: Ctx) -> bool:
    rule = "p24.7.2.volume" if ctx.pack.rule("p24.7.2.volume").in_force(ctx.as_of) else None
    if rule:
        return p24.assessment_volume(ctx).applies
    return m22.volume(ctx).applies


def _gba(ctx: Ctx, region: str) -> Finding:
    blocked = eligible(ctx, region)
    if blocked:
        return Finding(False, blocked)
    if _volume_needs_assessment(ctx) and ctx.policy("gba_volume_cap") == "assessment_applies":
        return Finding(
            False,
            "the volumes need a security assessment, which a GBA contract does not replace "
            "(policy gba_volume_cap)",
        )
    return Finding(
        True,
        f"handler registered in {ctx.facts.handler.gba_city}, recipient in "
        f"{REGION_NAME[region]}, PI only",
    )


@condition("gba.2.standard_contract")
def standard_contract(ctx: Ctx) -> Finding:
    """Open where the handler is registered in a mainland GBA city, the recipient is in Hong
    Kong, PI only (no important data), and the transfer needs the standard contract
    (requires_any); a transfer whose volumes need an assessment keeps the assessment unless the
    policy gba_volume_cap reads the guidelines as setting no volume limit."""
    return _gba(ctx, "HK")


@condition("gba_mo.standard_contract")
def macao_contract(ctx: Ctx) -> Finding:
    """The same as the Hong Kong contract, for a recipient in Macao, from 2024-09-10."""
    return _gba(ctx, "MO")
