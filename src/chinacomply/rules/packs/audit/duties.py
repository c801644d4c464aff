"""What comes with an audit decision besides the officer (officer.py): the regular audit and
its interval (AUD25 Arts. 3-4), the oversight body of important platforms (Art. 12 para. 2),
auditor rotation (Art. 15), the ordered audit's cost, sub-entrusting and rectification
(Arts. 8, 14, 11; PIPL Art. 64), minors' yearly audit (MINAUD25) and the small-handler forms
(SMALL26, unverified). A handler outside the Measures (Art. 19) carries none of them."""

from __future__ import annotations

import calendar as months
import datetime as dt

from chinacomply.model import Deadline
from chinacomply.rules import periods
from chinacomply.rules.context import Finding, people
from chinacomply.rules.packs.audit.facts import Ctx
from chinacomply.rules.packs.audit.registry import conditions as duty

ORDERED = "ordered_audit_possible"


def in_scope(ctx: Ctx) -> Finding | None:
    """A not-applying finding for a handler outside the Measures, or None."""
    if ctx.decided.get("scope") == "not_in_scope":
        return Finding(False, "the handler is outside AUD25 (Art. 19)")
    return None


def state(ctx: Ctx, by: dt.date) -> str:
    """Whether a last day has passed on the decision date."""
    return "passed" if by < ctx.as_of else "open"


def _first_audit(ctx: Ctx) -> str:
    """No audit yet: the first one is due now, since no instrument read fixes its date (the
    unverified parameter audit.first_audit_due marks it in the trace)."""
    ctx.param("audit.first_audit_due")
    return "no audit has been done: audit now (when the first audit falls due is not settled)"


def _suggested(ctx: Ctx, years: list[int]) -> str:
    """The dates by which the CAC's guidance would have the next audit, from the last one."""
    last = ctx.facts.last_audit_on
    if last is None:
        return _first_audit(ctx)
    dates = " or ".join(str(periods.add_months(last, 12 * y)) for y in years)
    plural = " or ".join(str(y) for y in years)
    return (
        f"the last audit was on {last}; at {plural} years the guidance suggests the next by {dates}"
    )


@duty("aud25.3.self_audit")
def self_audit(ctx: Ctx) -> Finding:
    """Every handler in scope audits regularly; the why names the interval the frequency
    stage found and, for the guidance bands, the dates it suggests (guidance, no deadline)."""
    blocked = in_scope(ctx)
    if blocked:
        return blocked
    frequency = ctx.decided["frequency"]
    if frequency == "audit_every_2_years":
        return Finding(True, "at least every 2 years (AUD25 Art. 4: see aud25.4.biennial_audit)")
    if frequency == "audit_every_3_or_4_years":
        return Finding(True, _suggested(ctx, list(ctx.param("audit.guidance.mid_band_years"))))
    if frequency == "audit_every_5_years":
        return Finding(True, _suggested(ctx, [int(ctx.param("audit.guidance.low_band_years"))]))
    last = ctx.facts.last_audit_on
    if last is None:
        return Finding(True, _first_audit(ctx))
    return Finding(
        True, f"the last audit was on {last}; the audit policy sets when the next is due"
    )


@duty("aud25.4.biennial_audit")
def biennial_audit(ctx: Ctx) -> Finding:
    """Above 10,000,000 persons the next audit is due by the anniversary, two years after the
    last one (the safe date, not moved for rest days: the frequency is a binding maximum
    interval); with no audit yet, now."""
    if ctx.decided.get("frequency") != "audit_every_2_years":
        return Finding(False, f"the frequency is {ctx.decided.get('frequency', 'not decided')}")
    years = int(ctx.param("audit.biennial.years"))
    citation = ctx.pack.rule("aud25.4.biennial_audit").citation
    last = ctx.facts.last_audit_on
    if last is None:
        deadline = Deadline(
            "carry out the first PI protection compliance audit",
            f"the {years} years of Art. 4, from a start no instrument read fixes (unverified): "
            "audit now",
            citation,
        )
        return Finding(True, _first_audit(ctx), (deadline,))
    by = periods.add_months(last, 12 * years)
    deadline = Deadline(
        "carry out the next PI protection compliance audit",
        f"{years} years of the last audit on {last} (the anniversary)",
        citation,
        by=by,
    )
    return Finding(
        True,
        f"the last audit was on {last}: the next is due by {by} ({state(ctx, by)})",
        (deadline,),
    )


