"""What comes with an incident decision: the report with its deadline as a timestamp, the
report's contents, the escalation (for information), the closing report, and the duties of
PIPL, NDSMR, DSL, CSL, P24 and AUD25 (duties.yaml holds their words and the outcomes each can
come with)."""

from __future__ import annotations

import datetime as dt

from chinacomply.model import Deadline
from chinacomply.rules import periods
from chinacomply.rules.context import Finding, people
from chinacomply.rules.packs.incident.facts import Ctx
from chinacomply.rules.packs.incident.registry import conditions as duty

ESCALATED = ("especially_major", "major")


def _carries(applies: bool, why: str, otherwise: str) -> Finding:
    return Finding(True, why) if applies else Finding(False, otherwise)


def _moment(moment: dt.datetime) -> str:
    """2026-10-01T02:40+08:00: to the minute, with the zone."""
    return moment.isoformat(timespec="minutes")


def _within_hours(ctx: Ctx, duty_id: str, parameter: str, what: str) -> Finding:
    """A duty due a number of hours after discovery, as an aware timestamp."""
    hours = int(ctx.param(parameter))
    discovered = ctx.facts.discovered
    at = periods.hours_after(discovered, hours)
    unit = "hour" if hours == 1 else "hours"
    deadline = Deadline(
        what,
        f"{hours} {unit} of discovery ({_moment(discovered)})",
        ctx.pack.rule(duty_id).citation,
        at=at,
    )
    return Finding(True, f"discovered at {_moment(discovered)}: due at {_moment(at)}", (deadline,))


@duty("inc25.4.report_cii")
def report_cii(ctx: Ctx) -> Finding:
    """The 1-hour report of an incident involving CII, from the moment of discovery."""
    return _within_hours(
        ctx,
        "inc25.4.report_cii",
        "incident.report.cii_hours",
        "report the incident to the CII protection department and the public security organ",
    )


@duty("inc25.4.report_central_organ")
def report_central_organ(ctx: Ctx) -> Finding:
    """The 2-hour report of a central or state organ, from the moment of discovery."""
    return _within_hours(
        ctx,
        "inc25.4.report_central_organ",
        "incident.report.central_organ_hours",
        "report the incident to your department's cyberspace work body",
    )


@duty("inc25.4.report_provincial_cac")
def report_provincial_cac(ctx: Ctx) -> Finding:
    """The 4-hour report of any other operator, from the moment of discovery."""
    return _within_hours(
        ctx,
        "inc25.4.report_provincial_cac",
        "incident.report.other_hours",
        "report the incident to the provincial CAC where you are located",
    )


@duty("inc25.7.first_report_contents")
def first_report_contents(ctx: Ctx) -> Finding:
    """Every report carries at least Art. 7 items (1) and (2); the later items were not read in
    the final text (mark U), which the duty's words say."""
    return Finding(True, "the incident is reported")


@duty("inc25.7.supplement")
def supplement(ctx: Ctx) -> Finding:
    """Art. 7 ¶2: where cause, impact or trend cannot be judged within the time limit, items
    (1)-(2) go first and the rest follows."""
    return _carries(
        not ctx.facts.cause_and_impact_known,
        "the cause and impact cannot yet be judged",
        "the cause and impact are known: report them in the first report",
    )


def _escalation(ctx: Ctx) -> Finding:
    grade = ctx.decided["grade"]
    return _carries(
        grade in ESCALATED,
        f"a {grade.replace('_', ' ')} incident is escalated by the authority",
        f"a {grade.replace('_', ' ')} incident is not escalated",
    )


@duty("inc25.4.escalation_cii")
def escalation_cii(ctx: Ctx) -> Finding:
    """The protection department's half-hour step for major and especially major incidents:
    the authority's duty, shown without a deadline of the operator's."""
    return _escalation(ctx)


@duty("inc25.4.escalation_central_organ")
def escalation_central_organ(ctx: Ctx) -> Finding:
    """The department body's 1-hour step to the national CAC for major and especially major
    incidents (the authority's duty)."""
    return _escalation(ctx)


@duty("inc25.4.escalation_provincial_cac")
def escalation_provincial_cac(ctx: Ctx) -> Finding:
    """The provincial CAC's 1-hour step to the national CAC for major and especially major
    incidents (the authority's duty)."""
    return _escalation(ctx)


@duty("inc25.4.crime_report")
def crime_report(ctx: Ctx) -> Finding:
    """Art. 4: a suspected crime goes to the police whatever the grade."""
    return _carries(ctx.facts.crime_suspected, "a crime is suspected", "no crime is suspected")


@duty("inc25.8.closing_report")
def closing_report(ctx: Ctx) -> Finding:
    """Art. 8: the summary report within 30 days after handling ends, dated from
    handling_ended_on (calendar days; a last day on a rest day moves to the next working day,
    Civil Code Arts. 201-203); without that date, the period alone."""
    days = int(ctx.param("incident.closing_report.days"))
    ended = ctx.facts.handling_ended_on
    by = periods.calendar_days_after(ended, days) if ended else None
    deadline = Deadline(
        "submit the incident handling summary report through the channel of the first report",
        f"{days} days after handling ends" + (f" ({ended})" if ended else " (not yet ended)"),
        ctx.pack.rule("inc25.8.closing_report").citation,
        by=by,
    )
    why = f"handling ended on {ended}: due by {by}" if ended else "handling has not ended"
    return Finding(True, why, (deadline,))


