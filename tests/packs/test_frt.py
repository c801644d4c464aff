"""The facial-recognition pack (FRT25, FRTA25): completeness and determinism, the Art. 15
threshold and dates, the filing deadlines on the official calendar, the transition policy,
strict facts, and the integrity of its law data."""

from __future__ import annotations

import datetime as dt
import inspect
import json
from typing import Any

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from chinacomply.model import Decision
from chinacomply.rules import calendar, engine, law
from chinacomply.rules import pack as packs
from chinacomply.rules.facts import FactsError

FRT = packs.get("frt")
OUTCOMES = tuple(FRT.outcomes())
LAST_DAY = dt.date(2026, 12, 31)  # the bundled calendar ends here


def facts(**over: Any) -> dict[str, Any]:
    """A complete facts mapping: 120,000 individuals stored, reached on 2026-01-20, not filed."""
    raw: dict[str, Any] = {
        "pack": "frt",
        "as_of": "2026-02-10",
        "in_china": True,
        "purpose_rd_or_training_only": False,
        "anonymised": False,
        "legal_basis": "consent",
        "stored_individuals": 120_000,
        "reached_100k_on": "2026-01-20",
        "minors_under_14": False,
        "storage": "on_device",
        "separate_consent_for_transmission": False,
        "alternative_method_exists": True,
        "location": "public_place",
        "pipia_done_on": "2025-12-01",
        "purpose_or_method_changed_since_pipia": False,
        "major_incident_since_pipia": False,
        "filing": {"filed_on": None, "info_changed_on": None, "terminated_on": None},
    }
    filing = over.pop("filing", {})
    raw.update(over)
    raw["filing"] = {**raw["filing"], **filing}
    return raw


def assess(policies: dict[str, str] | None = None, **over: Any) -> Decision:
    return engine.evaluate(FRT.parse(facts(**over)), policies=policies)


def decide(**over: Any) -> tuple[str, str]:
    decision = assess(**over)
    return decision.outcome, decision.decided_rule


def deadline(decision: Decision) -> dt.date | None:
    (only,) = decision.deadlines
    return only.by


# --- completeness and determinism (hypothesis) ----------------------------------------------------

_nullable_day = st.one_of(st.none(), st.dates(dt.date(2024, 1, 1), dt.date(2026, 11, 18)))


def _mostly(value: bool) -> st.SearchStrategy[bool]:
    """A scope fact that usually lets the assessment reach the filing stage."""
    return st.sampled_from([value] * 5 + [not value])


@st.composite
def _facts(draw: st.DrawFn) -> dict[str, Any]:
    """Every key of the facts; the count and the day it reached 100,000 drawn together, event
    days up to 2026-11-18 so that 30 working days stay inside the bundled calendar."""
    stored = draw(st.one_of(st.sampled_from([0, 99_999, 100_000, 100_001]), st.integers(0, 10**6)))
    reached = (
        draw(st.dates(dt.date(2024, 1, 1), dt.date(2026, 11, 18))) if stored >= 100_000 else None
    )
    return draw(
        st.fixed_dictionaries(
            {
                "pack": st.just("frt"),
                "as_of": st.dates(FRT.covers_from, LAST_DAY),
                "in_china": _mostly(True),
                "purpose_rd_or_training_only": _mostly(False),
                "anonymised": _mostly(False),
                "legal_basis": st.sampled_from(["consent", "other"]),
                "stored_individuals": st.just(stored),
                "reached_100k_on": st.just(reached),
                "minors_under_14": st.booleans(),
                "storage": st.sampled_from(["on_device", "transmitted"]),
                "separate_consent_for_transmission": st.booleans(),
                "alternative_method_exists": st.booleans(),
                "location": st.sampled_from(
                    ["public_place", "not_public"] * 3 + ["private_space_in_public_place"]
                ),
                "pipia_done_on": _nullable_day,
                "purpose_or_method_changed_since_pipia": st.booleans(),
                "major_incident_since_pipia": st.booleans(),
                "filing": st.fixed_dictionaries(
                    {
                        "filed_on": _nullable_day,
                        "info_changed_on": _nullable_day,
                        "terminated_on": _nullable_day,
                    }
                ),
            }
        )
    )


