"""FRT25 Art. 15 and its announcement FRTA25: when the filing with the CAC is due, whether it
is overdue, and the change and cancellation filings. The deadlines are dates on the official
working-day calendar; a date past the bundled calendar is refused (CalendarRangeError)."""

from __future__ import annotations

import datetime as dt

from chinacomply.rules import periods
from chinacomply.rules.context import Finding, people
from chinacomply.rules.packs.frt.facts import Ctx
from chinacomply.rules.packs.frt.registry import conditions as rule


def threshold(ctx: Ctx) -> int:
    return int(ctx.param("frt.filing.threshold"))


def cutoff(ctx: Ctx) -> dt.date:
    """A count reached before this day files by FRTA25's fixed date."""
    day: dt.date = ctx.param("frt.transition.reached_before")
    return day


def transitional(ctx: Ctx) -> bool:
    """The stored count reached the threshold before FRT25 took effect (FRTA25 item (2))."""
    reached = ctx.facts.reached_100k_on
    return reached is not None and reached < cutoff(ctx)


def filing_deadline(ctx: Ctx, reached: dt.date) -> tuple[dt.date, str]:
    """The last day to file, and how it is counted: FRTA25's fixed date (read by the policy
    frt_before_date_reading) for a count reached before 2025-06-01, else 30 working days from
    the day the count was reached."""
    if transitional(ctx):
        before: dt.date = ctx.param("frt.transition.file_before")
        last = before
        if ctx.policy("frt_before_date_reading") == "exclusive":
            last = before - dt.timedelta(days=1)
        return last, f"before {before} (FRTA25 item (2)), read as by {last}"
    days = int(ctx.param("frt.filing.working_days"))
    return (
        periods.working_days_after(reached, days),
        f"{days} working days of {reached}, the day {threshold(ctx):,} was reached",
    )


def working_days_from(ctx: Ctx, start: dt.date, parameter: str) -> tuple[dt.date, int]:
    days = int(ctx.param(parameter))
    return periods.working_days_after(start, days), days


def _unfiled(ctx: Ctx) -> tuple[dt.date | None, str]:
    """The day an unfiled handler reached the threshold (None, and why, when it has filed or
    is below it)."""
    facts = ctx.facts
    if facts.filing.filed_on is not None:
        return None, f"filed on {facts.filing.filed_on}"
    if facts.reached_100k_on is None:
        return None, f"the face information of {people(facts.stored_individuals)} is stored"
    return facts.reached_100k_on, ""


def _stored(ctx: Ctx, reached: dt.date) -> str:
    return (
        f"the face information of {people(ctx.facts.stored_individuals)} is stored "
        f"({threshold(ctx):,} reached on {reached})"
    )


@rule("frt25.15.2.cancel")
def cancel(ctx: Ctx) -> Finding:
    """A filed handler that has stopped applying face recognition cancels the filing; without
    a filing there is nothing to cancel, and the filing rules below decide."""
    filing = ctx.facts.filing
    if filing.terminated_on is None:
        return Finding(False, "face recognition is still applied")
    if filing.filed_on is None:
        return Finding(False, f"stopped on {filing.terminated_on}, but nothing is filed to cancel")
    return Finding(
        True, f"face recognition stopped on {filing.terminated_on}; filed on {filing.filed_on}"
    )


@rule("frt25.15.2.change")
def change(ctx: Ctx) -> Finding:
    """A substantive change of the filed information, not yet filed, needs a change filing."""
    filing = ctx.facts.filing
    if filing.info_changed_on is None:
        return Finding(False, "the filed information has not changed substantively")
    return Finding(
        True, f"the information filed on {filing.filed_on} changed on {filing.info_changed_on}"
    )


@rule("frt25.15.1.filed")
def filed(ctx: Ctx) -> Finding:
    """A filing in place needs no new filing, whatever the count now."""
    filed_on = ctx.facts.filing.filed_on
    if filed_on is None:
        return Finding(False, "not filed")
    return Finding(True, f"filed on {filed_on}")


def _late(ctx: Ctx, reached: dt.date) -> Finding:
    """Overdue once the last day to file has passed with nothing filed."""
    last, _ = filing_deadline(ctx, reached)
    if ctx.as_of <= last:
        return Finding(False, f"not filed; the last day is {last}, not yet passed")
    return Finding(True, f"{_stored(ctx, reached)}; not filed by {last}")


@rule("frt25.15.1.transition_overdue")
def transition_overdue(ctx: Ctx) -> Finding:
    """A count reached before 2025-06-01 and no filing by FRTA25's date: overdue."""
    reached, why = _unfiled(ctx)
    if reached is None:
        return Finding(False, why)
    if not transitional(ctx):
        return Finding(False, f"{threshold(ctx):,} reached on {reached}, not before {cutoff(ctx)}")
    return _late(ctx, reached)


@rule("frt25.15.1.overdue")
def overdue(ctx: Ctx) -> Finding:
    """A count reached on or after 2025-06-01 and no filing within 30 working days: overdue."""
    reached, why = _unfiled(ctx)
    if reached is None:
        return Finding(False, why)
    if transitional(ctx):
        return Finding(False, f"{threshold(ctx):,} reached on {reached}: FRTA25 item (2) applies")
    return _late(ctx, reached)


@rule("frt25.15.1.transition")
def transition(ctx: Ctx) -> Finding:
    """A count reached before 2025-06-01: file by FRTA25's date, not within 30 working days."""
    reached, why = _unfiled(ctx)
    if reached is None:
        return Finding(False, why)
    if not transitional(ctx):
        return Finding(False, f"{threshold(ctx):,} reached on {reached}, not before {cutoff(ctx)}")
    last, _ = filing_deadline(ctx, reached)
    return Finding(True, f"{_stored(ctx, reached)}, before {cutoff(ctx)}; file by {last}")


@rule("frt25.15.1.filing")
def filing(ctx: Ctx) -> Finding:
    """Stored individuals at or above 100,000 ("达到", inclusive) and no filing: file. Counts
    stored individuals, not verifications."""
    reached, why = _unfiled(ctx)
    if reached is None:
        return Finding(False, why)
    return Finding(True, f"{_stored(ctx, reached)}; not filed")


@rule("frt25.15.1.below")
def below(ctx: Ctx) -> Finding:
    """Fewer stored individuals than the threshold: no filing."""
    count, limit = ctx.facts.stored_individuals, threshold(ctx)
    if count >= limit:
        return Finding(
            False, f"the face information of {people(count)} is stored ({limit:,} or more)"
        )
    return Finding(True, f"the face information of {people(count)} is stored, fewer than {limit:,}")
