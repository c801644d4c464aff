"""What comes with a pathway: the duties that stay whatever the mechanism, the deadlines of the
mechanism chosen (duties.yaml holds their words), and the other mechanisms that would do as
well."""

from __future__ import annotations

import datetime as dt

from chinacomply.model import Alternative, Citation, Deadline
from chinacomply.rules import calendar, periods
from chinacomply.rules.context import Finding
from chinacomply.rules.packs.export import gba, lifecycle
from chinacomply.rules.packs.export.facts import Ctx
from chinacomply.rules.packs.export.registry import conditions as duty

ASSESSMENT = ("security_assessment", "extend_assessment", "redeclare_assessment")
NO_EXPORT = ("not_an_export", "core_data_restricted")


def _carries(applies: bool, why: str, otherwise: str) -> Finding:
    return Finding(True, why) if applies else Finding(False, otherwise)


def _pi_export(ctx: Ctx) -> str | None:
    """Why PI duties do not come with this decision, or None if they do."""
    if ctx.outcome in NO_EXPORT:
        return f"the pathway is {ctx.outcome}"
    if not ctx.facts.data.personal_information:
        return "no PI is exported"
    return None


@duty("pipl.39.notice")
def notice(ctx: Ctx) -> Finding:
    """Notice is owed for every PI export, exempt or not; nothing waives it."""
    blocked = _pi_export(ctx)
    return Finding(blocked is None, blocked or "PI leaves China")


@duty("pipl.39.separate_consent")
def separate_consent(ctx: Ctx) -> Finding:
    """Separate consent where consent is the basis; the contract and HR bases need notice only
    unless the policy asks for consent always."""
    blocked = _pi_export(ctx)
    if blocked:
        return Finding(False, blocked)
    grounds = ctx.facts.grounds
    if ctx.policy("separate_consent") == "always":
        return Finding(True, "policy separate_consent=always")
    basis = [
        name
        for name, given in (
            ("a contract", grounds.contract_with_individual),
            ("HR management", grounds.hr_management),
            ("a statutory duty", grounds.statutory_duty),
            ("an emergency", grounds.emergency),
        )
        if given
    ]
    if basis:
        return Finding(
            False, f"the export rests on {basis[0]} (PIPL Art. 13(1)(2)-(7)), not on consent"
        )
    return Finding(True, "consent is the legal basis of the export")


@duty("pipl.55.pipia")
def pipia(ctx: Ctx) -> Finding:
    """An impact assessment precedes every PI export (PIPL Art. 55(4))."""
    blocked = _pi_export(ctx)
    return Finding(blocked is None, blocked or "PI leaves China")


@duty("small26.simplified_forms")
def simplified_forms(ctx: Ctx) -> Finding:
    """Only where the facts say how many persons the handler processes, and they are fewer
    than the small-handler threshold (an unverified value, shown in the trace)."""
    blocked = _pi_export(ctx)
    count = ctx.facts.handler.processed_individuals
    if blocked or count is None:
        return Finding(False, blocked or "the persons the handler processes are not given")
    below = int(ctx.param("small_handler.individuals_below"))
    return _carries(
        count < below,
        f"the handler processes PI of {count:,} persons (fewer than {below:,})",
        f"the handler processes PI of {count:,} persons",
    )


@duty("pipl.38.3.recipient_standard")
def recipient_standard(ctx: Ctx) -> Finding:
    """Whoever receives PI abroad must protect it to the PIPL's standard."""
    blocked = _pi_export(ctx)
    return Finding(blocked is None, blocked or "PI leaves China")


@duty("p24.10.duties_remain")
def duties_remain(ctx: Ctx) -> Finding:
    """Says in words what an exemption leaves in place."""
    blocked = _pi_export(ctx)
    if blocked:
        return Finding(False, blocked)
    return _carries(ctx.outcome == "exempt", "the export is exempt", "not exempt")


@duty("p24.11.security")
def security(ctx: Ctx) -> Finding:
    """Exported data stays the handler's to secure; incidents are remedied and reported."""
    return _carries(ctx.outcome not in NO_EXPORT, "data leaves China", "nothing leaves")


@duty("ndsmr.12.records")
def records(ctx: Ctx) -> Finding:
    """Records of providing data to others, kept three years (NDSMR Art. 12)."""
    return _carries(ctx.outcome not in NO_EXPORT, "data is provided abroad", "nothing leaves")


