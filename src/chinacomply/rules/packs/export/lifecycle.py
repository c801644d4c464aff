"""An approval or filing that already covers the flow: no new filing, re-file, extend or
declare again (SCC23 Art. 8; GBA Art. 7; QA2510 Q7; M22 Art. 14; P24 Art. 9; CERT25 Art. 8).

These rules run after the base rules have found the pathway the transfer needs today, and only
where that pathway is one a filed mechanism can satisfy.
"""

from __future__ import annotations

import datetime as dt

from chinacomply.rules import calendar
from chinacomply.rules.context import Finding
from chinacomply.rules.packs.export.facts import Ctx
from chinacomply.rules.packs.export.registry import conditions as condition

CONTRACT_PATHWAYS = ("standard_contract_or_certification", "gba_standard_contract")
P24_IN_FORCE = dt.date(2024, 3, 22)


def valid_from(ctx: Ctx) -> dt.date:
    """The day the approval or filing took effect (the facts model requires it with a
    mechanism)."""
    start = ctx.facts.existing.valid_from
    assert start is not None, "existing.valid_from is required with existing.mechanism"
    return start


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def expires(ctx: Ctx, issued: dt.date, years: int) -> dt.date:
    """The first day a validity of `years` from `issued` no longer covers: the anniversary, or
    the day after it when the policy validity_last_day reads the anniversary as still valid."""
    anniversary = _add_years(issued, years)
    if ctx.policy("validity_last_day") == "anniversary":
        return anniversary + dt.timedelta(days=1)
    return anniversary


def assessment_expiry(ctx: Ctx) -> dt.date:
    """The day an assessment result stops being valid: issued + validity years, the years in
    force when it was issued (or P24's for results still valid on 2024-03-22, by policy)."""
    issued = valid_from(ctx)
    years = int(ctx.param("export.assessment.validity_years", issued))
    still_valid_under_p24 = _add_years(issued, years) > P24_IN_FORCE
    if (
        issued < P24_IN_FORCE
        and ctx.policy("pre_p24_assessment_validity") == "p24"
        and still_valid_under_p24
    ):
        years = int(ctx.param("export.assessment.validity_years", P24_IN_FORCE))
    return expires(ctx, issued, years)


def within_working_days_before(ctx: Ctx, end: dt.date, days: int) -> bool:
    """Whether the decision date lies in the `days` working days before `end`. Far from the
    edge no calendar is needed (working days never outnumber calendar days, and 60 of them
    always span under 120 calendar days); near it, the PRC holiday calendar decides."""
    if ctx.as_of >= end:
        return False
    gap = (end - ctx.as_of).days
    if gap <= days:
        return True
    if gap > 2 * days:
        return False
    opens: dt.date = calendar.subtract_working_days(end, days)
    return ctx.as_of >= opens


def _changes(ctx: Ctx) -> tuple[str, ...]:
    return ctx.facts.existing.material_changes


def _mechanism(ctx: Ctx) -> str | None:
    return ctx.facts.existing.mechanism


@condition("scc23.8.refile")
def refile_contract(ctx: Ctx) -> Finding:
    """A filed standard contract, the transfer still in the contract band, and a material change
    since filing (purpose, scope, types, recipient, retention, the recipient's law...): redo
    the PIPIA, re-sign and file again."""
    if _mechanism(ctx) != "standard_contract":
        return Finding(False, "no filed standard contract")
    if ctx.outcome != "standard_contract_or_certification":
        return Finding(False, f"the transfer now needs {ctx.outcome}, not the standard contract")
    if not _changes(ctx):
        return Finding(False, "nothing material changed since filing")
    return Finding(True, f"material changes since filing: {', '.join(_changes(ctx))}")


@condition("gba.7.refile")
def refile_gba(ctx: Ctx) -> Finding:
    """The same re-filing triggers for a filed GBA standard contract."""
    if _mechanism(ctx) != "gba_standard_contract":
        return Finding(False, "no filed GBA standard contract")
    if ctx.outcome != "gba_standard_contract":
        return Finding(False, f"the transfer now needs {ctx.outcome}, not the GBA contract")
    if not _changes(ctx):
        return Finding(False, "nothing material changed since filing")
    return Finding(True, f"material changes since filing: {', '.join(_changes(ctx))}")


@condition("scc23.8.contract_covers")
def contract_covers(ctx: Ctx) -> Finding:
    """A filed contract with none of the re-filing triggers holding covers continuing flows
    while the calendar-year volume stays in the contract band; once it crosses into the
    assessment, the declaration includes what left under the contract since 1 January
    (QA2601 Q1)."""
    mechanism = _mechanism(ctx)
    if mechanism not in ("standard_contract", "gba_standard_contract"):
        return Finding(False, "no filed standard contract")
    if ctx.outcome not in CONTRACT_PATHWAYS:
        return Finding(
            False,
            f"the volumes now need {ctx.outcome} (QA2510 Q7): the contract no longer suffices",
        )
    if _changes(ctx):
        return Finding(False, "material changes since filing")
    return Finding(True, "the filed contract covers the flow and the volumes stay within its band")


