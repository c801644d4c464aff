"""The incident pack (INC25 with its grading annex): completeness and determinism, the annex
thresholds (PI counts R, especially-major list R, draft values U behind a policy), the Art. 4
reporting clock as timestamps, the Art. 8 closing report on the official calendar, the other
duties, strict facts, and the integrity of its law data."""

from __future__ import annotations

import datetime as dt
import inspect
import json
from typing import Any

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from chinacomply.model import Decision
from chinacomply.rules import calendar, engine, law, periods
from chinacomply.rules import pack as packs
from chinacomply.rules.facts import FactsError

INC = packs.get("incident")
OUTCOMES = tuple(INC.outcomes())
CHINA = periods.CHINA
UTC = dt.UTC


def facts(**over: Any) -> dict[str, Any]:
    """A complete facts mapping: a general incident of an ordinary operator, discovered at
    09:15 on Monday 2026-03-02, nothing leaked, handling not ended."""
    raw: dict[str, Any] = {
        "pack": "incident",
        "as_of": "2026-03-05",
        "in_china_network_operator": True,
        "involves_own_unit": True,
        "operator_type": "other",
        "discovered_at": "2026-03-02T09:15:00+08:00",
        "pi_persons_leaked": 0,
        "pi_persons_affected": 0,
        "sensitive_pi_persons_affected": 0,
        "large_amount_of_pi_judged": False,
        "core_or_important_data_leaked": False,
        "cii_outage_hours": None,
        "cii_main_function_outage_hours": None,
        "portal_outage_hours": None,
        "province_population_share": 0,
        "people_affected_services": 0,
        "direct_loss_yuan": 0,
        "other_criteria_grade": None,
        "crime_suspected": False,
        "cause_and_impact_known": True,
        "handling_ended_on": None,
        "measures_avoid_harm": False,
        "involves_exported_data": False,
        "defect_endangering_national_security": False,
    }
    raw.update(over)
    return raw


def leak(persons: int, **over: Any) -> dict[str, Any]:
    """A PI leak of `persons` persons (all of them affected)."""
    return facts(pi_persons_leaked=persons, pi_persons_affected=persons, **over)


def assess(raw: dict[str, Any], policies: dict[str, str] | None = None) -> Decision:
    return engine.evaluate(INC.parse(raw), policies=policies)


def graded(raw: dict[str, Any], policies: dict[str, str] | None = None) -> tuple[str, str]:
    """(grade, deciding rule) of the grade stage."""
    (stage,) = [s for s in assess(raw, policies).stages if s.stage == "grade"]
    return stage.outcome, stage.rule


def duties(decision: Decision) -> set[str]:
    return {o.id for o in decision.obligations}


def deadline(decision: Decision, instrument: str, article: str) -> Any:
    (only,) = [
        d
        for d in decision.deadlines
        if (d.citation.instrument, d.citation.article) == (instrument, article)
    ]
    return only


# --- completeness and determinism (hypothesis) ----------------------------------------------

_counts = st.one_of(
    st.sampled_from([0, 99_999, 100_000, 999_999, 1_000_000, 9_999_999, 10_000_000]),
    st.sampled_from([19_999_999, 20_000_000, 99_999_999, 100_000_000]),
    st.integers(0, 150_000_000),
)
_hours = st.one_of(
    st.none(), st.sampled_from([0, 0.49, 0.5, 1.99, 2, 5.99, 6, 23.9, 24]), st.floats(0, 48)
)
_mostly_none = st.one_of(st.none(), st.none(), st.none(), _hours)
_mostly_zero = st.one_of(st.just(0), st.just(0), _counts)