@settings(max_examples=300, deadline=None)
@given(_facts(), st.sampled_from(["exclusive", "inclusive"]))
def test_exactly_one_outcome_for_every_valid_input(raw: dict[str, Any], reading: str) -> None:
    try:
        parsed = FRT.parse(raw)
    except FactsError:
        assume(False)  # facts the model refuses (a date after as_of, a change before filing...)
        raise
    policies = {"frt_before_date_reading": reading}
    first = engine.evaluate(parsed, policies=policies)
    assert first.outcome in OUTCOMES
    event(first.outcome)
    for stage in FRT.stages:
        rules = {r.id for r in FRT.rules if r.stage == stage.id}
        assert len([t for t in first.trace if t.rule in rules and t.outcome == "decides"]) <= 1
    assert [t.rule for t in first.trace if t.outcome == "decides"][-1] == first.decided_rule
    assert first.decided_by.instrument in law.instruments()
    again = engine.evaluate(parsed, policies=policies)
    assert json.dumps(first.to_dict()) == json.dumps(again.to_dict())


# --- scope and the ban (Arts. 2, 13 ¶2, 19) -------------------------------------------------------


@pytest.mark.parametrize(
    ("over", "rule"),
    [
        ({"in_china": False}, "frt25.2.outside_china"),
        ({"purpose_rd_or_training_only": True}, "frt25.2.rd_training"),
        ({"anonymised": True}, "frt25.19.anonymised"),
    ],
)
def test_out_of_scope_ends_the_assessment(over: dict[str, Any], rule: str) -> None:
    decision = assess(**over)
    assert (decision.outcome, decision.decided_rule) == ("not_in_scope", rule)
    assert not decision.obligations and not decision.deadlines
    filing = {r.id for r in FRT.rules if r.stage == "filing"}
    assert {t.outcome for t in decision.trace if t.rule in filing} == {"not_reached"}


def test_a_device_in_a_private_space_is_prohibited_and_not_filed() -> None:
    decision = assess(location="private_space_in_public_place")
    assert (decision.outcome, decision.decided_by.article) == ("prohibited", "13 ¶2")
    assert not decision.obligations


# --- the threshold (Art. 15 ¶1: reaching 100,000 counts, 99,999 does not) -------------------------


def test_threshold_counts_stored_individuals_inclusive() -> None:
    below = decide(stored_individuals=99_999, reached_100k_on=None)
    assert below == ("no_filing_needed", "frt25.15.1.below")
    at = decide(stored_individuals=100_000)
    assert at == ("filing_required", "frt25.15.1.filing")


def test_reached_date_is_required_at_the_threshold_and_refused_below() -> None:
    with pytest.raises(FactsError, match="reached_100k_on: required: 100,000"):
        FRT.parse(facts(stored_individuals=100_000, reached_100k_on=None))
    with pytest.raises(FactsError, match="reached_100k_on: given, but only 99,999"):
        FRT.parse(facts(stored_individuals=99_999))


# --- deadlines on the official calendar (Art. 15; FRTA25) -----------------------------------------


def test_filing_deadline_skips_the_spring_festival_and_counts_make_up_saturdays() -> None:
    # 2026-01-20 + 30 working days: the Spring Festival days off (2026-02-15 to 02-23) are not
    # counted, the make-up Saturdays 2026-02-14 and 02-28 are; Monday to Friday gives 03-03.
    assert calendar.is_working_day(dt.date(2026, 2, 14))
    assert deadline(assess()) == dt.date(2026, 3, 9)


def test_filing_deadline_skips_national_day() -> None:
    # 2025-09-10 + 30 working days, across National Day 2025 (make-up days 09-28 and 10-11):
    # 2025-10-28, where Monday to Friday would give 2025-10-22.
    decision = assess(as_of="2025-09-30", reached_100k_on="2025-09-10", pipia_done_on=None)
    assert deadline(decision) == dt.date(2025, 10, 28)


def test_overdue_from_the_day_after_the_last_day() -> None:
    assert decide(as_of="2026-03-09") == ("filing_required", "frt25.15.1.filing")
    assert decide(as_of="2026-03-10") == ("filing_overdue", "frt25.15.1.overdue")
    assert deadline(assess(as_of="2026-03-10")) == dt.date(2026, 3, 9)


