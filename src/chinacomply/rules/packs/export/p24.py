"""Provisions on Promoting and Regulating Cross-Border Data Flows (P24), in force 2024-03-22.

Counting: individuals since 1 January of the current year (Arts. 5(4), 7, 8), de-duplicated;
"以上" includes the number, "不满" does not (CC1259).
"""

from __future__ import annotations

from chinacomply.rules.context import Finding, people
from chinacomply.rules.packs.export.facts import Ctx
from chinacomply.rules.packs.export.registry import conditions as condition


def sensitive_count(ctx: Ctx) -> int:
    """Individuals whose sensitive PI is exported in the window; a transfer flagged as carrying
    sensitive PI counts at least one, whatever the counter says."""
    flagged = ctx.facts.data.sensitive_personal_information and ctx.facts.data.personal_information
    return max(ctx.facts.volumes.sensitive, 1) if flagged else ctx.facts.volumes.sensitive


@condition("p24.6.ftz_negative_list")
def ftz_negative_list(ctx: Ctx) -> Finding:
    """A handler registered in a pilot FTZ exports data that is not on the zone's negative
    list; important data stays with the assessment unless policy ftz_list_covers_important_data
    says otherwise."""
    ftz = ctx.facts.handler.ftz
    if ftz is None:
        return Finding(False, "the handler is not in a pilot free trade zone")
    if ctx.facts.data.on_ftz_negative_list:
        return Finding(False, f"the data is on the {ftz} FTZ negative list")
    if (
        ctx.facts.data.important_data
        and ctx.policy("ftz_list_covers_important_data") == "assessment"
    ):
        return Finding(
            False,
            "important data is not exempted by an FTZ list (policy ftz_list_covers_important_data)",
        )
    return Finding(
        True, f"the handler is in the {ftz} FTZ and the data is not on its negative list"
    )


@condition("p24.3.no_pi_no_important_data")
def no_pi_no_important_data(ctx: Ctx) -> Finding:
    """Data with neither PI nor important data flows freely (QA2504 Q1 reads Art. 3 so for
    general data)."""
    data = ctx.facts.data
    if data.personal_information or data.important_data:
        return Finding(False, "the data includes PI or important data")
    return Finding(True, "the data includes neither PI nor important data")


@condition("p24.7.2.important_data")
def important_data(ctx: Ctx) -> Finding:
    """Data notified or published as important data goes to the assessment (a CIIO falls
    under Art. 7(1) instead)."""
    if not ctx.facts.data.important_data:
        return Finding(False, "no data notified or published as important data")
    if ctx.facts.handler.ciio:
        return Finding(False, "the handler is a CIIO: Art. 7(1) governs")
    return Finding(True, "the data includes important data (notified or published as such)")


def _pi_only(ctx: Ctx) -> str | None:
    """Why a ground cannot apply, or None: grounds cover PI, never important data (Art. 5,
    last paragraph), and a CIIO may use them only under the policy setting."""
    if not ctx.facts.data.personal_information:
        return "the transfer carries no PI"
    if ctx.facts.data.important_data:
        return "the ground does not cover important data (Art. 5, last paragraph)"
    if ctx.facts.handler.ciio and ctx.policy("ciio_grounds_exemption") == "not_allowed":
        return "a CIIO may not rely on the grounds (policy ciio_grounds_exemption)"
    return None


@condition("p24.4.foreign_origin")
def foreign_origin(ctx: Ctx) -> Finding:
    """PI collected abroad, processed in China and sent back with nothing domestic mixed in
    and no important data introduced."""
    if not ctx.facts.data.foreign_origin_only:
        return Finding(False, "the PI was collected in China, or domestic data was mixed in")
    if ctx.facts.data.important_data:
        return Finding(False, "important data was introduced in processing")
    return Finding(True, "the PI was collected abroad, processed in China and is sent back unmixed")


def _ground(ctx: Ctx, present: bool, what: str) -> Finding:
    if not present:
        return Finding(False, f"the export is not necessary for {what}")
    blocked = _pi_only(ctx)
    if blocked:
        return Finding(False, blocked)
    return Finding(True, f"the export is necessary for {what}, whatever the volume")


@condition("p24.5.1.contract")
def contract(ctx: Ctx) -> Finding:
    """The export is necessary to conclude or perform a contract the individual is party to
    (cross-border shopping, delivery, payment, bookings, visas, exams); PI only."""
    return _ground(
        ctx, ctx.facts.grounds.contract_with_individual, "a contract the individual is party to"
    )