@st.composite
def _facts(draw: st.DrawFn) -> dict[str, Any]:
    """Every key of the facts; the counts drawn so that affected >= leaked >= 0 and sensitive
    <= affected, handling ending 0-15 days after discovery, discoveries from a week before
    INC25 to mid-November 2026 so that the closing report stays inside the bundled calendar."""
    moment = draw(
        st.datetimes(
            dt.datetime(2025, 10, 25),
            dt.datetime(2026, 11, 15),
            timezones=st.sampled_from([CHINA, UTC]) | st.none(),
        )
    )
    leaked = draw(_mostly_zero)
    affected = leaked + draw(st.sampled_from([0, 0, 1, 500_000]))
    ended = draw(st.one_of(st.none(), st.integers(0, 15)))
    day = periods.aware(moment).astimezone(CHINA).date()
    return draw(
        st.fixed_dictionaries(
            {
                "pack": st.just("incident"),
                "as_of": st.just(None),
                "in_china_network_operator": st.sampled_from([True] * 5 + [False]),
                "involves_own_unit": st.sampled_from([True] * 5 + [False]),
                "operator_type": st.sampled_from(
                    ["ciio_related", "central_or_state_organ", "other"]
                ),
                "discovered_at": st.just(moment.isoformat()),
                "pi_persons_leaked": st.just(leaked),
                "pi_persons_affected": st.just(affected),
                "sensitive_pi_persons_affected": st.integers(0, min(affected, 200_000)),
                "large_amount_of_pi_judged": st.booleans(),
                "core_or_important_data_leaked": st.sampled_from([False] * 5 + [True]),
                "cii_outage_hours": _mostly_none,
                "cii_main_function_outage_hours": _mostly_none,
                "portal_outage_hours": _mostly_none,
                "province_population_share": st.sampled_from([0, 0, 0, 0.49, 0.5])
                | st.floats(0, 1),
                "people_affected_services": _mostly_zero,
                "direct_loss_yuan": _mostly_zero,
                "other_criteria_grade": st.sampled_from(
                    [None, None, "especially_major", "major", "relatively_major", "general"]
                ),
                "crime_suspected": st.booleans(),
                "cause_and_impact_known": st.booleans(),
                "handling_ended_on": st.just(
                    None if ended is None else (day + dt.timedelta(days=ended)).isoformat()
                ),
                "measures_avoid_harm": st.booleans(),
                "involves_exported_data": st.booleans(),
                "defect_endangering_national_security": st.booleans(),
            }
        )
    )


@settings(max_examples=300, deadline=None)
@given(_facts(), st.integers(0, 30), st.sampled_from(["apply", "ignore"]))
def test_exactly_one_outcome_for_every_valid_input(
    raw: dict[str, Any], later: int, reading: str
) -> None:
    try:
        parsed = INC.parse(raw)
    except FactsError:
        assume(False)  # facts the model refuses (a CII outage of an operator not CII-related)
        raise
    day = parsed.discovered_on  # type: ignore[attr-defined]
    on = max(day, INC.covers_from) + dt.timedelta(days=later)
    policies = {"incident_unverified_criteria": reading}
    first = engine.evaluate(parsed, on, policies)
    assert first.outcome in OUTCOMES
    event(first.outcome)
    for stage in INC.stages:
        rules = {r.id for r in INC.rules if r.stage == stage.id}
        assert len([t for t in first.trace if t.rule in rules and t.outcome == "decides"]) <= 1
    assert [t.rule for t in first.trace if t.outcome == "decides"][-1] == first.decided_rule
    stages = [s.stage for s in first.stages]
    assert stages == (["scope"] if first.outcome == "not_in_scope" else ["grade", "report"])
    assert first.decided_by.instrument in law.instruments()
    assert all(d.at is None or d.at.tzinfo is not None for d in first.deadlines)
    again = engine.evaluate(parsed, on, policies)
    assert json.dumps(first.to_dict()) == json.dumps(again.to_dict())


# --- scope (Arts. 2, 4, 14) -------------------------------------------------------------------


def test_an_operator_outside_china_is_out_of_scope_but_pipl_57_still_applies() -> None:
    decision = assess(leak(2_000_000, in_china_network_operator=False))
    assert (decision.outcome, decision.decided_rule) == (
        "not_in_scope",
        "inc25.2.not_network_operator",
    )
    assert decision.decided_by.to_dict() == {"instrument": "INC25", "article": "2"}
    assert not decision.deadlines
    assert {"pipl.57.remedy_and_notify_authority", "pipl.57.notify_individuals"} <= duties(decision)
    assert not any(t.outcome in ("decides", "applies") for t in decision.trace if "annex" in t.rule)