def test_change_and_cancel_filings_are_dated() -> None:
    filed = {"reached_100k_on": "2025-06-20", "pipia_done_on": "2025-06-01"}
    change = assess(
        as_of="2025-10-09",
        filing={"filed_on": "2025-07-01", "info_changed_on": "2025-09-15"},
        **filed,
    )
    # 2025-09-15 + 30 working days across National Day: 2025-10-31 (Monday to Friday: 10-27)
    assert (change.outcome, deadline(change)) == ("change_filing", dt.date(2025, 10, 31))
    cancel = assess(
        as_of="2026-02-03",
        filing={
            "filed_on": "2025-07-01",
            "info_changed_on": "2025-09-15",
            "terminated_on": "2026-02-02",
        },
        **filed,
    )
    # 2026-02-02 + 30 working days across the Spring Festival: 2026-03-20 (Monday to Friday: 03-16)
    assert (cancel.outcome, deadline(cancel)) == ("cancel_filing", dt.date(2026, 3, 20))
    assert "frt25.5.notice" not in {o.id for o in cancel.obligations}  # processing has stopped
    assert "frt25.9.keep_records" in {o.id for o in cancel.obligations}
    assert [t.outcome for t in cancel.trace if t.rule == "frt25.15.2.change"] == ["overridden"]


def test_a_deadline_past_the_bundled_calendar_is_refused() -> None:
    with pytest.raises(calendar.CalendarRangeError, match="2027"):
        assess(as_of="2026-12-01", reached_100k_on="2026-11-25")
    with pytest.raises(calendar.CalendarRangeError, match="2027"):
        assess(
            as_of="2026-12-02", filing={"filed_on": "2025-07-01", "info_changed_on": "2026-12-01"}
        )


# --- the transition (FRTA25 item (2)) and its policy ----------------------------------------------


def test_a_count_reached_before_2025_06_01_files_by_the_announcement_date() -> None:
    pre = assess(as_of="2025-07-13", reached_100k_on="2025-05-31", pipia_done_on="2025-05-01")
    assert (pre.outcome, pre.decided_rule, deadline(pre)) == (
        "filing_required",
        "frt25.15.1.transition",
        dt.date(2025, 7, 13),
    )
    assert pre.decided_by.to_dict() == {"instrument": "FRT25", "article": "15 ¶1"}
    assert any(t.rule == "policy:frt_before_date_reading" for t in pre.trace)
    # reached on 2025-06-01 itself: 30 working days, the Dragon Boat holiday excluded
    day_of = assess(as_of="2025-07-14", reached_100k_on="2025-06-01", pipia_done_on="2025-05-01")
    assert (day_of.decided_rule, deadline(day_of)) == ("frt25.15.1.filing", dt.date(2025, 7, 14))


def test_the_before_date_policy_moves_the_last_day() -> None:
    over: dict[str, Any] = {
        "as_of": "2025-07-14",
        "reached_100k_on": "2025-03-01",
        "pipia_done_on": None,
    }
    exclusive = assess(**over)
    assert (exclusive.decided_rule, deadline(exclusive)) == (
        "frt25.15.1.transition_overdue",
        dt.date(2025, 7, 13),
    )
    inclusive = assess(policies={"frt_before_date_reading": "inclusive"}, **over)
    assert (inclusive.decided_rule, deadline(inclusive)) == (
        "frt25.15.1.transition",
        dt.date(2025, 7, 14),
    )


# --- effective dates ------------------------------------------------------------------------------


def test_dates_before_frt25_are_refused() -> None:
    with pytest.raises(FactsError, match="as_of: 2025-05-31 is before 2025-06-01"):
        FRT.parse(facts(as_of="2025-05-31", reached_100k_on="2025-05-01", pipia_done_on=None))
    assert decide(as_of="2025-06-01", reached_100k_on="2025-05-01", pipia_done_on=None)[0] == (
        "filing_required"
    )


def test_the_qapi2601_reading_of_the_pipia_comes_with_its_publication() -> None:
    def duties(on: str) -> set[str]:
        return {
            o.id
            for o in assess(as_of=on, reached_100k_on="2025-12-15", pipia_done_on=None).obligations
        }

    assert "frt25.9.pipia" in duties("2026-01-08")
    assert "frt25.9.pipia_organiser" not in duties("2026-01-08")
    assert "frt25.9.pipia_organiser" in duties("2026-01-09")


# --- the duties -----------------------------------------------------------------------------------


