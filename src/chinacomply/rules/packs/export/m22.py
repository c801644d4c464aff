"""Measures for Data Export Security Assessment (M22), in force 2022-09-01; its volume triggers
were replaced by P24 on 2024-03-22. Counting: since 1 January of the previous year."""

from __future__ import annotations

from chinacomply.rules.context import Finding, people
from chinacomply.rules.facts import FactsError
from chinacomply.rules.packs.export.facts import Ctx
from chinacomply.rules.packs.export.p24 import sensitive_count
from chinacomply.rules.packs.export.registry import conditions as condition


def processed(ctx: Ctx) -> int:
    """Individuals whose PI the handler processes: M22 Art. 4(2) and SCC23 Art. 4 turn on it,
    so before 2024-03-22 it is required rather than guessed."""
    count = ctx.facts.handler.processed_individuals
    if count is None:
        raise FactsError(
            "handler.processed_individuals: required for dates before 2024-03-22 "
            "(M22 Art. 4(2) and SCC23 Art. 4 turn on it)"
        )
    return count


def persons(ctx: Ctx) -> int:
    """All individuals whose PI is exported in the window; a person in both counters is counted
    twice, which can only bring an assessment sooner."""
    return ctx.facts.volumes.non_sensitive + sensitive_count(ctx)


@condition("m22.2.scope")
def scope(ctx: Ctx) -> Finding:
    """Before P24, the assessment regime covered important data and PI; other data needed no
    mechanism."""
    data = ctx.facts.data
    if data.personal_information or data.important_data:
        return Finding(False, "the data includes PI or important data")
    return Finding(
        True, "the data includes neither PI nor important data, which the measures cover"
    )


@condition("m22.4.1.important_data")
def important_data(ctx: Ctx) -> Finding:
    """Before P24, any export of important data needed the assessment."""
    if ctx.facts.data.important_data:
        return Finding(True, "the data includes important data")
    return Finding(False, "no important data")


@condition("m22.4.2.ciio_or_processed")
def ciio_or_processed(ctx: Ctx) -> Finding:
    """Before P24, a CIIO, or a handler processing PI of 1,000,000 or more persons, needed
    the assessment to export any PI."""
    if not ctx.facts.data.personal_information:
        return Finding(False, "no PI is exported")
    if ctx.facts.handler.ciio:
        return Finding(True, "a notified CIIO exports PI")
    limit = ctx.param("export.assessment.processed_from")
    count = processed(ctx)
    if count >= limit:
        return Finding(True, f"the handler processes PI of {people(count)} (at least {limit:,})")
    return Finding(False, f"the handler processes PI of {people(count)}, fewer than {limit:,}")


@condition("m22.4.3.volume")
def volume(ctx: Ctx) -> Finding:
    """Before P24, PI of 100,000 persons or sensitive PI of 10,000 exported since 1 January
    of the previous year needed the assessment."""
    n_from = ctx.param("export.assessment.non_sensitive_from")
    s_from = ctx.param("export.assessment.sensitive_from")
    total, s = persons(ctx), sensitive_count(ctx)
    if total >= n_from:
        return Finding(
            True,
            f"PI of {people(total)} since 1 January last year (at least {n_from:,})",
        )
    if s >= s_from:
        return Finding(
            True,
            f"sensitive PI of {people(s)} since 1 January last year (at least {s_from:,})",
        )
    return Finding(
        False,
        f"PI of {people(total)}, sensitive PI of {people(s)}, since 1 January last year",
    )