def test_an_incident_of_another_unit_is_not_reported() -> None:
    decision = assess(leak(2_000_000, involves_own_unit=False))
    assert decision.decided_rule == "inc25.4.not_own_unit"
    assert duties(decision) == set()


@pytest.mark.parametrize(
    ("discovered_at", "expected"),
    [
        ("2025-10-31T23:59:00+08:00", "not_in_scope"),  # the day before INC25 (Art. 14)
        ("2025-11-01T00:00:00+08:00", "report_within_4_hours"),  # the day it takes effect
        ("2025-10-31T16:30:00+00:00", "report_within_4_hours"),  # 00:30 on 1 Nov in China
        ("2025-10-31T15:59:00+00:00", "not_in_scope"),  # 23:59 on 31 Oct in China
    ],
)
def test_inc25_takes_effect_on_2025_11_01_in_china(discovered_at: str, expected: str) -> None:
    raw = leak(1_000_000, discovered_at=discovered_at, as_of="2025-11-03")
    assert assess(raw).outcome == expected


def test_dates_before_inc25_are_refused() -> None:
    raw = facts(discovered_at="2025-10-30T10:00:00", as_of="2025-10-31")
    with pytest.raises(FactsError, match="as_of: 2025-10-31 is before 2025-11-01"):
        INC.parse(raw)
    assert INC.parse({**raw, "as_of": "2025-11-01"})


# --- the grade: PI thresholds (annex 一/二/三(5), R; 以上 includes the number) ---------------


@pytest.mark.parametrize(
    ("persons", "expected"),
    [
        (0, ("general", "inc25.annex.4.general")),
        (999_999, ("general", "inc25.annex.4.general")),
        (1_000_000, ("relatively_major", "inc25.annex.3.5.pi_leaked")),
        (9_999_999, ("relatively_major", "inc25.annex.3.5.pi_leaked")),
        (10_000_000, ("major", "inc25.annex.2.5.pi_leaked")),
        (99_999_999, ("major", "inc25.annex.2.5.pi_leaked")),
        (100_000_000, ("especially_major", "inc25.annex.1.5.pi_leaked")),
    ],
)
def test_pi_thresholds(persons: int, expected: tuple[str, str]) -> None:
    assert graded(leak(persons)) == expected


def test_below_a_million_only_the_operators_judgement_makes_it_relatively_major() -> None:
    assert graded(leak(500_000))[0] == "general"
    assert graded(leak(500_000, large_amount_of_pi_judged=True)) == (
        "relatively_major",
        "inc25.annex.3.2.large_amount_of_pi",
    )


# --- the grade: the especially-major list (final text, R) and the draft values (U) ----------

CII = {"operator_type": "ciio_related"}


