"""The annex grading guide (网络安全事件分级指南): the grade of the incident, highest first.

"以上" includes the number itself (the annex's own note), so every threshold is reached at the
value. The PI counts of all grades and the especially-major list were read in the final text
(mark R); the other values for major and relatively major are the 2023 draft's (mark U) and
apply only under policy incident_unverified_criteria.
"""

from __future__ import annotations

from chinacomply.rules.context import Finding, people
from chinacomply.rules.packs.incident.facts import Ctx, Grade
from chinacomply.rules.packs.incident.registry import conditions as condition

UNVERIFIED = "incident_unverified_criteria"
WORDS = {
    "especially_major": "especially major",
    "major": "major",
    "relatively_major": "relatively major",
    "general": "general",
}


def _pi_leaked(ctx: Ctx, grade: str) -> Finding:
    threshold = int(ctx.param(f"incident.annex.{grade}.pi_persons_from"))
    leaked = ctx.facts.pi_persons_leaked
    if leaked >= threshold:
        return Finding(True, f"PI of {people(leaked)} leaked (at least {threshold:,})")
    return Finding(False, f"PI of {people(leaked)} leaked (fewer than {threshold:,})")


def _hours(value: float) -> str:
    return f"{value:g} h"


def _cii_outage(ctx: Ctx, grade: str) -> Finding:
    whole, main = ctx.facts.cii_outage_hours, ctx.facts.cii_main_function_outage_hours
    if whole is None and main is None:
        return Finding(False, "no CII was interrupted")
    whole_from = float(ctx.param(f"incident.annex.{grade}.cii_outage_hours_from"))
    main_from = float(ctx.param(f"incident.annex.{grade}.cii_main_function_hours_from"))
    if whole is not None and whole >= whole_from:
        return Finding(
            True, f"a CII wholly interrupted for {_hours(whole)} (at least {whole_from:g} h)"
        )
    if main is not None and main >= main_from:
        return Finding(
            True,
            f"a CII's main functions interrupted for {_hours(main)} (at least {main_from:g} h)",
        )
    return Finding(
        False,
        f"CII interruptions below {whole_from:g} h (whole) and {main_from:g} h (main functions)",
    )


def _portal_outage(ctx: Ctx, grade: str) -> Finding:
    hours = ctx.facts.portal_outage_hours
    if hours is None:
        return Finding(False, "no provincial-level portal or central key news site was down")
    threshold = float(ctx.param(f"incident.annex.{grade}.portal_outage_hours_from"))
    return Finding(
        hours >= threshold,
        f"portals or key news sites inaccessible for {_hours(hours)} "
        + (f"(at least {threshold:g} h)" if hours >= threshold else f"(under {threshold:g} h)"),
    )


def _people_affected(ctx: Ctx, grade: str) -> Finding:
    threshold = int(ctx.param(f"incident.annex.{grade}.people_services_from"))
    count = ctx.facts.people_affected_services
    reached = count >= threshold
    bound = f"at least {threshold:,}" if reached else f"fewer than {threshold:,}"
    return Finding(reached, f"utilities or daily life of {people(count)} affected ({bound})")


def _direct_loss(ctx: Ctx, grade: str) -> Finding:
    threshold = int(ctx.param(f"incident.annex.{grade}.direct_loss_yuan_from"))
    loss = ctx.facts.direct_loss_yuan
    reached = loss >= threshold
    bound = f"at least {threshold:,}" if reached else f"under {threshold:,}"
    return Finding(reached, f"direct loss of {loss:,} yuan ({bound})")


def _operator_grade(ctx: Ctx, grade: Grade) -> Finding:
    given = ctx.facts.other_criteria_grade
    if given == grade:
        return Finding(
            True,
            f"the operator graded the incident {WORDS[grade]} under criteria the pack does not "
            "model (the higher grade applies, 就高)",
        )
    return Finding(False, f"the operator's own grade is {WORDS[given] if given else 'not given'}")


def _draft(finding: Finding, ctx: Ctx) -> Finding:
    """A criterion whose value is the 2023 draft's: only under the policy, and said so."""
    if ctx.policy(UNVERIFIED) == "ignore":
        return Finding(False, f"2023 draft value not applied (policy {UNVERIFIED}=ignore)")
    if finding.applies:
        return Finding(True, f"{finding.why}: a 2023 draft value, unverified in the final annex")
    return finding


# --- 一 especially major --------------------------------------------------------------------


@condition("inc25.annex.1.5.pi_leaked")
def especially_major_pi(ctx: Ctx) -> Finding:
    """Leak of citizens' PI of 100,000,000 persons or more: ordinarily (通常情况下) especially
    major (annex 一(5))."""
    return _pi_leaked(ctx, "especially_major")


@condition("inc25.annex.1.1.portal_outage")
def especially_major_portal(ctx: Ctx) -> Finding:
    """Provincial-level (or higher) party and government portals, or central key news sites,
    inaccessible for 24 hours or more after an attack or a fault (annex 一(1))."""
    return _portal_outage(ctx, "especially_major")


@condition("inc25.annex.1.2.cii_outage")
def especially_major_cii(ctx: Ctx) -> Finding:
    """A CII wholly interrupted for 6 hours or more, or its main functions for 24 hours or more
    (annex 一(2))."""
    return _cii_outage(ctx, "especially_major")


@condition("inc25.annex.1.3.population")
def especially_major_population(ctx: Ctx) -> Finding:
    """50% or more of the population of one or more provinces, or 10,000,000 or more people's
    water, power, gas, oil, heating, transport, medical care, shopping and other work and life,
    affected (annex 一(3))."""
    share = ctx.facts.province_population_share
    share_from = float(ctx.param("incident.annex.especially_major.province_population_share_from"))
    if share >= share_from:
        return Finding(
            True, f"{share:.0%} of a province's population affected (at least {share_from:.0%})"
        )
    found = _people_affected(ctx, "especially_major")
    return found if found.applies else Finding(False, f"{share:.0%} of a province; {found.why}")


