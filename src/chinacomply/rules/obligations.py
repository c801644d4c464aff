"""What comes with a pathway: the duties that stay whatever the mechanism, the deadlines of the
mechanism chosen, and the other mechanisms that would do as well."""

from __future__ import annotations

import datetime as dt
import re

from chinacomply.model import Alternative, Citation, Deadline, Obligation
from chinacomply.rules import calendar, law
from chinacomply.rules.context import Context
from chinacomply.rules.export import gba, lifecycle

ASSESSMENT = ("security_assessment", "extend_assessment", "redeclare_assessment")
CONTRACT = (
    "standard_contract_or_certification",
    "gba_standard_contract",
    "refile_standard_contract",
)
_PLACEHOLDER = re.compile(r"\{([a-z_.]+)\}")


def _obligation(ctx: Context, id_: str) -> Obligation | None:
    meta = law.obligation_texts()[id_]
    if ctx.as_of < meta.effective_from or (meta.effective_to and ctx.as_of > meta.effective_to):
        return None
    text = _PLACEHOLDER.sub(lambda m: str(ctx.param(m.group(1))), meta.text)
    return Obligation(id_, meta.citation, text)


def obligations(ctx: Context, pathway: str) -> tuple[Obligation, ...]:
    """Duties attached to the decision, in the order a DPO works through them."""
    facts = ctx.facts
    if pathway == "not_an_export":
        return ()
    if pathway == "core_data_restricted":
        ids = ["ndsmr.63.core_data", "dsl.21.core_data"]  # whichever is in force
    else:
        ids = []
        if facts.data.personal_information:
            ids += ["pipl.39.notice"]
            consent = ctx.policy("separate_consent")
            if consent == "always" or not (
                facts.grounds.contract_with_individual or facts.grounds.hr_management
            ):
                ids += ["pipl.39.separate_consent"]
            ids += ["pipl.55.pipia", "pipl.38.3.recipient_standard"]
            if pathway == "exempt":
                ids += ["p24.10.duties_remain"]
        ids += ["p24.11.security", "ndsmr.12.records"]
        if pathway in ASSESSMENT or (
            pathway == "no_new_filing" and facts.existing.mechanism == "security_assessment"
        ):
            ids += ["m22.5.self_assessment", "m22.9.legal_documents", "ndsmr.38.scope_lock"]
        if pathway == "standard_contract_or_certification" and ctx.param(
            "export.certification.measures_in_force"
        ):
            ids += ["cert25.6.preconditions"]
        if pathway == "gba_standard_contract":
            ids += ["gba.5.no_onward_transfer"]
        if facts.handler.ciio:
            ids += ["csl.37.localisation", "csl.39.localisation"]  # renumbered 2026-01-01
        if facts.data.important_data:
            ids += ["ndsmr.33.important_data_report"]
    found = (_obligation(ctx, id_) for id_ in ids)
    return tuple(o for o in found if o is not None)


def deadlines(ctx: Context, pathway: str) -> tuple[Deadline, ...]:
    """Deadlines of the mechanism; dated where the facts give the day the period starts."""
    out: list[Deadline] = []
    filing_days = ctx.param_if_in_force("export.contract.filing_working_days")
    if (
        pathway in ("standard_contract_or_certification", "refile_standard_contract")
        and filing_days
    ):
        days = int(filing_days)
        what = (
            "re-sign the standard contract and file it again with the provincial CAC"
            if pathway == "refile_standard_contract"
            else "file the standard contract with the provincial CAC"
        )
        out.append(
            Deadline(
                what, f"{days} working days of the contract taking effect", Citation("SCC23", "7")
            )
        )
    if pathway == "gba_standard_contract":
        days = int(ctx.param("export.gba.filing_working_days"))
        out.append(
            Deadline(
                "both parties file the GBA standard contract (Guangdong CAC / Hong Kong OGCIO)",
                f"{days} working days of the contract taking effect",
                Citation("GBA", "8"),
            )
        )
    if pathway == "extend_assessment":
        expiry = lifecycle.assessment_expiry(ctx)
        days = int(ctx.param("export.assessment.extension_window_working_days"))
        try:
            opens: dt.date | None = calendar.subtract_working_days(expiry, days)
        except calendar.CalendarRangeError:
            opens = None
        out.append(
            Deadline(
                "apply through the provincial CAC to extend the assessment result",
                f"the {days} working days before it expires on {expiry}",
                Citation("P24", "9"),
                by=expiry - dt.timedelta(days=1),
                start=opens,
            )
        )
    if pathway in ("security_assessment", "redeclare_assessment"):
        months = ctx.param("export.assessment.self_assessment_months")
        out.append(
            Deadline(
                "complete the self-assessment report before declaring the security assessment",
                f"the {months} months before the declaration",
                Citation("M22", "5"),
            )
        )
    return tuple(out)


def alternatives(ctx: Context, pathway: str) -> tuple[Alternative, ...]:
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
        if law.rule("gba.2.standard_contract").in_force(ctx.as_of) and gba.eligible(ctx) is None:
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