def test_duties_follow_the_facts() -> None:
    def duties(**over: Any) -> set[str]:
        return {o.id for o in assess(**over).obligations}

    base = duties()
    assert {
        "frt25.5.notice",
        "frt25.6.separate_consent",
        "frt25.8.on_device",
        "frt25.10.alternative",
        "frt25.13.1.public_place",
        "frt25.14.security",
        "frt25.15.1.file",
    } <= base
    assert "frt25.6.separate_consent" not in duties(legal_basis="other")
    assert {"frt25.7.guardian_consent", "frt25.7.minors_rules"} <= duties(minors_under_14=True)
    assert "frt25.7.guardian_consent" not in duties(minors_under_14=True, legal_basis="other")
    assert "frt25.8.transmission_consent" in duties(storage="transmitted")
    assert "frt25.8.transmission_consent" not in duties(
        storage="transmitted", separate_consent_for_transmission=True
    )
    assert "frt25.9.redo_pipia" in duties(major_incident_since_pipia=True)
    assert "frt25.10.alternative" not in duties(alternative_method_exists=False)
    assert "frt25.13.1.public_place" not in duties(location="not_public")


def test_the_filing_duty_names_the_five_materials_and_the_authority() -> None:
    (filing,) = [o for o in assess().obligations if o.id == "frt25.15.1.file"]
    assert "provincial level or above" in filing.text
    for item in ("(1)", "(2)", "(3)", "(4)", "(5)", "impact assessment report"):
        assert item in filing.text


# --- strict facts ---------------------------------------------------------------------------------


def test_a_near_empty_file_names_the_first_missing_key() -> None:
    with pytest.raises(FactsError, match="in_china: required"):
        FRT.parse({"pack": "frt"})


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (
            {k: v for k, v in facts().items() if k != "stored_individuals"},
            "stored_individuals: required",
        ),
        (
            facts(filing={"filed_on": None, "terminated_on": None, "extra": 1}),
            "filing.extra: unknown key",
        ),
        ({**facts(), "verifications": 5}, "verifications: unknown key"),
        (facts(stored_individuals="120000"), "stored_individuals: expected a whole number"),
        (facts(in_china="yes"), "in_china: expected true or false"),
        (facts(reached_100k_on="2026-02-30"), "reached_100k_on: expected a date"),
        (facts(location="lobby"), "location: expected"),
    ],
)
def test_strict_facts_name_the_key(raw: dict[str, Any], key: str) -> None:
    with pytest.raises(FactsError, match=key):
        FRT.parse(raw)


def test_missing_filing_key_is_named() -> None:
    raw = facts()
    raw["filing"] = {"filed_on": None, "terminated_on": None}
    with pytest.raises(FactsError, match=r"filing\.info_changed_on: required"):
        FRT.parse(raw)


@pytest.mark.parametrize(
    ("over", "key"),
    [
        ({"as_of": "2026-01-10"}, "reached_100k_on: 2026-01-20 is after as_of"),
        ({"pipia_done_on": None, "major_incident_since_pipia": True}, "pipia_done_on: null"),
        ({"filing": {"info_changed_on": "2026-02-01"}}, "filing.info_changed_on: given"),
        (
            {"filing": {"filed_on": "2026-02-01", "terminated_on": "2026-01-31"}},
            "filing.terminated_on",
        ),
    ],
)
def test_contradictory_facts_are_refused(over: dict[str, Any], key: str) -> None:
    with pytest.raises(FactsError, match=key):
        FRT.parse(facts(**over))


# --- the law data ---------------------------------------------------------------------------------


def test_every_rule_and_duty_cites_a_registered_instrument() -> None:
    known = law.instruments()
    for meta in (*FRT.rules, *FRT.duties):
        assert meta.citation.instrument in known, meta.id
        assert all(e.instrument in known for e in meta.explains), meta.id
    for values in FRT.parameters.values():
        assert all(v.citation.instrument in known for v in values)


def test_every_condition_has_a_docstring() -> None:
    for rule_id in FRT.conditions.ids():
        assert inspect.getdoc(FRT.conditions[rule_id]), rule_id


def test_the_policy_names_carry_the_pack_prefix() -> None:
    assert all(name.startswith("frt_") for name in FRT.policies)


def test_the_stored_count_can_come_from_the_inventory() -> None:
    assert FRT.inventory == {"stored_individuals": ("biometric",)}