@condition("inc25.annex.1.core_or_important_data")
def especially_major_data(ctx: Ctx) -> Finding:
    """Core data or important data leaked: especially major under the final annex's list (the
    item number was not read)."""
    if ctx.facts.core_or_important_data_leaked:
        return Finding(True, "core data or important data was leaked")
    return Finding(False, "no core or important data was leaked")


@condition("inc25.annex.1.7.direct_loss")
def especially_major_loss(ctx: Ctx) -> Finding:
    """Direct economic loss of 100,000,000 yuan or more (annex 一(7))."""
    return _direct_loss(ctx, "especially_major")


@condition("inc25.annex.1.operator_grade")
def especially_major_operator(ctx: Ctx) -> Finding:
    """The operator's own grading under an especially-major criterion the pack does not model
    (harmful information spread, for one); the higher grade applies."""
    return _operator_grade(ctx, "especially_major")


# --- 二 major -----------------------------------------------------------------------------


@condition("inc25.annex.2.5.pi_leaked")
def major_pi(ctx: Ctx) -> Finding:
    """Leak of citizens' PI of 10,000,000 persons or more: ordinarily major (annex 二(5))."""
    return _pi_leaked(ctx, "major")


@condition("inc25.annex.2.operator_grade")
def major_operator(ctx: Ctx) -> Finding:
    """The operator's own grading under a major criterion the pack does not model or has
    only as a draft value; the higher grade applies."""
    return _operator_grade(ctx, "major")


@condition("inc25.annex.2.draft_cii_outage")
def major_cii(ctx: Ctx) -> Finding:
    """2023 draft: a CII wholly interrupted for 2 hours or more, or its main functions for 6
    hours or more (unverified; policy incident_unverified_criteria)."""
    return _draft(_cii_outage(ctx, "major"), ctx)


@condition("inc25.annex.2.draft_people_affected")
def major_people(ctx: Ctx) -> Finding:
    """2023 draft: water, power, gas, oil, heating or transport of 1,000,000 or more people
    affected (unverified; the final annex widened the list to medical care and shopping, so the
    count is read over the wider list: it can only grade higher)."""
    return _draft(_people_affected(ctx, "major"), ctx)


@condition("inc25.annex.2.draft_direct_loss")
def major_loss(ctx: Ctx) -> Finding:
    """2023 draft: direct economic loss of 20,000,000 yuan or more (unverified)."""
    return _draft(_direct_loss(ctx, "major"), ctx)


# --- 三 relatively major ------------------------------------------------------------------


@condition("inc25.annex.3.5.pi_leaked")
def relatively_major_pi(ctx: Ctx) -> Finding:
    """Leak of citizens' PI of 1,000,000 persons or more: ordinarily relatively major, the
    lowest grade reported (annex 三(5))."""
    return _pi_leaked(ctx, "relatively_major")


@condition("inc25.annex.3.2.large_amount_of_pi")
def relatively_major_large_amount(ctx: Ctx) -> Finding:
    """Important data or a relatively large amount (较大量) of citizens' PI lost, stolen,
    tampered with or counterfeited, seriously threatening national security and social
    stability (annex 三(2)). The annex gives no number: below 1,000,000 persons only the
    operator's judgement can make a PI incident reportable."""
    if ctx.facts.large_amount_of_pi_judged:
        return Finding(
            True,
            "the operator judges a relatively large amount of PI (or important data) lost, "
            "stolen, tampered with or counterfeited",
        )
    return Finding(False, "the operator does not judge the PI affected a relatively large amount")


@condition("inc25.annex.3.operator_grade")
def relatively_major_operator(ctx: Ctx) -> Finding:
    """The operator's own grading under a relatively-major criterion the pack does not model
    or has only as a draft value; the higher grade applies."""
    return _operator_grade(ctx, "relatively_major")


@condition("inc25.annex.3.draft_cii_outage")
def relatively_major_cii(ctx: Ctx) -> Finding:
    """2023 draft: a CII wholly interrupted for 30 minutes or more, or its main functions for 2
    hours or more (unverified)."""
    return _draft(_cii_outage(ctx, "relatively_major"), ctx)


@condition("inc25.annex.3.draft_portal_outage")
def relatively_major_portal(ctx: Ctx) -> Finding:
    """2023 draft: party or government portals of city level or above, or key news sites,
    inaccessible for 2 hours or more (unverified; only the provincial-level portals the facts
    record are checked)."""
    return _draft(_portal_outage(ctx, "relatively_major"), ctx)


@condition("inc25.annex.3.draft_people_affected")
def relatively_major_people(ctx: Ctx) -> Finding:
    """2023 draft: water, power, gas, oil, heating or transport of 100,000 or more people
    affected (unverified)."""
    return _draft(_people_affected(ctx, "relatively_major"), ctx)


@condition("inc25.annex.3.draft_direct_loss")
def relatively_major_loss(ctx: Ctx) -> Finding:
    """2023 draft: direct economic loss of 5,000,000 yuan or more (unverified)."""
    return _draft(_direct_loss(ctx, "relatively_major"), ctx)


# --- 四 general ---------------------------------------------------------------------------


@condition("inc25.annex.4.general")
def general(ctx: Ctx) -> Finding:
    """Every incident no criterion of grades 一 to 三 reaches is general (a rule listed last,
    so it decides only when none above it did)."""
    return Finding(True, "no criterion of a higher grade is reached")