@pytest.mark.parametrize(
    ("over", "expected"),
    [
        # CII wholly interrupted: 6 h especially major (R); draft 2 h major, 0.5 h relatively
        ({**CII, "cii_outage_hours": 6}, ("especially_major", "inc25.annex.1.2.cii_outage")),
        ({**CII, "cii_outage_hours": 5.99}, ("major", "inc25.annex.2.draft_cii_outage")),
        ({**CII, "cii_outage_hours": 2}, ("major", "inc25.annex.2.draft_cii_outage")),
        ({**CII, "cii_outage_hours": 1.99}, ("relatively_major", "inc25.annex.3.draft_cii_outage")),
        ({**CII, "cii_outage_hours": 0.5}, ("relatively_major", "inc25.annex.3.draft_cii_outage")),
        ({**CII, "cii_outage_hours": 0.49}, ("general", "inc25.annex.4.general")),
        # main functions: 24 h (R); draft 6 h, 2 h
        (
            {**CII, "cii_main_function_outage_hours": 24},
            ("especially_major", "inc25.annex.1.2.cii_outage"),
        ),
        (
            {**CII, "cii_main_function_outage_hours": 23.9},
            ("major", "inc25.annex.2.draft_cii_outage"),
        ),
        ({**CII, "cii_main_function_outage_hours": 6}, ("major", "inc25.annex.2.draft_cii_outage")),
        (
            {**CII, "cii_main_function_outage_hours": 5.9},
            ("relatively_major", "inc25.annex.3.draft_cii_outage"),
        ),
        (
            {**CII, "cii_main_function_outage_hours": 2},
            ("relatively_major", "inc25.annex.3.draft_cii_outage"),
        ),
        ({**CII, "cii_main_function_outage_hours": 1.9}, ("general", "inc25.annex.4.general")),
        # portals: 24 h (R); draft 2 h
        ({"portal_outage_hours": 24}, ("especially_major", "inc25.annex.1.1.portal_outage")),
        (
            {"portal_outage_hours": 23.9},
            ("relatively_major", "inc25.annex.3.draft_portal_outage"),
        ),
        ({"portal_outage_hours": 2}, ("relatively_major", "inc25.annex.3.draft_portal_outage")),
        ({"portal_outage_hours": 1.9}, ("general", "inc25.annex.4.general")),
        # population: 50% of a province (R)
        ({"province_population_share": 0.5}, ("especially_major", "inc25.annex.1.3.population")),
        ({"province_population_share": 0.49}, ("general", "inc25.annex.4.general")),
        # people's utilities and daily life: 10,000,000 (R); draft 1,000,000, 100,000
        (
            {"people_affected_services": 10_000_000},
            ("especially_major", "inc25.annex.1.3.population"),
        ),
        ({"people_affected_services": 9_999_999}, ("major", "inc25.annex.2.draft_people_affected")),
        ({"people_affected_services": 1_000_000}, ("major", "inc25.annex.2.draft_people_affected")),
        (
            {"people_affected_services": 999_999},
            ("relatively_major", "inc25.annex.3.draft_people_affected"),
        ),
        (
            {"people_affected_services": 100_000},
            ("relatively_major", "inc25.annex.3.draft_people_affected"),
        ),
        ({"people_affected_services": 99_999}, ("general", "inc25.annex.4.general")),
        # direct loss: 100,000,000 yuan (R); draft 20,000,000, 5,000,000
        ({"direct_loss_yuan": 100_000_000}, ("especially_major", "inc25.annex.1.7.direct_loss")),
        ({"direct_loss_yuan": 99_999_999}, ("major", "inc25.annex.2.draft_direct_loss")),
        ({"direct_loss_yuan": 20_000_000}, ("major", "inc25.annex.2.draft_direct_loss")),
        (
            {"direct_loss_yuan": 19_999_999},
            ("relatively_major", "inc25.annex.3.draft_direct_loss"),
        ),
        (
            {"direct_loss_yuan": 5_000_000},
            ("relatively_major", "inc25.annex.3.draft_direct_loss"),
        ),
        ({"direct_loss_yuan": 4_999_999}, ("general", "inc25.annex.4.general")),
        # core or important data leaked
        (
            {"core_or_important_data_leaked": True},
            ("especially_major", "inc25.annex.1.core_or_important_data"),
        ),
    ],
)
def test_other_criteria_thresholds(over: dict[str, Any], expected: tuple[str, str]) -> None:
    assert graded(facts(**over)) == expected


def test_the_trace_names_the_unverified_draft_value_that_graded() -> None:
    decision = assess(facts(direct_loss_yuan=20_000_000))
    (deciding,) = [t for t in decision.trace if t.outcome == "decides" and "annex" in t.rule]
    assert "2023 draft value, unverified" in deciding.why
    notes = {t.rule: t.why for t in decision.trace if t.outcome == "parameter"}
    value = notes["parameter:incident.annex.major.direct_loss_yuan_from"]
    assert "2023 draft value" in value and "[unverified]" in value
    assert "[reliable secondary]" in notes["parameter:incident.annex.major.pi_persons_from"]
    assert any(t.rule == "policy:incident_unverified_criteria" for t in decision.trace)


def test_policy_ignore_grades_by_the_verified_criteria_only() -> None:
    ignore = {"incident_unverified_criteria": "ignore"}
    assert graded(facts(direct_loss_yuan=20_000_000), ignore) == (
        "general",
        "inc25.annex.4.general",
    )
    assert graded(facts(**CII, cii_outage_hours=5.99), ignore)[0] == "general"
    assert graded(facts(**CII, cii_outage_hours=6), ignore)[0] == "especially_major"
    assert graded(leak(1_000_000), ignore)[0] == "relatively_major"