@duty("inc25.10.liability")
def liability(ctx: Ctx) -> Finding:
    """Arts. 10-11: what a late or missing report costs and what earns leniency, with every
    reported incident."""
    return Finding(True, "the incident is reported")


def _pi_handler(ctx: Ctx) -> str | None:
    """Why the PIPL Art. 57 duties do not come with this decision, or None if they do."""
    if not ctx.facts.involves_own_unit:
        return "the incident does not involve the operator's own unit"
    if ctx.facts.pi_persons_affected == 0:
        return "no PI was leaked, tampered with or lost"
    return None


@duty("pipl.57.remedy_and_notify_authority")
def remedy_and_notify_authority(ctx: Ctx) -> Finding:
    """PIPL Art. 57 ¶1: PI leaked, tampered with or lost (or possibly so): remedy at once and
    notify the authority; owed whether or not INC25 governs the incident report."""
    blocked = _pi_handler(ctx)
    return Finding(
        blocked is None, blocked or f"PI of {people(ctx.facts.pi_persons_affected)} affected"
    )


@duty("pipl.57.notify_individuals")
def notify_individuals(ctx: Ctx) -> Finding:
    """PIPL Art. 57 ¶2: the individuals are notified unless the measures taken effectively
    avoid harm (the authority may still require it)."""
    blocked = _pi_handler(ctx)
    if blocked:
        return Finding(False, blocked)
    if ctx.facts.measures_avoid_harm:
        return Finding(
            False,
            "Art. 57 ¶2: the measures effectively avoid harm, so the individuals need not be "
            "notified unless the authority requires it",
        )
    return Finding(
        True, f"PI of {people(ctx.facts.pi_persons_affected)} affected; harm not avoided"
    )


def _data_incident(ctx: Ctx) -> Finding:
    """A network data (or data) security incident: PI, core or important data, or exported
    data affected."""
    facts = ctx.facts
    if facts.pi_persons_affected or facts.core_or_important_data_leaked:
        return Finding(True, "PI or core or important data was affected")
    if facts.involves_exported_data or facts.large_amount_of_pi_judged:
        return Finding(True, "data was affected")
    return Finding(False, "no data was affected")


duty("ndsmr.11.data_incident")(_data_incident)
duty("dsl.29.data_incident")(_data_incident)


def _emergency_plan(ctx: Ctx) -> Finding:
    """CSL (Art. 25; Art. 27 from 2026): every network operator starts its incident plan,
    remedies and reports as the rules require."""
    return Finding(True, "a cybersecurity incident of a network operator")


duty("csl.25.emergency_plan")(_emergency_plan)
duty("csl25.27.emergency_plan")(_emergency_plan)


@duty("ndsmr.10.defect_report")
def defect_report(ctx: Ctx) -> Finding:
    """NDSMR Art. 10: a defect or vulnerability endangering national security or the public
    interest is reported within 24 hours, counted here from the discovery of the incident
    that revealed it (only where the facts say so)."""
    if not ctx.facts.defect_endangering_national_security:
        return Finding(False, "no defect endangering national security or the public interest")
    return _within_hours(
        ctx,
        "ndsmr.10.defect_report",
        "incident.ndsmr.defect_report_hours",
        "report the defect or vulnerability to the competent department",
    )


@duty("p24.11.export_incident")
def export_incident(ctx: Ctx) -> Finding:
    """P24 Art. 11: an incident concerning exported data is remedied and reported to the CAC at
    provincial level or above."""
    return _carries(
        ctx.facts.involves_exported_data,
        "the incident concerns exported data",
        "no exported data is concerned",
    )


@duty("aud25.5.3.ordered_audit")
def ordered_audit(ctx: Ctx) -> Finding:
    """AUD25 Art. 5(3): PI of 1,000,000 or more persons, or sensitive PI of 100,000 or more,
    leaked, tampered with, lost or destroyed: the authorities may order an audit (以上 includes
    the number)."""
    pi_from = int(ctx.param("incident.aud25.pi_persons_from"))
    sensitive_from = int(ctx.param("incident.aud25.sensitive_pi_persons_from"))
    pi, sensitive = ctx.facts.pi_persons_affected, ctx.facts.sensitive_pi_persons_affected
    if pi >= pi_from:
        return Finding(True, f"PI of {people(pi)} affected (at least {pi_from:,})")
    if sensitive >= sensitive_from:
        return Finding(
            True, f"sensitive PI of {people(sensitive)} affected (at least {sensitive_from:,})"
        )
    return Finding(
        False, f"PI of {people(pi)} and sensitive PI of {people(sensitive)} affected: below both"
    )
