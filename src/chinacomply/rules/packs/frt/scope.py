"""FRT25 Arts. 2, 19 and 13 ¶2: whether the Measures cover the processing at all, and whether
the device is banned where it is installed."""

from __future__ import annotations

from chinacomply.rules.context import Finding
from chinacomply.rules.packs.frt.facts import Ctx
from chinacomply.rules.packs.frt.registry import conditions as rule


@rule("frt25.2.outside_china")
def outside_china(ctx: Ctx) -> Finding:
    """Art. 2 covers processing in the PRC; processing elsewhere is outside the Measures."""
    if ctx.facts.in_china:
        return Finding(False, "face information is processed in mainland China")
    return Finding(True, "face information is not processed in mainland China")


@rule("frt25.2.rd_training")
def rd_training(ctx: Ctx) -> Finding:
    """Art. 2 ¶2: processing only for FRT research and development or algorithm training is
    excluded; processing that also serves another purpose is not."""
    if ctx.facts.purpose_rd_or_training_only:
        return Finding(True, "the processing serves only FRT R&D or algorithm training")
    return Finding(False, "the processing serves more than FRT R&D or algorithm training")


@rule("frt25.19.anonymised")
def anonymised(ctx: Ctx) -> Finding:
    """Art. 19(2): face information excludes anonymised information, so processing only
    anonymised data processes no face information."""
    if ctx.facts.anonymised:
        return Finding(True, "the face information is anonymised, so it is not face information")
    return Finding(False, "the face information is not anonymised")


@rule("frt25.2.scope")
def scope(ctx: Ctx) -> Finding:
    """Art. 2 ¶1: applying face recognition to face information in the PRC is covered."""
    return Finding(ctx.facts.in_china, "face recognition is applied to face information in China")


@rule("frt25.13.2.private_space")
def private_space(ctx: Ctx) -> Finding:
    """Art. 13 ¶2 bans devices inside private spaces of public places (hotel rooms, public
    bathrooms, changing rooms, toilets), whatever the purpose or consent."""
    location = ctx.facts.location
    if location == "private_space_in_public_place":
        return Finding(True, "the device is installed inside a private space of a public place")
    where = "outside any public place" if location == "not_public" else "in a public place"
    return Finding(False, f"the device is installed {where}, not inside a private space")