@pytest.mark.parametrize(
    ("persons", "own", "expected"),
    [
        (1_200_000, "major", ("major", "inc25.annex.2.operator_grade")),
        (12_000_000, "relatively_major", ("major", "inc25.annex.2.5.pi_leaked")),
        (0, "especially_major", ("especially_major", "inc25.annex.1.operator_grade")),
        (1_200_000, "general", ("relatively_major", "inc25.annex.3.5.pi_leaked")),
        (0, "relatively_major", ("relatively_major", "inc25.annex.3.operator_grade")),
    ],
)
def test_the_operators_own_grade_applies_when_higher(
    persons: int, own: str, expected: tuple[str, str]
) -> None:
    assert graded(leak(persons, other_criteria_grade=own)) == expected


# --- the report (Art. 4): to whom, and the deadline as a timestamp ------------------------


@pytest.mark.parametrize(
    ("operator_type", "outcome", "duty", "hours"),
    [
        ("ciio_related", "report_within_1_hour", "inc25.4.report_cii", 1),
        ("central_or_state_organ", "report_within_2_hours", "inc25.4.report_central_organ", 2),
        ("other", "report_within_4_hours", "inc25.4.report_provincial_cac", 4),
    ],
)
def test_the_report_goes_by_operator_type(
    operator_type: str, outcome: str, duty: str, hours: int
) -> None:
    decision = assess(leak(1_000_000, operator_type=operator_type))
    assert decision.outcome == outcome
    assert decision.decided_by.to_dict() == {"instrument": "INC25", "article": "4"}
    assert duty in duties(decision)
    due = deadline(decision, "INC25", "4")
    assert due.at == dt.datetime(2026, 3, 2, 9 + hours, 15, tzinfo=CHINA)


def test_a_general_incident_is_not_reportable() -> None:
    decision = assess(leak(999_999, crime_suspected=True, handling_ended_on="2026-03-04"))
    assert (decision.outcome, decision.decided_rule) == (
        "not_reportable",
        "inc25.4.below_relatively_major",
    )
    assert not any(d.citation.instrument == "INC25" for d in decision.deadlines)
    assert "inc25.4.crime_report" in duties(decision)  # a crime goes to the police whatever
    assert "inc25.8.closing_report" not in duties(decision)
    assert "pipl.57.notify_individuals" in duties(decision)


def test_hours_run_through_holidays_and_keep_the_zone() -> None:
    # National Day: 22:40 on 30 Sept + 4 h = 02:40 on 1 Oct, a holiday, all the same
    night = assess(leak(1_000_000, discovered_at="2026-09-30T22:40:00+08:00", as_of="2026-10-01"))
    assert deadline(night, "INC25", "4").at == dt.datetime(2026, 10, 1, 2, 40, tzinfo=CHINA)
    # Spring Festival, no zone given: read in Asia/Shanghai
    naive = leak(
        1_000_000,
        operator_type="ciio_related",
        discovered_at="2026-02-16T23:30:00",
        as_of="2026-02-17",
    )
    at = deadline(assess(naive), "INC25", "4").at
    assert at == dt.datetime(2026, 2, 17, 0, 30, tzinfo=CHINA)
    assert at.utcoffset() == dt.timedelta(hours=8)
    # given in UTC: the deadline is the same moment, in UTC
    utc = leak(1_000_000, operator_type="central_or_state_organ", discovered_at="2026-03-02T01:00Z")
    at = deadline(assess(utc), "INC25", "4").at
    assert at == dt.datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    assert at.isoformat() == "2026-03-02T03:00:00+00:00"


@pytest.mark.parametrize(
    ("raw", "escalation"),
    [
        (leak(10_000_000), "inc25.4.escalation_provincial_cac"),
        (leak(10_000_000, operator_type="ciio_related"), "inc25.4.escalation_cii"),
        (
            leak(100_000_000, operator_type="central_or_state_organ"),
            "inc25.4.escalation_central_organ",
        ),
    ],
)
def test_major_and_above_are_escalated_by_the_authority_without_a_deadline_of_yours(
    raw: dict[str, Any], escalation: str
) -> None:
    decision = assess(raw)
    assert escalation in duties(decision)
    timed = [d for d in decision.deadlines if d.at is not None]
    assert [d.citation.to_dict() for d in timed] == [{"instrument": "INC25", "article": "4"}]