@condition("p24.5.2.hr")
def hr(ctx: Ctx) -> Finding:
    """Employees' PI necessary for cross-border HR management under lawful labour rules and
    collective contracts; PI only."""
    return _ground(
        ctx, ctx.facts.grounds.hr_management, "cross-border HR management under lawful labour rules"
    )


@condition("p24.5.3.emergency")
def emergency(ctx: Ctx) -> Finding:
    """PI necessary to protect a natural person's life, health or property in an emergency;
    PI only."""
    return _ground(
        ctx, ctx.facts.grounds.emergency, "protecting life, health or property in an emergency"
    )


@condition("ndsmr.35.6.statutory_duty")
def statutory_duty(ctx: Ctx) -> Finding:
    """PI truly needed abroad to perform a statutory duty or obligation: NDSMR Art. 35(6), one
    of the grounds besides the three mechanisms (with contract, HR and emergency); PI only."""
    return _ground(
        ctx, ctx.facts.grounds.statutory_duty, "performing a statutory duty or obligation"
    )


@condition("p24.7.1.ciio")
def ciio(ctx: Ctx) -> Finding:
    """A notified CIIO exporting PI or important data goes to the assessment, whatever the
    volume, unless an exemption of Arts. 3-6 applies."""
    if not ctx.facts.handler.ciio:
        return Finding(False, "the handler is not a notified CIIO")
    if not (ctx.facts.data.personal_information or ctx.facts.data.important_data):
        return Finding(False, "the CIIO exports neither PI nor important data")
    return Finding(True, "a notified CIIO exports PI or important data")


@condition("p24.7.2.volume")
def assessment_volume(ctx: Ctx) -> Finding:
    """A non-CIIO that since 1 January has exported non-sensitive PI of 1,000,000 or more
    persons, or sensitive PI of 10,000 or more (以上 includes the number)."""
    if ctx.facts.handler.ciio:
        return Finding(False, "the handler is a CIIO: Art. 7(1) governs")
    n_from = ctx.param("export.assessment.non_sensitive_from")
    s_from = ctx.param("export.assessment.sensitive_from")
    s = sensitive_count(ctx)
    n = ctx.facts.volumes.non_sensitive
    if n >= n_from:
        return Finding(True, f"{people(n)}' non-sensitive PI since 1 January (at least {n_from:,})")
    if s >= s_from:
        return Finding(True, f"{people(s)}' sensitive PI since 1 January (at least {s_from:,})")
    return Finding(False, f"below {n_from:,} non-sensitive and {s_from:,} sensitive")


@condition("p24.8.contract")
def contract_band(ctx: Ctx) -> Finding:
    """A non-CIIO between the exemption and the assessment: 100,000 to fewer than 1,000,000
    persons' non-sensitive PI, or sensitive PI of fewer than 10,000 persons."""
    if ctx.facts.handler.ciio:
        return Finding(False, "the handler is a CIIO: Art. 7(1) governs")
    if not ctx.facts.data.personal_information:
        return Finding(False, "the transfer carries no PI")
    if assessment_volume(ctx).applies:
        return Finding(False, "the volumes reach the assessment thresholds of Art. 7(2)")
    n_from = ctx.param("export.contract.non_sensitive_from")
    s_from = ctx.param("export.contract.sensitive_from")
    s = sensitive_count(ctx)
    if s >= s_from:
        return Finding(True, f"sensitive PI of {people(s)} since 1 January (fewer than 10,000)")
    n = ctx.facts.volumes.non_sensitive
    if n >= n_from:
        return Finding(True, f"{people(n)}' non-sensitive PI since 1 January ({n_from:,} or more)")
    return Finding(False, f"fewer than {n_from:,} non-sensitive and no sensitive PI")


@condition("p24.5.4.small_volume")
def small_volume(ctx: Ctx) -> Finding:
    """A non-CIIO that since 1 January has exported fewer than 100,000 persons' non-sensitive
    PI and no sensitive PI (不满 excludes the number)."""
    if ctx.facts.handler.ciio:
        return Finding(False, "closed to CIIOs")
    if not ctx.facts.data.personal_information:
        return Finding(False, "the transfer carries no PI")
    below = ctx.param("export.exempt.non_sensitive_below")
    s = sensitive_count(ctx)
    if s:
        return Finding(False, "the export includes sensitive PI")
    n = ctx.facts.volumes.non_sensitive
    if n >= below:
        return Finding(
            False, f"{people(ctx.facts.volumes.non_sensitive)} is not fewer than {below:,}"
        )
    return Finding(
        True, f"{people(n)}' non-sensitive PI since 1 January (under {below:,}), no sensitive PI"
    )
