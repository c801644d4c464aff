"""The deciding rules of AUD25 (个人信息保护合规审计管理办法, in force 2025-05-01): scope
(Art. 19), audit frequency (Arts. 3-4, read with QAPI2604 Q1-Q2) and ordered audits (Art. 5).

Counting: "以上" includes the number (Arts. 5, 12); "超过" (Art. 4, the bands of QAPI2604 Q2) is
counted as policy audit_threshold_counting says: QAPI2604 Q1 includes the number by default.
"""

from __future__ import annotations

from chinacomply.rules.context import Finding, people
from chinacomply.rules.packs.audit.facts import Ctx
from chinacomply.rules.packs.audit.registry import conditions as condition


def more_than(ctx: Ctx, threshold: int) -> bool:
    """Whether the persons processed are "more than" (超过) the threshold, as the policy reads
    it: the CAC's Q&A counts the number itself, the Civil Code does not."""
    count = ctx.facts.individuals_processed
    if ctx.policy("audit_threshold_counting") == "cac_qa":
        return count >= threshold
    return count > threshold


def _note(ctx: Ctx, threshold: int) -> str:
    """Why a count of exactly the threshold is, or is not, "more than" it."""
    if ctx.facts.individuals_processed != threshold:
        return ""
    if ctx.policy("audit_threshold_counting") == "cac_qa":
        return " (QAPI2604 Q1 counts the number itself)"
    return " (CC1259: the number itself is not more)"


def _more_than(ctx: Ctx, threshold: int) -> str:
    """ "PI of N persons processed: [not] more than T", with the counting note."""
    count = people(ctx.facts.individuals_processed)
    word = "more than" if more_than(ctx, threshold) else "not more than"
    return f"PI of {count} processed: {word} {threshold:,}{_note(ctx, threshold)}"


@condition("aud25.19.state_organs")
def state_organs(ctx: Ctx) -> Finding:
    """State organs and bodies authorised by law or regulation to manage public affairs are
    outside the Measures (Art. 19); every other handler processing PI is inside."""
    if ctx.facts.is_state_organ_or_public_affairs_body:
        return Finding(
            True, "the handler is a state organ or a body authorised to manage public affairs"
        )
    return Finding(False, "the handler is neither a state organ nor a body managing public affairs")


@condition("aud25.4.over_10m")
def over_10m(ctx: Ctx) -> Finding:
    """More than 10,000,000 persons' PI processed (超过1000万人, counted per policy
    audit_threshold_counting): at least one audit every two years, a binding period."""
    threshold = int(ctx.param("audit.biennial.more_than"))
    return Finding(more_than(ctx, threshold), _more_than(ctx, threshold))


@condition("aud25.3.band_1m_10m")
def band_1m_10m(ctx: Ctx) -> Finding:
    """More than 1,000,000 and up to 10,000,000 persons: the CAC's guidance (QAPI2604 Q2,
    "参照" the national standard) suggests every 3 or 4 years; guidance, not a binding period.
    Counted per policy audit_threshold_counting, which puts exactly 1,000,000 here by default."""
    low = int(ctx.param("audit.guidance.mid_band_more_than"))
    high = int(ctx.param("audit.biennial.more_than"))
    years = " or ".join(str(y) for y in ctx.param("audit.guidance.mid_band_years"))
    if not more_than(ctx, low):
        return Finding(False, _more_than(ctx, low))
    count = ctx.facts.individuals_processed
    if count > high:
        return Finding(False, f"PI of {people(count)} processed: more than {high:,}")
    return Finding(
        True,
        f"{_more_than(ctx, low)}, and not more than {high:,}; the CAC's guidance "
        f"(QAPI2604 Q2) suggests an audit at least every {years} years",
    )


@condition("aud25.3.band_up_to_1m")
def band_up_to_1m(ctx: Ctx) -> Finding:
    """Up to 1,000,000 persons (不超过100万人, the number included): the CAC's guidance
    (QAPI2604 Q2) suggests every 5 years; guidance, not a binding period."""
    limit = int(ctx.param("audit.guidance.mid_band_more_than"))
    years = int(ctx.param("audit.guidance.low_band_years"))
    count = ctx.facts.individuals_processed
    if count > limit:
        return Finding(False, f"PI of {people(count)} processed: more than {limit:,}")
    return Finding(
        True,
        f"PI of {people(count)} processed: not more than {limit:,}; the CAC's guidance "
        f"(QAPI2604 Q2) suggests an audit at least every {years} years",
    )


@condition("aud25.3.regularly")
def regularly(ctx: Ctx) -> Finding:
    """Every handler audits regularly (定期); the frequency is the handler's to set in its audit
    policy where neither Art. 4 nor the CAC's guidance gives one."""
    return Finding(
        True,
        f"PI of {people(ctx.facts.individuals_processed)} processed: the handler audits "
        "regularly, at the frequency its audit policy sets",
    )


def _no_repeat(ctx: Ctx) -> Finding | None:
    """Art. 5, last sentence: no repeat order for the same incident or risk."""
    if ctx.facts.already_ordered_for_this_incident:
        return Finding(
            False, "an audit was already ordered for this incident or risk (no repeat order)"
        )
    return None


@condition("aud25.5.1.large_risk")
def large_risk(ctx: Ctx) -> Finding:
    """Large risks found in the processing (a serious impact on individuals' rights or a
    serious lack of security measures): a judgement the user states as a fact."""
    if not ctx.facts.large_risk_found:
        return Finding(False, "no large risk is found in the processing")
    return _no_repeat(ctx) or Finding(True, "the processing is found to carry large risks")


@condition("aud25.5.2.many_individuals")
def many_individuals(ctx: Ctx) -> Finding:
    """The processing may infringe the rights of many individuals: a judgement the user
    states as a fact."""
    if not ctx.facts.many_individuals_rights_at_risk:
        return Finding(False, "the processing is not found to put many individuals' rights at risk")
    return _no_repeat(ctx) or Finding(True, "the processing may infringe many individuals' rights")


@condition("aud25.5.3.incident")
def incident(ctx: Ctx) -> Finding:
    """An incident leaked, tampered with, lost or destroyed PI of 1,000,000 or more persons or
    sensitive PI of 100,000 or more (以上 includes the number)."""
    pi_from = int(ctx.param("audit.order.incident_pi_from"))
    sensitive_from = int(ctx.param("audit.order.incident_sensitive_from"))
    pi = ctx.facts.incident_pi_persons
    sensitive = ctx.facts.incident_sensitive_pi_persons
    if pi >= pi_from:
        hit = f"an incident affected PI of {people(pi)} (at least {pi_from:,})"
    elif sensitive >= sensitive_from:
        hit = (
            f"an incident affected sensitive PI of {people(sensitive)} "
            f"(at least {sensitive_from:,})"
        )
    else:
        return Finding(
            False,
            f"no incident reached {pi_from:,} persons' PI or {sensitive_from:,} persons' "
            f"sensitive PI (PI of {people(pi)}, sensitive PI of {people(sensitive)})",
        )
    return _no_repeat(ctx) or Finding(True, hit)
