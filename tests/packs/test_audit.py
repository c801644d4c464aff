"""The audit pack (AUD25, PIPO25, QAPI2604, MINAUD25, SMALL26): completeness and determinism,
the thresholds and the counting policy, the effective dates, the deadlines on the official
calendar, strict facts, and the integrity of its law data."""

from __future__ import annotations

import datetime as dt
import inspect
import json
from typing import Any

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from chinacomply.model import Deadline, Decision
from chinacomply.rules import calendar, engine, law
from chinacomply.rules import pack as packs
from chinacomply.rules.facts import FactsError

AUDIT = packs.get("audit")
OUTCOMES = tuple(AUDIT.outcomes())
LAST_DAY = dt.date(2026, 12, 31)  # the bundled calendar ends here
LAST_EVENT = dt.date(2026, 11, 13)  # 30 working days later is still inside the calendar


def facts(**over: Any) -> dict[str, Any]:
    """A complete facts mapping: 5,000,000 persons, reached 1,000,000 on 2026-01-20, nothing
    else happened."""
    raw: dict[str, Any] = {
        "pack": "audit",
        "as_of": "2026-06-01",
        "is_state_organ_or_public_affairs_body": False,
        "individuals_processed": 5_000_000,
        "reached_1m_on": "2026-01-20",
        "officer_info_changed_on": None,
        "processes_minors_pi": False,
        "important_platform": False,
        "incident_pi_persons": 0,
        "incident_sensitive_pi_persons": 0,
        "already_ordered_for_this_incident": False,
        "large_risk_found": False,
        "many_individuals_rights_at_risk": False,
        "rectification_completed_on": None,
        "consecutive_audits_by_same_body": 0,
        "last_audit_on": None,
    }
    raw.update(over)
    return raw


def small(**over: Any) -> dict[str, Any]:
    """Facts of a handler below the officer threshold (no reached date)."""
    return facts(**{"individuals_processed": 500_000, "reached_1m_on": None, **over})


def assess(policies: dict[str, str] | None = None, **over: Any) -> Decision:
    return engine.evaluate(AUDIT.parse(facts(**over)), policies=policies)


def stage(decision: Decision, name: str) -> tuple[str, str] | None:
    """(outcome, rule) a stage decided, or None."""
    for result in decision.stages:
        if result.stage == name:
            return result.outcome, result.rule
    return None


def duties(decision: Decision) -> set[str]:
    return {o.id for o in decision.obligations}


def deadline(decision: Decision, instrument: str, article: str) -> Deadline:
    (only,) = [
        d
        for d in decision.deadlines
        if (d.citation.instrument, d.citation.article) == (instrument, article)
    ]
    return only


def why(decision: Decision, rule: str) -> str:
    (entry,) = [t for t in decision.trace if t.rule == rule]
    return entry.why


# --- completeness and determinism (hypothesis) -----------------------------------------------

_COUNTS = [0, 99_999, 100_000, 999_999, 1_000_000, 1_000_001, 9_999_999, 10_000_000, 10_000_001]


@st.composite
def _facts(draw: st.DrawFn) -> dict[str, Any]:
    """Every key of the facts, drawn so that most combinations are valid: event days on or
    before as_of and before LAST_EVENT (deadlines stay inside the bundled calendar), the
    reached day exactly when the count is 1,000,000 or more."""
    as_of = draw(st.dates(AUDIT.covers_from, LAST_DAY))
    cap = min(as_of, LAST_EVENT)
    day = st.dates(dt.date(2023, 1, 1), cap)
    count = draw(st.one_of(st.sampled_from(_COUNTS), st.integers(0, 20_000_000)))
    reached = draw(day) if count >= 1_000_000 else None
    changed = draw(st.one_of(st.none(), st.dates(reached, cap))) if reached else None
    incident = draw(st.one_of(st.sampled_from([0, 999_999, 1_000_000]), st.integers(0, 2 * 10**6)))
    consecutive = draw(st.integers(0, 4))
    last = draw(day) if consecutive else draw(st.one_of(st.none(), day))
    return draw(
        st.fixed_dictionaries(
            {
                "pack": st.just("audit"),
                "as_of": st.just(as_of),
                "is_state_organ_or_public_affairs_body": st.sampled_from([False] * 5 + [True]),
                "individuals_processed": st.just(count),
                "reached_1m_on": st.just(reached),
                "officer_info_changed_on": st.just(changed),
                "processes_minors_pi": st.booleans(),
                "important_platform": st.booleans(),
                "incident_pi_persons": st.just(incident),
                "incident_sensitive_pi_persons": st.integers(0, min(incident, 200_000)),
                "already_ordered_for_this_incident": st.booleans(),
                "large_risk_found": st.booleans(),
                "many_individuals_rights_at_risk": st.booleans(),
                "rectification_completed_on": st.one_of(st.none(), day),
                "consecutive_audits_by_same_body": st.just(consecutive),
                "last_audit_on": st.just(last),
            }
        )
    )