def test_a_relatively_major_incident_is_not_escalated() -> None:
    assert not {d for d in duties(assess(leak(9_999_999))) if "escalation" in d}


def test_first_report_contents_and_the_supplement() -> None:
    known = assess(leak(1_000_000))
    assert "inc25.7.first_report_contents" in duties(known)
    assert "inc25.7.supplement" not in duties(known)
    assert "inc25.7.supplement" in duties(assess(leak(1_000_000, cause_and_impact_known=False)))
    text = {o.id: o.text for o in known.obligations}["inc25.7.first_report_contents"]
    assert "not verified" in text


# --- the closing report (Art. 8): 30 days on the official calendar ------------------------


def _monday_to_friday(start: dt.date, days: int) -> dt.date:
    last = start + dt.timedelta(days=days)
    while last.weekday() >= 5:
        last += dt.timedelta(days=1)
    return last


@pytest.mark.parametrize(
    ("ended", "due"),
    [
        ("2026-03-04", dt.date(2026, 4, 3)),  # a Friday: no move
        # 2026-02-16 is a Spring Festival holiday: the next working day is Tuesday 2026-02-24
        ("2026-01-17", dt.date(2026, 2, 24)),
        # 2026-02-14 is a make-up working Saturday: the report is due that day
        ("2026-01-15", dt.date(2026, 2, 14)),
        # 2026-10-01 is National Day: the next working day is 2026-10-08
        ("2026-09-01", dt.date(2026, 10, 8)),
        ("2026-12-01", dt.date(2026, 12, 31)),  # the last day of the bundled calendar
    ],
)
def test_closing_report_due_date(ended: str, due: dt.date) -> None:
    raw = leak(1_000_000, discovered_at="2026-01-02T08:00:00+08:00", as_of=ended)
    raw["handling_ended_on"] = ended
    by = deadline(assess(raw), "INC25", "8").by
    assert by == due
    start = dt.date.fromisoformat(ended)
    if ended in ("2026-01-17", "2026-01-15", "2026-09-01"):
        assert _monday_to_friday(start, 30) != due  # the official calendar matters here


def test_closing_report_past_the_bundled_calendar_is_refused() -> None:
    raw = leak(1_000_000, discovered_at="2026-11-20T08:00:00+08:00", as_of="2026-12-02")
    raw["handling_ended_on"] = "2026-12-02"  # 30 days later is 2027-01-01
    with pytest.raises(calendar.CalendarRangeError, match="2027"):
        assess(raw)


def test_closing_report_without_an_end_date_has_no_date() -> None:
    due = deadline(assess(leak(1_000_000)), "INC25", "8")
    assert due.by is None and "not yet ended" in due.within


# --- the other duties -------------------------------------------------------------------


def test_pipl_57_individuals_need_not_be_notified_where_harm_is_avoided() -> None:
    decision = assess(leak(2_000, measures_avoid_harm=True))
    assert "pipl.57.remedy_and_notify_authority" in duties(decision)
    assert "pipl.57.notify_individuals" not in duties(decision)
    (entry,) = [t for t in decision.trace if t.rule == "pipl.57.notify_individuals"]
    assert "Art. 57 ¶2" in entry.why
    assert "pipl.57.notify_individuals" in duties(assess(leak(2_000)))
    assert "pipl.57.remedy_and_notify_authority" not in duties(assess(facts()))


def test_ndsmr_10_defect_is_reported_within_24_hours() -> None:
    decision = assess(facts(defect_endangering_national_security=True))
    assert deadline(decision, "NDSMR", "10").at == dt.datetime(2026, 3, 3, 9, 15, tzinfo=CHINA)
    assert "ndsmr.10.defect_report" not in duties(assess(facts()))


def test_p24_11_and_data_incident_duties() -> None:
    decision = assess(facts(involves_exported_data=True))
    assert {"p24.11.export_incident", "ndsmr.11.data_incident", "dsl.29.data_incident"} <= duties(
        decision
    )
    assert not {"p24.11.export_incident", "ndsmr.11.data_incident"} & duties(assess(facts()))


