"""What comes with a pathway: the duties that stay whatever the mechanism, the deadlines of the
mechanism chosen (duties.yaml holds their words), and the other mechanisms that would do as
well."""

from __future__ import annotations

import datetime as dt

from chinacomply.model import Alternative, Citation, Deadline
from chinacomply.rules import calendar
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
    if grounds.contract_with_individual or grounds.hr_management:
        return Finding(False, "the export rests on a contract or HR basis, not on consent")
    return Finding(True, "consent is the legal basis of the export")


@duty("pipl.55.pipia")
def pipia(ctx: Ctx) -> Finding:
    """An impact assessment precedes every PI export (PIPL Art. 55(4))."""
    blocked = _pi_export(ctx)
    return Finding(blocked is None, blocked or "PI leaves China")


@duty("pipl.38.3.recipient_standard")
def recipient_standard(ctx: Ctx) -> Finding:
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
    return _carries(ctx.outcome not in NO_EXPORT, "data leaves China", "nothing leaves")


@duty("ndsmr.12.records")
def records(ctx: Ctx) -> Finding:
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


@duty("gba.8.filing")
def gba_filing(ctx: Ctx) -> Finding:
    if ctx.outcome != "gba_standard_contract":
        return Finding(False, f"the pathway is {ctx.outcome}")
    days = int(ctx.param("export.gba.filing_working_days"))
    deadline = Deadline(
        "both parties file the GBA standard contract (Guangdong CAC / Hong Kong OGCIO)",
        f"{days} working days of the contract taking effect",
        Citation("GBA", "8"),
    )
    return Finding(True, "the GBA standard contract is used", (deadline,))


def _assessment_duties(ctx: Ctx) -> bool:
    return ctx.outcome in ASSESSMENT or (
        ctx.outcome == "no_new_filing" and ctx.facts.existing.mechanism == "security_assessment"
    )


@duty("m22.5.self_assessment")
def self_assessment(ctx: Ctx) -> Finding:
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
    return _carries(
        _assessment_duties(ctx), "a security assessment covers the export", "no assessment"
    )


@duty("ndsmr.38.scope_lock")
def scope_lock(ctx: Ctx) -> Finding:
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
    return _carries(
        ctx.outcome == "standard_contract_or_certification",
        "certification is one of the two mechanisms open",
        f"the pathway is {ctx.outcome}",
    )


@duty("gba.5.no_onward_transfer")
def gba_onward(ctx: Ctx) -> Finding:
    return _carries(
        ctx.outcome == "gba_standard_contract",
        "the GBA standard contract is used",
        f"the pathway is {ctx.outcome}",
    )


def _localisation(ctx: Ctx) -> Finding:
    if ctx.outcome == "not_an_export":
        return Finding(False, "not an export")
    return _carries(ctx.facts.handler.ciio, "the handler is a CIIO", "not a CIIO")


duty("csl.37.localisation")(_localisation)
duty("csl.39.localisation")(_localisation)


def _core_regime(ctx: Ctx) -> Finding:
    return _carries(
        ctx.outcome == "core_data_restricted", "the data includes core data", "no core data"
    )


duty("ndsmr.63.core_data_regime")(_core_regime)
duty("dsl.21.core_data_regime")(_core_regime)


@duty("ndsmr.33.important_data_report")
def important_data_report(ctx: Ctx) -> Finding:
    if ctx.outcome in NO_EXPORT:
        return Finding(False, f"the pathway is {ctx.outcome}")
    return _carries(
        ctx.facts.data.important_data, "the export includes important data", "no important data"
    )


def alternatives(ctx: Ctx, pathway: str) -> tuple[Alternative, ...]:
    """Other mechanisms that satisfy the same requirement."""
    out: list[Alternative] = []
    certification = bool(ctx.param("export.certification.measures_in_force"))
    if pathway == "standard_contract_or_certification":
        if certification:
            out.append(
                Alternative(
                    "certification",
                    Citation("CERT25", "5"),
                    "certification by an accredited body instead",
                )
            )
        if (
            ctx.pack.rule("gba.2.standard_contract").in_force(ctx.as_of)
            and gba.eligible(ctx) is None
        ):
            out.append(
                Alternative(
                    "gba_standard_contract",
                    Citation("GBA", "2"),
                    "the GBA contract between the GBA city and Hong Kong",
                )
            )
    if pathway == "gba_standard_contract":
        out.append(
            Alternative(
                "standard_contract",
                Citation("P24", "8"),
                "the national contract, filed with the provincial CAC",
            )
        )
        if certification:
            out.append(
                Alternative(
                    "certification", Citation("CERT25", "5"), "certification by an accredited body"
                )
            )
    return tuple(out)