@settings(max_examples=300, deadline=None)
@given(
    _facts(),
    st.sampled_from(["cac_qa", "literal"]),
    st.sampled_from(["exclusive", "inclusive"]),
)
def test_exactly_one_outcome_for_every_valid_input(
    raw: dict[str, Any], counting: str, reading: str
) -> None:
    try:
        parsed = AUDIT.parse(raw)
    except FactsError:
        assume(False)  # facts the model refuses (none expected from this strategy)
        raise
    policies = {"audit_threshold_counting": counting, "audit_before_date_reading": reading}
    first = engine.evaluate(parsed, policies=policies)
    assert first.outcome in OUTCOMES
    event(first.outcome)
    for each in AUDIT.stages:
        rules = {r.id for r in AUDIT.rules if r.stage == each.id}
        assert len([t for t in first.trace if t.rule in rules and t.outcome == "decides"]) <= 1
    assert [t.rule for t in first.trace if t.outcome == "decides"][-1] == first.decided_rule
    assert first.decided_by.instrument in law.instruments()
    again = engine.evaluate(parsed, policies=policies)
    assert json.dumps(first.to_dict()) == json.dumps(again.to_dict())


# --- scope (Art. 19) -------------------------------------------------------------------------


def test_a_state_organ_is_outside_and_carries_nothing() -> None:
    decision = assess(is_state_organ_or_public_affairs_body=True, large_risk_found=True)
    assert (decision.outcome, decision.decided_rule) == ("not_in_scope", "aud25.19.state_organs")
    assert not decision.obligations and not decision.deadlines
    later = {r.id for r in AUDIT.rules if r.stage in ("frequency", "order")}
    assert {t.outcome for t in decision.trace if t.rule in later} == {"not_reached"}


# --- frequency (Arts. 3-4, QAPI2604 Q1-Q2) and the counting policy ----------------------------


@pytest.mark.parametrize(
    ("count", "counting", "expected"),
    [
        (10_000_001, "cac_qa", ("audit_every_2_years", "aud25.4.over_10m")),
        (10_000_000, "cac_qa", ("audit_every_2_years", "aud25.4.over_10m")),
        (9_999_999, "cac_qa", ("audit_every_3_or_4_years", "aud25.3.band_1m_10m")),
        (10_000_001, "literal", ("audit_every_2_years", "aud25.4.over_10m")),
        (10_000_000, "literal", ("audit_every_3_or_4_years", "aud25.3.band_1m_10m")),
        (1_000_001, "cac_qa", ("audit_every_3_or_4_years", "aud25.3.band_1m_10m")),
        (1_000_000, "cac_qa", ("audit_every_3_or_4_years", "aud25.3.band_1m_10m")),
        (1_000_001, "literal", ("audit_every_3_or_4_years", "aud25.3.band_1m_10m")),
        (1_000_000, "literal", ("audit_every_5_years", "aud25.3.band_up_to_1m")),
        (999_999, "cac_qa", ("audit_every_5_years", "aud25.3.band_up_to_1m")),
        (999_999, "literal", ("audit_every_5_years", "aud25.3.band_up_to_1m")),
        (0, "cac_qa", ("audit_every_5_years", "aud25.3.band_up_to_1m")),
    ],
)
def test_frequency_bands_and_the_counting_policy(
    count: int, counting: str, expected: tuple[str, str]
) -> None:
    over: dict[str, Any] = {"individuals_processed": count}
    if count < 1_000_000:
        over["reached_1m_on"] = None
    decision = assess({"audit_threshold_counting": counting}, **over)
    assert stage(decision, "frequency") == expected
    assert decision.outcome == expected[0]
    notes = {t.rule: t.why for t in decision.trace if t.outcome == "policy"}
    assert notes["policy:audit_threshold_counting"].startswith(counting)


def test_the_guidance_bands_start_with_the_qa_of_2026_04_29() -> None:
    assert stage(assess(as_of="2026-04-28"), "frequency") == (
        "audit_regularly",
        "aud25.3.regularly",
    )
    assert stage(assess(as_of="2026-04-29"), "frequency") == (
        "audit_every_3_or_4_years",
        "aud25.3.band_1m_10m",
    )
    early = assess(as_of="2026-04-28", individuals_processed=10_000_000)
    assert stage(early, "frequency") == ("audit_every_2_years", "aud25.4.over_10m")