@duty("aud25.12.oversight_body")
def oversight_body(ctx: Ctx) -> Finding:
    """An important internet platform with a huge number of users and complex business has an
    independent body, mainly of external members, oversee its audits."""
    blocked = in_scope(ctx)
    if blocked:
        return blocked
    if not ctx.facts.important_platform:
        return Finding(False, "the handler does not provide important internet platform services")
    return Finding(True, "the handler provides important internet platform services")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@duty("aud25.15.rotation")
def rotation(ctx: Ctx) -> Finding:
    """The same body (with its affiliates) or audit lead may not audit "连续三次以上": with two
    audits already in a row, a third by them is barred; the why says allowed or barred."""
    blocked = in_scope(ctx)
    if blocked:
        return blocked
    barred_from = int(ctx.param("audit.rotation.barred_from"))
    done = ctx.facts.consecutive_audits_by_same_body
    following = done + 1
    state = "barred" if following >= barred_from else "allowed"
    return Finding(
        True,
        f"{state}: the same body or audit lead has done {done} audit{'s' if done != 1 else ''} "
        f"in a row; the next by them would be the {_ordinal(following)} (barred from the "
        f"{_ordinal(barred_from)})",
    )


def _ordered(ctx: Ctx) -> Finding:
    """An audit by a professional body may be ordered (AUD25 Art. 5)."""
    if ctx.decided.get("order") != ORDERED:
        return Finding(False, "no ground for an ordered audit holds")
    return Finding(True, "an audit by a professional body may be ordered")


duty("aud25.8.ordered_audit_cost")(_ordered)
duty("aud25.14.no_subdelegation")(_ordered)
duty("pipl.64.ordered_measures")(_ordered)


@duty("aud25.11.rectification_report")
def rectification_report(ctx: Ctx) -> Finding:
    """Rectification completed after an ordered audit: report it within 15 working days of
    completion, on the official working-day calendar."""
    blocked = in_scope(ctx)
    if blocked:
        return blocked
    done = ctx.facts.rectification_completed_on
    if done is None:
        return Finding(False, "no rectification has been completed")
    days = int(ctx.param("audit.rectification.report_working_days"))
    by = periods.working_days_after(done, days)
    deadline = Deadline(
        "report the rectification to the protection department",
        f"{days} working days after the rectification was completed on {done}",
        ctx.pack.rule("aud25.11.rectification_report").citation,
        by=by,
    )
    return Finding(
        True,
        f"the rectification was completed on {done}: report by {by} ({state(ctx, by)})",
        (deadline,),
    )


def _next_report(ctx: Ctx) -> dt.date:
    """The last day of the report month (January) next reached from the decision date."""
    month = int(ctx.param("audit.minors.report_month"))
    year = ctx.as_of.year if ctx.as_of.month <= month else ctx.as_of.year + 1
    return dt.date(year, month, months.monthrange(year, month)[1])


@duty("minaud25.minors_audit")
def minors_audit(ctx: Ctx) -> Finding:
    """A handler of minors' PI audits that processing every year and reports each year's audit
    by the end of January of the next (a fixed date: no period is counted)."""
    blocked = in_scope(ctx)
    if blocked:
        return blocked
    if not ctx.facts.processes_minors_pi:
        return Finding(False, "the handler does not process minors' PI")
    by = _next_report(ctx)
    deadline = Deadline(
        f"report the {by.year - 1} audit of minors' PI to the city-level CAC",
        "the January after the year audited",
        ctx.pack.rule("minaud25.minors_audit").citation,
        by=by,
    )
    return Finding(
        True, f"the handler processes minors' PI: the next report is due by {by}", (deadline,)
    )


@duty("small26.simplified_forms")
def simplified_forms(ctx: Ctx) -> Finding:
    """Fewer persons than the small-handler threshold (an unverified value, shown in the
    trace): the simplified audit forms may be open; nothing is decided on it."""
    blocked = in_scope(ctx)
    if blocked:
        return blocked
    below = int(ctx.param("audit.small_handler.individuals_below"))
    count = ctx.facts.individuals_processed
    if count >= below:
        return Finding(False, f"PI of {people(count)} processed: not fewer than {below:,}")
    return Finding(True, f"PI of {people(count)} processed: fewer than {below:,} (unverified)")