def _assessment_in_place(ctx: Ctx) -> str | None:
    """Why the assessment lifecycle does not apply, or None."""
    if _mechanism(ctx) != "security_assessment":
        return "no assessment result in place"
    if ctx.outcome not in ("security_assessment", *CONTRACT_PATHWAYS):
        return f"the transfer needs {ctx.outcome}"
    return None


@condition("m22.14.redeclare")
def redeclare(ctx: Ctx) -> Finding:
    """An assessment result that expired, or with a material change during validity, is
    declared again; under M22, 60 working days before expiry."""
    blocked = _assessment_in_place(ctx)
    if blocked:
        return Finding(False, blocked)
    expiry = assessment_expiry(ctx)
    if _changes(ctx):
        return Finding(True, f"material changes during validity: {', '.join(_changes(ctx))}")
    if ctx.as_of >= expiry:
        return Finding(True, f"the result expired on {expiry}")
    before = ctx.param("export.assessment.redeclare_before_expiry_working_days")
    if before is not None and within_working_days_before(ctx, expiry, int(before)):
        return Finding(
            True,
            f"under M22 the result expiring {expiry} is re-declared {before} working days ahead",
        )
    return Finding(False, f"the result is valid until {expiry} and nothing material changed")


def _extension_window(ctx: Ctx) -> tuple[bool, dt.date]:
    expiry = assessment_expiry(ctx)
    days = int(ctx.param("export.assessment.extension_window_working_days"))
    return within_working_days_before(ctx, expiry, days), expiry


@condition("p24.9.extension_closed")
def extension_closed(ctx: Ctx) -> Finding:
    """Inside the extension window, projected growth of individuals above the 20% cap closes
    the extension (G-SA3 §3(1), QA2607 Q2): declare again."""
    blocked = _assessment_in_place(ctx)
    if blocked:
        return Finding(False, blocked)
    inside, expiry = _extension_window(ctx)
    growth = ctx.facts.existing.projected_growth
    cap = float(ctx.param("export.assessment.extension_growth_cap"))
    if not inside:
        return Finding(False, f"not within the extension window before {expiry}")
    if growth is None or growth <= cap:
        return Finding(False, "growth within the cap" if growth is not None else "growth not given")
    return Finding(True, f"growth of {growth:.0%} exceeds the {cap:.0%} cap for an extension")


@condition("p24.9.extension")
def extension(ctx: Ctx) -> Finding:
    """Inside the 60 working days before the result expires, nothing changed and growth within
    the cap: apply to extend by three years (counted on the PRC working-day calendar)."""
    blocked = _assessment_in_place(ctx)
    if blocked:
        return Finding(False, blocked)
    inside, expiry = _extension_window(ctx)
    if not inside:
        return Finding(False, f"not within the extension window before {expiry}")
    growth = ctx.facts.existing.projected_growth
    if growth is None:
        return Finding(
            True,
            f"the result expires on {expiry}; open if growth stays within the cap (not given)",
        )
    return Finding(True, f"the result expires on {expiry}, nothing changed, growth {growth:.0%}")


@condition("assessment.valid")
def assessment_valid(ctx: Ctx) -> Finding:
    """A valid assessment result with nothing material changed covers the export."""
    blocked = _assessment_in_place(ctx)
    if blocked:
        return Finding(False, blocked)
    expiry = assessment_expiry(ctx)
    if ctx.as_of >= expiry or _changes(ctx):
        return Finding(False, "expired or materially changed")
    return Finding(
        True, f"the assessment result is valid until {expiry} and nothing material changed"
    )


@condition("cert25.8.certificate_valid")
def certificate_valid(ctx: Ctx) -> Finding:
    """From 2026 the certification measures govern; certificates issued before stay valid for
    their term; a material change means certifying again or using the contract."""
    if _mechanism(ctx) != "certification":
        return Finding(False, "no certificate in place")
    if ctx.outcome != "standard_contract_or_certification":
        return Finding(False, f"the transfer needs {ctx.outcome}")
    return _certificate(ctx)


def _certificate(ctx: Ctx) -> Finding:
    issued = valid_from(ctx)
    first = ctx.pack.parameters["export.certification.validity_years"][0].effective_from
    if issued < first:
        return Finding(False, f"certification began on {first}: no certificate of {issued}")
    years = int(ctx.param("export.certification.validity_years", issued))
    expiry = expires(ctx, issued, years)
    if ctx.as_of >= expiry:
        return Finding(False, f"the certificate expired on {expiry}")
    if _changes(ctx):
        return Finding(
            False, "material changes since certification: certify again or use the contract"
        )
    last = expiry - dt.timedelta(days=1)
    return Finding(True, f"the certificate issued on {issued} is valid until {last}")


@condition("cert22.certificate_valid")
def certificate_2022(ctx: Ctx) -> Finding:
    """Before CERT25, certification under the 2022 announcement and its implementation rules
    was already one of PIPL Art. 38's mechanisms; a certificate is valid three years (rules
    5.1.1) and covers the flow while nothing material changes."""
    if _mechanism(ctx) != "certification":
        return Finding(False, "no certificate in place")
    if ctx.outcome != "standard_contract_or_certification":
        return Finding(False, f"the transfer needs {ctx.outcome}")
    return _certificate(ctx)