def test_the_bands_are_decided_by_the_article_with_the_guidance_explaining() -> None:
    decision = assess()
    assert decision.decided_by.to_dict() == {"instrument": "AUD25", "article": "3"}
    band = AUDIT.rule("aud25.3.band_1m_10m")
    assert {(c.instrument, c.article) for c in band.explains} == {
        ("QAPI2604", "Q2"),
        ("QAPI2604", "Q1"),
    }
    assert "3 or 4 years" in why(decision, "aud25.3.band_1m_10m")


def test_dates_before_aud25_are_refused() -> None:
    with pytest.raises(FactsError, match="before 2025-05-01"):
        AUDIT.parse(facts(as_of="2025-04-30", reached_1m_on="2025-01-10"))
    assert AUDIT.parse(facts(as_of="2025-05-01", reached_1m_on="2025-01-10")).as_of


# --- the biennial audit and its date (Art. 4) -------------------------------------------------


def test_the_next_biennial_audit_is_due_on_the_anniversary() -> None:
    decision = assess(individuals_processed=12_000_000, last_audit_on="2025-06-30")
    assert deadline(decision, "AUD25", "4").by == dt.date(2027, 6, 30)
    leap = assess(individuals_processed=12_000_000, last_audit_on="2024-02-29")
    assert deadline(leap, "AUD25", "4").by == dt.date(2026, 2, 28)  # Civil Code Art. 202


def test_no_audit_yet_is_due_now_and_the_first_audit_date_is_flagged_unverified() -> None:
    decision = assess(individuals_processed=12_000_000)
    first = deadline(decision, "AUD25", "4")
    assert first.by is None and "unverified" in first.within
    notes = {t.rule: t.why for t in decision.trace if t.outcome == "parameter"}
    assert "[unverified]" in notes["parameter:audit.first_audit_due"]


def test_guidance_bands_give_suggested_dates_but_no_deadline() -> None:
    decision = assess(last_audit_on="2025-06-30")
    assert "aud25.4.biennial_audit" not in duties(decision)
    assert not [d for d in decision.deadlines if d.citation.instrument == "AUD25"]
    assert "2028-06-30 or 2029-06-30" in why(decision, "aud25.3.self_audit")


# --- the officer (Art. 12; PIPO25) ------------------------------------------------------------


def test_the_officer_is_required_from_1_000_000_persons() -> None:
    at = assess(individuals_processed=1_000_000)
    assert {"aud25.12.officer", "pipl.52.officer_contact", "pipo25.1.officer_report"} <= duties(at)
    below = engine.evaluate(AUDIT.parse(facts(individuals_processed=999_999, reached_1m_on=None)))
    assert not {"aud25.12.officer", "pipo25.1.officer_report"} & duties(below)


def test_the_reached_date_is_required_at_the_threshold_and_refused_below() -> None:
    with pytest.raises(FactsError, match="reached_1m_on: required: PI of 1,000,000"):
        AUDIT.parse(facts(individuals_processed=1_000_000, reached_1m_on=None))
    with pytest.raises(FactsError, match="reached_1m_on: given, but PI of only 999,999"):
        AUDIT.parse(facts(individuals_processed=999_999))


def test_officer_report_skips_the_spring_festival_and_counts_make_up_saturdays() -> None:
    # 2026-01-20 + 30 working days: the days off of 2026-02-15 to 02-23 are not counted, the
    # make-up Saturdays 2026-02-14 and 02-28 are; Monday to Friday would give 2026-03-03.
    assert calendar.is_working_day(dt.date(2026, 2, 14))
    report = deadline(assess(), "PIPO25", "item (1)")
    assert report.by == dt.date(2026, 3, 9)


def test_the_officer_change_skips_national_day() -> None:
    # 2025-09-10 + 30 working days across National Day 2025 (make-up days 09-28, 10-11):
    # 2025-10-28, where Monday to Friday would give 2025-10-22.
    decision = assess(
        as_of="2025-10-01", reached_1m_on="2025-08-01", officer_info_changed_on="2025-09-10"
    )
    assert deadline(decision, "PIPO25", "item (3)").by == dt.date(2025, 10, 28)


def test_the_announcement_date_splits_new_and_existing_handlers() -> None:
    new = assess(as_of="2025-09-01", reached_1m_on="2025-07-18")
    assert deadline(new, "PIPO25", "item (1)").by == dt.date(2025, 8, 29)
    assert "pipo25.2.existing_handlers" not in duties(new)
    existing = assess(as_of="2025-09-01", reached_1m_on="2025-07-17")
    assert deadline(existing, "PIPO25", "item (2)").by == dt.date(2025, 8, 28)
    assert "pipo25.1.officer_report" not in duties(existing)


