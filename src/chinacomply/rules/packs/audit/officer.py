"""The PI protection officer: appointed from 1,000,000 persons (AUD25 Art. 12, PIPL Art. 52)
and reported to the city-level CAC under PIPO25 (the CAC announcement of 2025-07-18): within
30 working days of the count reaching 1,000,000 (item 1), before 2025-08-29 for handlers
already there (item 2), and within 30 working days of a change (item 3)."""

from __future__ import annotations

import datetime as dt

from chinacomply.model import Deadline
from chinacomply.rules import periods
from chinacomply.rules.context import Finding, people
from chinacomply.rules.packs.audit.duties import in_scope, state
from chinacomply.rules.packs.audit.facts import Ctx
from chinacomply.rules.packs.audit.registry import conditions as duty

PUBLISHED = "pipo25.1.officer_report"  # its effective_from is the announcement's date


def _officer_required(ctx: Ctx) -> Finding:
    """PI of 1,000,000 or more persons processed (100万人以上 includes the number)."""
    blocked = in_scope(ctx)
    if blocked:
        return blocked
    threshold = int(ctx.param("audit.officer.from"))
    count = ctx.facts.individuals_processed
    if count < threshold:
        return Finding(False, f"PI of {people(count)} processed: fewer than {threshold:,}")
    return Finding(True, f"PI of {people(count)} processed: {threshold:,} or more")


duty("aud25.12.officer")(_officer_required)
duty("pipl.52.officer_contact")(_officer_required)


def _announced(ctx: Ctx) -> dt.date:
    return ctx.pack.rule(PUBLISHED).effective_from


@duty("pipo25.1.officer_report")
def officer_report(ctx: Ctx) -> Finding:
    """A count that reached 1,000,000 on or after the announcement (2025-07-18): report the
    officer within 30 working days of that day, on the official working-day calendar."""
    blocked = in_scope(ctx)
    if blocked:
        return blocked
    reached = ctx.facts.reached_1m_on
    if reached is None:
        return Finding(False, "the count has not reached 1,000,000 persons")
    if reached < _announced(ctx):
        return Finding(False, f"the count reached 1,000,000 on {reached}, before the announcement")
    days = int(ctx.param("audit.officer.report_working_days"))
    by = periods.working_days_after(reached, days)
    deadline = Deadline(
        "report the PI protection officer's information to the city-level CAC",
        f"{days} working days of the count reaching 1,000,000 on {reached}",
        ctx.pack.rule(PUBLISHED).citation,
        by=by,
    )
    return Finding(
        True,
        f"the count reached 1,000,000 on {reached}: report by {by} ({state(ctx, by)})",
        (deadline,),
    )


@duty("pipo25.2.existing_handlers")
def existing_handlers(ctx: Ctx) -> Finding:
    """A count at 1,000,000 before the announcement (2025-07-18): report before 2025-08-29;
    whether the 29th itself is in time is policy audit_before_date_reading."""
    blocked = in_scope(ctx)
    if blocked:
        return blocked
    reached = ctx.facts.reached_1m_on
    if reached is None:
        return Finding(False, "the count has not reached 1,000,000 persons")
    if reached >= _announced(ctx):
        return Finding(False, f"the count reached 1,000,000 on {reached}, after the announcement")
    before = dt.date.fromisoformat(ctx.param("audit.officer.existing_before"))
    inclusive = ctx.policy("audit_before_date_reading") == "inclusive"
    by = before if inclusive else before - dt.timedelta(days=1)
    deadline = Deadline(
        "report the PI protection officer's information to the city-level CAC",
        f"the period set for handlers already at 1,000,000: before {before} (policy "
        "audit_before_date_reading)",
        ctx.pack.rule("pipo25.2.existing_handlers").citation,
        by=by,
    )
    return Finding(
        True,
        f"the count reached 1,000,000 on {reached}, before the announcement: report by {by} "
        f"({state(ctx, by)})",
        (deadline,),
    )


@duty("pipo25.3.officer_change")
def officer_change(ctx: Ctx) -> Finding:
    """A substantive change of the reported officer information on or after the announcement:
    update it within 30 working days of the change."""
    blocked = in_scope(ctx)
    if blocked:
        return blocked
    changed = ctx.facts.officer_info_changed_on
    if changed is None:
        return Finding(False, "the officer information has not changed")
    if changed < _announced(ctx):
        return Finding(
            False,
            f"the change on {changed} predates the reporting procedure; the first report "
            "carries the current information",
        )
    days = int(ctx.param("audit.officer.change_working_days"))
    by = periods.working_days_after(changed, days)
    deadline = Deadline(
        "update the reported PI protection officer information with the city-level CAC",
        f"{days} working days of the change on {changed}",
        ctx.pack.rule("pipo25.3.officer_change").citation,
        by=by,
    )
    return Finding(
        True,
        f"the officer information changed on {changed}: update by {by} ({state(ctx, by)})",
        (deadline,),
    )