@pytest.mark.parametrize(
    ("affected", "sensitive", "ordered"),
    [
        (999_999, 0, False),
        (1_000_000, 0, True),
        (200_000, 99_999, False),
        (200_000, 100_000, True),
    ],
)
def test_aud25_ordered_audit_thresholds(affected: int, sensitive: int, ordered: bool) -> None:
    raw = facts(pi_persons_affected=affected, sensitive_pi_persons_affected=sensitive)
    assert ("aud25.5.3.ordered_audit" in duties(assess(raw))) is ordered


@pytest.mark.parametrize(
    ("on", "duty"),
    [("2025-12-31", "csl.25.emergency_plan"), ("2026-01-01", "csl25.27.emergency_plan")],
)
def test_the_cybersecurity_law_renumbered_from_2026(on: str, duty: str) -> None:
    decision = assess(facts(discovered_at="2025-12-30T10:00:00+08:00", as_of=on))
    emergency = {d for d in duties(decision) if d.endswith("emergency_plan")}
    assert emergency == {duty}


# --- strict facts -----------------------------------------------------------------------


def test_a_near_empty_file_is_refused_naming_the_first_missing_key() -> None:
    with pytest.raises(FactsError, match="in_china_network_operator: required"):
        INC.parse({"pack": "incident"})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"discovered_at": None}, "discovered_at: expected a timestamp"),
        ({"grade": "major"}, "grade: unknown key"),
        ({"pi_persons_leaked": "many"}, "pi_persons_leaked: expected a whole number"),
        ({"pi_persons_leaked": -1}, "pi_persons_leaked: must not be negative"),
        ({"discovered_at": "yesterday"}, "discovered_at: expected a timestamp"),
        ({"crime_suspected": "yes"}, "crime_suspected: expected true or false"),
        ({"operator_type": "cii"}, "operator_type: expected"),
        ({"province_population_share": 1.5}, "province_population_share"),
        ({"handling_ended_on": "2026-02-30"}, "handling_ended_on: expected a date"),
        ({"pi_persons_leaked": 10, "pi_persons_affected": 9}, "pi_persons_affected: 9 is fewer"),
        (
            {"pi_persons_affected": 9, "sensitive_pi_persons_affected": 10},
            "sensitive_pi_persons_affected: 10 is more",
        ),
        ({"cii_outage_hours": 3}, "operator_type: a CII was interrupted"),
        ({"handling_ended_on": "2026-03-01"}, "handling_ended_on: 2026-03-01 is before"),
        ({"as_of": "2026-03-01"}, "as_of: 2026-03-01 is before the incident was discovered"),
    ],
)
def test_wrong_facts_are_refused_naming_the_key(change: dict[str, Any], message: str) -> None:
    with pytest.raises(FactsError, match=message):
        INC.parse(facts(**change))


def test_a_missing_key_is_refused_naming_it() -> None:
    raw = facts()
    del raw["handling_ended_on"]  # nullable, but required: null means "not ended"
    with pytest.raises(FactsError, match="handling_ended_on: required"):
        INC.parse(raw)


# --- the law data -----------------------------------------------------------------------


def test_every_rule_and_duty_cites_a_registered_instrument() -> None:
    registered = law.instruments()
    for meta in (*INC.rules, *INC.duties):
        assert meta.citation.instrument in registered, meta.id
        assert all(e.instrument in registered for e in meta.explains), meta.id
    for values in INC.parameters.values():
        assert all(v.citation.instrument in registered for v in values)


def test_every_condition_has_a_docstring() -> None:
    for rule_id in INC.conditions.ids():
        assert inspect.getdoc(INC.conditions[rule_id]), rule_id


def test_unverified_values_are_the_drafts_and_behind_the_policy() -> None:
    unverified = {name for name, values in INC.parameters.items() for v in values if v.mark == "U"}
    assert unverified and all(
        name.startswith(("incident.annex.major.", "incident.annex.relatively_major."))
        for name in unverified
    )
    assert all(v.note == "2023 draft value" for name in unverified for v in INC.parameters[name])
    drafts = [r for r in INC.rules if "draft" in r.id]
    assert drafts and all(r.title.startswith("2023 draft") for r in drafts)
    assert all(name.startswith("incident_") for name in INC.policies)