def test_the_before_date_policy_moves_the_last_day() -> None:
    raw = {"as_of": "2025-08-01", "reached_1m_on": "2024-05-01"}
    exclusive = assess(**raw)
    inclusive = assess({"audit_before_date_reading": "inclusive"}, **raw)
    assert deadline(exclusive, "PIPO25", "item (2)").by == dt.date(2025, 8, 28)
    assert deadline(inclusive, "PIPO25", "item (2)").by == dt.date(2025, 8, 29)


def test_pipo25_duties_start_on_2025_07_18() -> None:
    before = assess(as_of="2025-07-17", reached_1m_on="2025-06-01")
    assert "aud25.12.officer" in duties(before)
    assert not {d for d in duties(before) if d.startswith("pipo25")}
    on = assess(as_of="2025-07-18", reached_1m_on="2025-06-01")
    assert "pipo25.2.existing_handlers" in duties(on)


def test_a_deadline_past_the_bundled_calendar_is_refused() -> None:
    with pytest.raises(calendar.CalendarRangeError, match="2027"):
        assess(as_of="2026-12-15", reached_1m_on="2026-12-01")


# --- ordered audits (Art. 5) and rectification (Art. 11) --------------------------------------


@pytest.mark.parametrize(
    ("over", "rule"),
    [
        ({"incident_pi_persons": 999_999}, None),
        ({"incident_pi_persons": 1_000_000}, "aud25.5.3.incident"),
        ({"incident_pi_persons": 200_000, "incident_sensitive_pi_persons": 99_999}, None),
        (
            {"incident_pi_persons": 200_000, "incident_sensitive_pi_persons": 100_000},
            "aud25.5.3.incident",
        ),
        ({"incident_pi_persons": 1_000_000, "already_ordered_for_this_incident": True}, None),
        ({"large_risk_found": True}, "aud25.5.1.large_risk"),
        ({"many_individuals_rights_at_risk": True}, "aud25.5.2.many_individuals"),
        ({"large_risk_found": True, "already_ordered_for_this_incident": True}, None),
    ],
)
def test_ordered_audit_triggers(over: dict[str, Any], rule: str | None) -> None:
    decision = assess(**over)
    ordered = {
        "aud25.8.ordered_audit_cost",
        "aud25.14.no_subdelegation",
        "pipl.64.ordered_measures",
    }
    if rule is None:
        assert stage(decision, "order") is None
        assert decision.outcome == "audit_every_3_or_4_years"
        assert not ordered & duties(decision)
    else:
        assert (decision.outcome, decision.decided_rule) == ("ordered_audit_possible", rule)
        assert stage(decision, "frequency") == ("audit_every_3_or_4_years", "aud25.3.band_1m_10m")
        assert ordered <= duties(decision)


def test_the_rectification_report_is_due_15_working_days_after_completion() -> None:
    # 2025-09-24 + 15 working days across National Day 2025: 2025-10-21 (Monday to Friday
    # would give 2025-10-15).
    decision = assess(
        as_of="2025-10-01", reached_1m_on="2025-08-01", rectification_completed_on="2025-09-24"
    )
    assert deadline(decision, "AUD25", "11").by == dt.date(2025, 10, 21)
    last = assess(as_of="2026-12-10", rectification_completed_on="2026-12-10")
    assert deadline(last, "AUD25", "11").by == dt.date(2026, 12, 31)
    with pytest.raises(calendar.CalendarRangeError, match="2027"):
        assess(as_of="2026-12-11", rectification_completed_on="2026-12-11")


# --- rotation (Art. 15), the oversight body (Art. 12 para. 2) ---------------------------------


@pytest.mark.parametrize(("done", "state"), [(0, "allowed"), (1, "allowed"), (2, "barred")])
def test_a_third_consecutive_audit_by_the_same_body_is_barred(done: int, state: str) -> None:
    decision = assess(consecutive_audits_by_same_body=done, last_audit_on="2025-06-30")
    assert why(decision, "aud25.15.rotation").startswith(f"{state}:")


def test_an_important_platform_sets_up_the_oversight_body() -> None:
    assert "aud25.12.oversight_body" in duties(assess(important_platform=True))
    assert "aud25.12.oversight_body" not in duties(assess())


# --- minors (MINAUD25, QAPI2604 Q3) and small handlers (SMALL26, unverified) --------------------