@duty("scc23.7.filing")
def contract_filing(ctx: Ctx) -> Finding:
    """The contract is filed within 10 working days of taking effect; the date it takes effect
    is not a fact of the assessment, so the deadline is given as a period."""
    if ctx.outcome not in ("standard_contract_or_certification", "refile_standard_contract"):
        return Finding(False, f"the pathway is {ctx.outcome}")
    days = int(ctx.param("export.contract.filing_working_days"))
    what = (
        "re-sign the standard contract and file it again with the provincial CAC"
        if ctx.outcome == "refile_standard_contract"
        else "file the standard contract with the provincial CAC"
    )
    deadline = Deadline(
        what, f"{days} working days of the contract taking effect", Citation("SCC23", "7")
    )
    return Finding(True, f"the pathway is {ctx.outcome}", (deadline,))


def _gba_filing(ctx: Ctx, region: str, parameter: str, what: str, cite: Citation) -> Finding:
    if ctx.outcome != "gba_standard_contract" or ctx.facts.activity.recipient_region != region:
        return Finding(
            False, f"the pathway is {ctx.outcome}, to {ctx.facts.activity.recipient_region}"
        )
    days = int(ctx.param(parameter))
    deadline = Deadline(what, f"{days} working days of the contract taking effect", cite)
    return Finding(True, f"the GBA standard contract is used, recipient in {region}", (deadline,))


@duty("gba.8.filing")
def gba_filing(ctx: Ctx) -> Finding:
    """Both parties file: the mainland handler with the Guangdong CAC, the Hong Kong party with
    the OGCIO."""
    return _gba_filing(
        ctx,
        "HK",
        "export.gba.filing_working_days",
        "both parties file the GBA standard contract (Guangdong CAC / Hong Kong OGCIO)",
        Citation("GBA", "8"),
    )


@duty("gba_mo.filing")
def gba_mo_filing(ctx: Ctx) -> Finding:
    """The Macao contract is filed with the Guangdong CAC or the Macao DSPDP."""
    return _gba_filing(
        ctx,
        "MO",
        "export.gba_mo.filing_working_days",
        "file the GBA (Mainland-Macao) standard contract (Guangdong CAC / Macao DSPDP)",
        Citation("GBA-MO", "filing clause"),
    )


@duty("qa2505.2.important_data_declaration")
def important_data_declaration(ctx: Ctx) -> Finding:
    """QA2505 Q2: once told (or once the data is published as important data), a handler that
    continues the export declares within two months; dated from the notification in the
    facts (calendar months, Civil Code Arts. 201-203)."""
    if ctx.outcome not in ("security_assessment", "redeclare_assessment"):
        return Finding(False, f"the pathway is {ctx.outcome}")
    notified = ctx.facts.data.important_data_notified_on
    if not ctx.facts.data.important_data:
        return Finding(False, "no important data")
    months = int(ctx.param("export.important_data.declare_within_months"))
    deadline = Deadline(
        "declare the security assessment for the important data through the provincial CAC",
        f"{months} months of being notified" + ("" if notified else " (date not given)"),
        Citation("QA2505", "Q2"),
        by=periods.months_after(notified, months) if notified else None,
    )
    why = f"notified on {notified}" if notified else "the notification date is not given"
    return Finding(True, f"important data continues to leave; {why}", (deadline,))


@duty("qa2601.1.prior_volumes")
def prior_volumes(ctx: Ctx) -> Finding:
    """A flow under a contract or certificate that crosses into the assessment brings the PI
    sent since 1 January under it into the declaration."""
    mechanism = ctx.facts.existing.mechanism
    crossing = ctx.outcome == "security_assessment" and mechanism in (
        "standard_contract",
        "certification",
        "gba_standard_contract",
    )
    return _carries(
        crossing,
        f"the flow under the {mechanism} now needs an assessment",
        "no contract or certificate flow crossing into the assessment",
    )


def _assessment_duties(ctx: Ctx) -> bool:
    return ctx.outcome in ASSESSMENT or (
        ctx.outcome == "no_new_filing" and ctx.facts.existing.mechanism == "security_assessment"
    )


@duty("m22.5.self_assessment")
def self_assessment(ctx: Ctx) -> Finding:
    """The self-assessment precedes a declaration, within the months before it."""
    if not _assessment_duties(ctx):
        return Finding(False, f"the pathway is {ctx.outcome}")
    deadlines: tuple[Deadline, ...] = ()
    if ctx.outcome in ("security_assessment", "redeclare_assessment"):
        months = ctx.param("export.assessment.self_assessment_months")
        deadlines = (
            Deadline(
                "complete the self-assessment report before declaring the security assessment",
                f"the {months} months before the declaration",
                Citation("M22", "5"),
            ),
        )
    return Finding(True, "a security assessment covers the export", deadlines)


