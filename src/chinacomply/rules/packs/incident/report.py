"""INC25 Art. 4: whether the incident is reported, to whom and within how many hours."""

from __future__ import annotations

from chinacomply.rules.context import Finding
from chinacomply.rules.packs.incident.facts import Ctx
from chinacomply.rules.packs.incident.registry import conditions as condition

REPORTED = ("especially_major", "major", "relatively_major")


def _reported(ctx: Ctx, operator_type: str, who: str) -> Finding:
    grade = ctx.decided["grade"]
    if grade not in REPORTED:
        return Finding(False, f"the incident is {grade}")
    if ctx.facts.operator_type != operator_type:
        return Finding(False, f"operator_type is {ctx.facts.operator_type}, not {operator_type}")
    return Finding(True, f"a {grade.replace('_', ' ')} incident; {who}")


@condition("inc25.4.below_relatively_major")
def below_relatively_major(ctx: Ctx) -> Finding:
    """Art. 4 reports only incidents graded relatively major or above (较大以上)."""
    grade = ctx.decided["grade"]
    if grade in REPORTED:
        return Finding(False, f"the incident is {grade.replace('_', ' ')}: reported")
    return Finding(True, "a general incident: below relatively major")


@condition("inc25.4.cii")
def cii(ctx: Ctx) -> Finding:
    """An incident involving CII: to the protection department and the public security organ
    at once, within 1 hour at the latest."""
    return _reported(ctx, "ciio_related", "the incident involves CII")


@condition("inc25.4.central_organ")
def central_organ(ctx: Ctx) -> Finding:
    """A central or state organ, or a directly affiliated unit: to its own department's
    cyberspace work body, within 2 hours at the latest."""
    return _reported(ctx, "central_or_state_organ", "a central or state organ (or affiliated unit)")


@condition("inc25.4.other")
def other(ctx: Ctx) -> Finding:
    """Any other network operator: to the provincial CAC where it is located, within 4 hours
    at the latest."""
    return _reported(ctx, "other", "an operator neither CII-related nor a state organ")