def test_the_minors_report_is_due_by_the_end_of_january() -> None:
    january = assess(as_of="2026-01-15", processes_minors_pi=True, reached_1m_on="2025-12-01")
    assert deadline(january, "MINAUD25", "announcement").by == dt.date(2026, 1, 31)
    february = assess(as_of="2026-02-01", processes_minors_pi=True)
    assert deadline(february, "MINAUD25", "announcement").by == dt.date(2027, 1, 31)
    before = assess(as_of="2025-12-28", processes_minors_pi=True, reached_1m_on="2025-12-01")
    assert "minaud25.minors_audit" not in duties(before)
    on = assess(as_of="2025-12-29", processes_minors_pi=True, reached_1m_on="2025-12-01")
    assert deadline(on, "MINAUD25", "announcement").by == dt.date(2026, 1, 31)


def test_small_handler_forms_are_noted_from_2026_09_01_below_100_000_unverified() -> None:
    def noted(on: str, count: int) -> bool:
        raw = small(as_of=on, individuals_processed=count)
        return "small26.simplified_forms" in duties(engine.evaluate(AUDIT.parse(raw)))

    assert not noted("2026-08-31", 99_999)
    assert noted("2026-09-01", 99_999)
    assert not noted("2026-09-01", 100_000)
    decision = engine.evaluate(AUDIT.parse(small(as_of="2026-09-01", individuals_processed=99_999)))
    notes = {t.rule: t.why for t in decision.trace if t.outcome == "parameter"}
    assert "[unverified]" in notes["parameter:audit.small_handler.individuals_below"]
    assert decision.outcome == "audit_every_5_years"  # SMALL26 decides nothing


# --- strict facts ----------------------------------------------------------------------------


def test_a_near_empty_file_names_the_first_missing_key() -> None:
    with pytest.raises(FactsError, match="is_state_organ_or_public_affairs_body: required"):
        AUDIT.parse({"pack": "audit", "as_of": "2026-06-01"})


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({k: v for k, v in facts().items() if k != "last_audit_on"}, "last_audit_on: required"),
        ({**facts(), "auditor": "KPMG"}, "auditor: unknown key"),
        (facts(individuals_processed="many"), "individuals_processed: expected a whole number"),
        (facts(important_platform="yes"), "important_platform: expected true or false"),
        (facts(last_audit_on="2026-02-30"), "last_audit_on: expected a date"),
        (facts(consecutive_audits_by_same_body=-1), "consecutive_audits_by_same_body: must not"),
    ],
)
def test_strict_facts_name_the_key(raw: dict[str, Any], key: str) -> None:
    with pytest.raises(FactsError, match=key):
        AUDIT.parse(raw)


@pytest.mark.parametrize(
    ("over", "key"),
    [
        ({"incident_pi_persons": 10, "incident_sensitive_pi_persons": 11}, "incident_sensitive"),
        ({"officer_info_changed_on": "2026-01-19"}, "officer_info_changed_on: 2026-01-19 is"),
        ({"consecutive_audits_by_same_body": 1}, "last_audit_on: null"),
        ({"last_audit_on": "2026-06-02"}, "last_audit_on: 2026-06-02 is after as_of"),
        ({"rectification_completed_on": "2026-07-01"}, "rectification_completed_on: 2026-07-01"),
    ],
)
def test_contradictory_facts_are_refused(over: dict[str, Any], key: str) -> None:
    with pytest.raises(FactsError, match=key):
        AUDIT.parse(facts(**over))
    with pytest.raises(FactsError, match="officer_info_changed_on: given, but reached_1m_on"):
        AUDIT.parse(small(officer_info_changed_on="2026-01-19"))


# --- the law data ----------------------------------------------------------------------------


def test_every_rule_and_duty_cites_a_registered_instrument() -> None:
    known = law.instruments()
    for meta in (*AUDIT.rules, *AUDIT.duties):
        assert meta.citation.instrument in known, meta.id
        assert all(c.instrument in known for c in meta.explains), meta.id
    for values in AUDIT.parameters.values():
        assert all(v.citation.instrument in known for v in values)


def test_every_condition_has_a_docstring() -> None:
    for rule_id in AUDIT.conditions.ids():
        assert inspect.getdoc(AUDIT.conditions[rule_id]), rule_id


def test_the_policy_names_carry_the_pack_prefix() -> None:
    assert AUDIT.policies and all(name.startswith("audit_") for name in AUDIT.policies)


def test_the_count_can_come_from_the_inventory() -> None:
    assert AUDIT.inventory == {"individuals_processed": ()}