@duty("m22.9.legal_documents")
def legal_documents(ctx: Ctx) -> Finding:
    """The legal documents with the recipient that the assessment examines."""
    return _carries(
        _assessment_duties(ctx), "a security assessment covers the export", "no assessment"
    )


@duty("ndsmr.38.scope_lock")
def scope_lock(ctx: Ctx) -> Finding:
    """An approved export stays within what was approved."""
    return _carries(
        _assessment_duties(ctx), "a security assessment covers the export", "no assessment"
    )


@duty("p24.9.apply_extension")
def apply_extension(ctx: Ctx) -> Finding:
    """The window opens 60 working days before expiry and closes the day before it."""
    if ctx.outcome != "extend_assessment":
        return Finding(False, f"the pathway is {ctx.outcome}")
    expiry = lifecycle.assessment_expiry(ctx)
    days = int(ctx.param("export.assessment.extension_window_working_days"))
    try:
        opens: dt.date | None = calendar.subtract_working_days(expiry, days)
    except calendar.CalendarRangeError:
        opens = None
    deadline = Deadline(
        "apply through the provincial CAC to extend the assessment result",
        f"the {days} working days before it expires on {expiry}",
        Citation("P24", "9"),
        by=expiry - dt.timedelta(days=1),
        start=opens,
    )
    return Finding(True, f"the result expires on {expiry}", (deadline,))


@duty("cert25.6.preconditions")
def certification_preconditions(ctx: Ctx) -> Finding:
    """What a certification applicant must have done first, under CERT25."""
    return _carries(
        ctx.outcome == "standard_contract_or_certification",
        "certification is one of the two mechanisms open",
        f"the pathway is {ctx.outcome}",
    )


@duty("gba.5.no_onward_transfer")
def gba_onward(ctx: Ctx) -> Finding:
    """A GBA contract keeps the PI inside the Greater Bay Area."""
    return _carries(
        ctx.outcome == "gba_standard_contract",
        "the GBA standard contract is used",
        f"the pathway is {ctx.outcome}",
    )


def _localisation(ctx: Ctx) -> Finding:
    """A CIIO stores PI and important data in China and exports only what was approved."""
    if ctx.outcome == "not_an_export":
        return Finding(False, "not an export")
    return _carries(ctx.facts.handler.ciio, "the handler is a CIIO", "not a CIIO")


duty("csl.37.localisation")(_localisation)
duty("csl.39.localisation")(_localisation)


def _core_regime(ctx: Ctx) -> Finding:
    """Core data goes only where national rules let it."""
    return _carries(
        ctx.outcome == "core_data_restricted", "the data includes core data", "no core data"
    )


duty("ndsmr.63.core_data_regime")(_core_regime)
duty("dsl.21.core_data_regime")(_core_regime)


def important_data_report(ctx: Ctx) -> Finding:
    """An important-data handler's standing duties, named with the export that reveals them."""
    if ctx.outcome in NO_EXPORT:
        return Finding(False, f"the pathway is {ctx.outcome}")
    return _carries(
        ctx.facts.data.important_data, "the export includes important data", "no important data"
    )


duty("ndsmr.33.important_data_report")(important_data_report)
duty("ra26.16.risk_assessment_report")(important_data_report)


def alternatives(ctx: Ctx, pathway: str) -> tuple[Alternative, ...]:
    """Other mechanisms that satisfy the same requirement."""
    out: list[Alternative] = []
    certification = bool(ctx.param("export.certification.available"))
    scheme = ctx.pack.parameter("export.certification.available", ctx.as_of).citation
    if pathway == "standard_contract_or_certification":
        if certification:
            out.append(
                Alternative("certification", scheme, "certification by an accredited body instead")
            )
        out.extend(_gba_alternative(ctx))
    if pathway == "gba_standard_contract":
        out.append(
            Alternative(
                "standard_contract",
                Citation("P24", "8"),
                "the national contract, filed with the provincial CAC",
            )
        )
        if certification:
            out.append(Alternative("certification", scheme, "certification by an accredited body"))
    return tuple(out)


def _gba_alternative(ctx: Ctx) -> list[Alternative]:
    region = ctx.facts.activity.recipient_region
    rule = ctx.pack.rule(
        "gba_mo.standard_contract" if region == "MO" else "gba.2.standard_contract"
    )
    if not rule.in_force(ctx.as_of) or gba.eligible(ctx) is not None:
        return []
    place = gba.REGION_NAME[region]
    note = f"the GBA contract between the GBA city and {place}"
    return [Alternative("gba_standard_contract", rule.citation, note)]
