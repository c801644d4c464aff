"""The export rules engine: completeness, determinism, thresholds, effective dates, the life
cycle of existing approvals, and the integrity of the law data."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from chinacomply.rules import engine, law
from chinacomply.rules import pack as packs
from chinacomply.rules.facts import FactsError
from chinacomply.rules.packs.export.facts import GBA_CITIES

EXPORT = packs.get("export")
EARLIEST = EXPORT.covers_from
PATHWAYS = tuple(EXPORT.outcomes())


def parse(raw: dict[str, Any]) -> Any:
    return EXPORT.parse(raw)


def decide(on: str, **facts: Any) -> tuple[str, str]:
    """(pathway, decided rule) for facts given as nested dicts."""
    decision = engine.evaluate(parse({"as_of": on, "volumes": {}, **facts}))
    return decision.pathway, decision.decided_rule


# --- completeness and determinism (hypothesis) -----------------------------------------------

_dates = st.dates(min_value=EARLIEST, max_value=dt.date(2026, 12, 31))
_facts = st.fixed_dictionaries(
    {
        "handler": st.fixed_dictionaries(
            {
                "ciio": st.booleans(),
                "ftz": st.one_of(st.none(), st.sampled_from(["Tianjin", "Beijing", "Hainan"])),
                "gba_city": st.one_of(st.none(), st.sampled_from(GBA_CITIES)),
                "processed_individuals": st.integers(0, 3_000_000),
            }
        ),
        "activity": st.fixed_dictionaries(
            {
                "mode": st.sampled_from(
                    ["transmit", "remote_access", "onshore_access", "offshore_processing"]
                ),
                "recipient_region": st.sampled_from(["US", "HK", "DE", "SG"]),
            }
        ),
        "data": st.fixed_dictionaries(
            {
                k: st.booleans()
                for k in (
                    "personal_information",
                    "sensitive_personal_information",
                    "important_data",
                    "core_data",
                    "foreign_origin_only",
                    "on_ftz_negative_list",
                )
            }
        ),
        "grounds": st.fixed_dictionaries(
            {k: st.booleans() for k in ("contract_with_individual", "hr_management", "emergency")}
        ),
        "volumes": st.fixed_dictionaries(
            {"non_sensitive": st.integers(0, 2_000_000), "sensitive": st.integers(0, 30_000)}
        ),
        "existing": st.one_of(
            st.just({}),
            st.fixed_dictionaries(
                {
                    "mechanism": st.sampled_from(
                        [
                            "security_assessment",
                            "standard_contract",
                            "certification",
                            "gba_standard_contract",
                        ]
                    ),
                    "valid_from": _dates,
                    "material_changes": st.lists(
                        st.sampled_from(["purpose", "recipient", "data_types"]), max_size=2
                    ),
                    "projected_growth": st.one_of(st.none(), st.floats(0, 1)),
                }
            ),
        ),
    }
)


@settings(max_examples=400, deadline=None)
@given(_facts, _dates)
def test_exactly_one_pathway_for_every_valid_input(raw: dict[str, Any], on: dt.date) -> None:
    facts = parse(raw)
    assume(
        not (facts.existing.valid_from and facts.existing.valid_from > on)
    )  # approval after the date
    first = engine.evaluate(facts, on)
    assert first.pathway in PATHWAYS
    deciding = [t for t in first.trace if t.outcome == "decides"]
    assert 1 <= len(deciding) <= 2  # one base (or scope) rule, and at most one life-cycle rule
    assert deciding[-1].rule == first.decided_rule
    assert first.decided_by.instrument in law.instruments()
    assert json.dumps(first.to_dict()) == json.dumps(engine.evaluate(facts, on).to_dict())
    assert [s.stage for s in first.stages][-1] in ("scope", "base", "lifecycle")


# --- thresholds (P24 Arts. 5(4), 7, 8; M22 Art. 4; CC1259: 以上 includes the number) ----------


@pytest.mark.parametrize(
    ("volumes", "expected"),
    [
        ({"non_sensitive": 99_999}, ("exempt", "p24.5.4.small_volume")),
        ({"non_sensitive": 100_000}, ("standard_contract_or_certification", "p24.8.contract")),
        ({"non_sensitive": 999_999}, ("standard_contract_or_certification", "p24.8.contract")),
        ({"non_sensitive": 1_000_000}, ("security_assessment", "p24.7.2.volume")),
        ({"sensitive": 9_999}, ("standard_contract_or_certification", "p24.8.contract")),
        ({"sensitive": 10_000}, ("security_assessment", "p24.7.2.volume")),
        ({"sensitive": 1}, ("standard_contract_or_certification", "p24.8.contract")),
        ({"non_sensitive": 0, "sensitive": 0}, ("exempt", "p24.5.4.small_volume")),
    ],
)
def test_p24_thresholds(volumes: dict[str, int], expected: tuple[str, str]) -> None:
    assert decide("2025-06-30", volumes=volumes) == expected


@pytest.mark.parametrize(
    ("volumes", "processed", "expected"),
    [
        (
            {"non_sensitive": 99_999},
            10_000,
            ("standard_contract_or_certification", "scc23.4.contract"),
        ),
        ({"non_sensitive": 100_000}, 10_000, ("security_assessment", "m22.4.3.volume")),
        ({"sensitive": 9_999}, 10_000, ("standard_contract_or_certification", "scc23.4.contract")),
        ({"sensitive": 10_000}, 10_000, ("security_assessment", "m22.4.3.volume")),
        ({"non_sensitive": 5}, 999_999, ("standard_contract_or_certification", "scc23.4.contract")),
        ({"non_sensitive": 5}, 1_000_000, ("security_assessment", "m22.4.2.ciio_or_processed")),
    ],
)
def test_m22_thresholds(volumes: dict[str, int], processed: int, expected: tuple[str, str]) -> None:
    facts = {"volumes": volumes, "handler": {"processed_individuals": processed}}
    assert decide("2023-12-31", **facts) == expected


def test_m22_needs_the_processed_volume() -> None:
    with pytest.raises(FactsError, match=r"handler\.processed_individuals"):
        decide("2023-12-31", volumes={"non_sensitive": 5})


# --- effective dates: the day before and the day of ----------------------------------------


@pytest.mark.parametrize(
    ("on", "facts", "expected"),
    [
        # SCC23 in force 2023-06-01: before it, PIPL Art. 38 itself
        (
            "2023-05-31",
            {"volumes": {"non_sensitive": 5}},
            ("standard_contract_or_certification", "pipl.38.mechanism"),
        ),
        (
            "2023-06-01",
            {"volumes": {"non_sensitive": 5}},
            ("standard_contract_or_certification", "scc23.4.contract"),
        ),
        # GBA guidelines: in effect on publication, 2023-12-13 (Art. 15)
        (
            "2023-12-12",
            {"handler": {"gba_city": "Shenzhen"}, "activity": {"recipient_region": "HK"}},
            ("standard_contract_or_certification", "scc23.4.contract"),
        ),
        (
            "2023-12-13",
            {"handler": {"gba_city": "Shenzhen"}, "activity": {"recipient_region": "HK"}},
            ("gba_standard_contract", "gba.2.standard_contract"),
        ),
        # P24 2024-03-22
        (
            "2024-03-21",
            {"volumes": {"non_sensitive": 90_000}},
            ("standard_contract_or_certification", "scc23.4.contract"),
        ),
        ("2024-03-22", {"volumes": {"non_sensitive": 90_000}}, ("exempt", "p24.5.4.small_volume")),
        (
            "2024-03-21",
            {"grounds": {"contract_with_individual": True}, "volumes": {"non_sensitive": 200_000}},
            ("security_assessment", "m22.4.3.volume"),
        ),
        (
            "2024-03-22",
            {"grounds": {"contract_with_individual": True}, "volumes": {"non_sensitive": 200_000}},
            ("exempt", "p24.5.1.contract"),
        ),
        # NDSMR 2025-01-01 takes over core data from DSL Art. 21
        ("2024-12-31", {"data": {"core_data": True}}, ("core_data_restricted", "dsl.21.core_data")),
        (
            "2025-01-01",
            {"data": {"core_data": True}},
            ("core_data_restricted", "ndsmr.63.core_data"),
        ),
    ],
)
def test_effective_dates(on: str, facts: dict[str, Any], expected: tuple[str, str]) -> None:
    facts = {**facts, "handler": {"processed_individuals": 10_000, **facts.get("handler", {})}}
    assert decide(on, **facts) == expected


def test_certification_is_an_option_from_the_2022_announcement_then_under_cert25() -> None:
    def alternatives(on: str) -> dict[str, str]:
        n = 5 if on < "2024-03-22" else 200_000  # the contract pathway under the law of the day
        raw = {
            "as_of": on,
            "volumes": {"non_sensitive": n},
            "handler": {"processed_individuals": 9},
        }
        decision = engine.evaluate(parse(raw))
        return {a.mechanism: a.citation.instrument for a in decision.alternatives}

    assert "certification" not in alternatives("2022-11-17")
    assert alternatives("2022-11-18")["certification"] == "CERT22"
    assert alternatives("2025-12-31")["certification"] == "CERT22"
    assert alternatives("2026-01-01")["certification"] == "CERT25"


def test_dates_before_the_earliest_law_are_refused() -> None:
    with pytest.raises(FactsError, match="as_of: 2022-08-31 is before 2022-09-01"):
        engine.evaluate(parse({"volumes": {}}), dt.date(2022, 8, 31))


# --- life cycle of an existing approval ----------------------------------------------------


def _existing(on: str, mechanism: str, valid_from: str, **more: Any) -> tuple[str, str]:
    volumes = (
        {"non_sensitive": 1_500_000}
        if mechanism == "security_assessment"
        else {"non_sensitive": 200_000}
    )
    existing = {"mechanism": mechanism, "valid_from": valid_from, **more}
    return decide(on, volumes=volumes, existing=existing)


def test_filed_contract_needs_no_new_filing_until_something_changes() -> None:
    assert _existing("2025-06-30", "standard_contract", "2025-01-02") == (
        "no_new_filing",
        "scc23.8.contract_covers",
    )
    changed = _existing(
        "2025-06-30", "standard_contract", "2025-01-02", material_changes=["recipient"]
    )
    assert changed == ("refile_standard_contract", "scc23.8.refile")


def test_contract_volume_crossing_the_assessment_threshold_needs_an_assessment() -> None:
    decision = decide(
        "2025-06-30",
        volumes={"non_sensitive": 1_000_000},
        existing={"mechanism": "standard_contract", "valid_from": "2025-01-02"},
    )
    assert decision == ("security_assessment", "p24.7.2.volume")


def test_extension_window_uses_the_working_day_calendar() -> None:
    # Result of 2023-06-05 (M22: two years, policy as_issued) expires 2025-06-05; the window of
    # 60 working days before it opens on the day the PRC calendar gives, holidays excluded.
    from chinacomply.rules import calendar

    opens = calendar.subtract_working_days(dt.date(2025, 6, 5), 60)
    day_before = (opens - dt.timedelta(days=1)).isoformat()
    assert _existing(day_before, "security_assessment", "2023-06-05") == (
        "no_new_filing",
        "assessment.valid",
    )
    assert _existing(opens.isoformat(), "security_assessment", "2023-06-05") == (
        "extend_assessment",
        "p24.9.extension",
    )


def test_growth_above_the_cap_closes_the_extension() -> None:
    closed = _existing("2027-05-10", "security_assessment", "2024-06-03", projected_growth=0.2001)
    assert closed == ("redeclare_assessment", "p24.9.extension_closed")
    at_cap = _existing("2027-05-10", "security_assessment", "2024-06-03", projected_growth=0.2)
    assert at_cap == ("extend_assessment", "p24.9.extension")


def test_expired_or_changed_assessment_is_declared_again() -> None:
    assert _existing("2027-06-03", "security_assessment", "2024-06-03") == (
        "redeclare_assessment",
        "m22.14.redeclare",
    )
    changed = _existing(
        "2025-06-30", "security_assessment", "2024-06-03", material_changes=["purpose"]
    )
    assert changed == ("redeclare_assessment", "m22.14.redeclare")


def test_pre_p24_validity_policy() -> None:
    """A result of 2023-07-03: two years under M22 (expired on 2025-07-03, the default reading)
    or three under P24 Art. 9 (valid to 2026-07-03, the other setting)."""
    facts = parse(
        {"as_of": "2025-07-03", "volumes": {"non_sensitive": 1_500_000},
         "existing": {"mechanism": "security_assessment", "valid_from": "2023-07-03"}}
    )  # fmt: skip
    assert engine.evaluate(facts).decided_rule == "m22.14.redeclare"
    p24 = engine.evaluate(facts, policies={"pre_p24_assessment_validity": "p24"})
    assert p24.pathway == "no_new_filing"
    assert any(t.rule == "policy:pre_p24_assessment_validity" for t in p24.trace)


# --- the law as of 2026-12 -----------------------------------------------------------------


def _gba(on: str, region: str, n: int, **policies: str) -> Any:
    raw = {
        "as_of": on,
        "handler": {"gba_city": "Zhuhai"},
        "activity": {"recipient_region": region},
        "volumes": {"non_sensitive": n},
    }
    return engine.evaluate(parse(raw), policies=policies)


def test_the_macao_gba_contract_from_2024_09_10() -> None:
    assert _gba("2024-09-09", "MO", 200_000).decided_rule == "p24.8.contract"
    macao = _gba("2024-09-10", "MO", 200_000)
    assert (macao.pathway, macao.decided_by.instrument) == ("gba_standard_contract", "GBA-MO")
    assert any(d.citation.instrument == "GBA-MO" for d in macao.deadlines)
    assert [a.mechanism for a in _gba("2024-09-10", "US", 200_000).alternatives] == [
        "certification"
    ]


def test_gba_volume_cap_is_a_policy_shown_in_the_trace() -> None:
    default = _gba("2026-03-02", "HK", 1_200_000)
    assert default.decided_rule == "p24.7.2.volume"
    assert any(t.rule == "policy:gba_volume_cap" for t in default.trace)
    open_ = _gba("2026-03-02", "HK", 1_200_000, gba_volume_cap="no_volume_limit")
    assert open_.decided_rule == "gba.2.standard_contract"


def test_statutory_duty_ground_from_2025() -> None:
    raw = {"grounds": {"statutory_duty": True}, "volumes": {"non_sensitive": 1_500_000}}
    assert decide("2024-12-31", **raw) == ("security_assessment", "p24.7.2.volume")
    decision = engine.evaluate(parse({"as_of": "2025-01-01", **raw}))
    assert (decision.pathway, decision.decided_by.to_dict()) == (
        "exempt",
        {"instrument": "NDSMR", "article": "35(6)"},
    )
    assert "pipl.39.separate_consent" not in {o.id for o in decision.obligations}  # QA2607 Q1
    assert "pipl.39.notice" in {o.id for o in decision.obligations}


def test_important_data_declaration_within_two_months_of_notice() -> None:
    # notified 2025-06-30: two months end on Saturday 2025-08-30, so Monday 2025-09-01
    raw = {
        "as_of": "2025-07-10",
        "data": {"important_data": True, "important_data_notified_on": "2025-06-30"},
    }
    decision = engine.evaluate(parse(raw))
    due = [d for d in decision.deadlines if d.citation.instrument == "QA2505"]
    assert due and due[0].by == dt.date(2025, 9, 1)
    with pytest.raises(FactsError, match="important_data_notified_on"):
        parse({"data": {"important_data_notified_on": "2025-06-30"}, "volumes": {}})


def test_certificate_under_the_2022_rules_then_under_cert25() -> None:
    def pathway(on: str, issued: str) -> tuple[str, str]:
        existing = {"mechanism": "certification", "valid_from": issued}
        return decide(on, volumes={"non_sensitive": 200_000}, existing=existing)

    assert pathway("2025-06-30", "2024-05-06") == ("no_new_filing", "cert22.certificate_valid")
    assert pathway("2026-06-30", "2024-05-06") == ("no_new_filing", "cert25.8.certificate_valid")
    assert pathway("2027-05-06", "2024-05-06")[1] == "p24.8.contract"  # three years are up


def test_validity_last_day_policy() -> None:
    raw = {
        "as_of": "2027-06-03",
        "volumes": {"non_sensitive": 1_500_000},
        "existing": {"mechanism": "security_assessment", "valid_from": "2024-06-03"},
    }
    assert engine.evaluate(parse(raw)).decided_rule == "m22.14.redeclare"
    civil = engine.evaluate(parse(raw), policies={"validity_last_day": "anniversary"})
    assert civil.decided_rule == "p24.9.extension"


def test_crossing_into_the_assessment_brings_the_contract_volumes_along() -> None:
    raw = {
        "as_of": "2026-06-30",
        "volumes": {"non_sensitive": 1_000_000},
        "existing": {"mechanism": "standard_contract", "valid_from": "2026-01-05"},
    }
    duties = {o.id for o in engine.evaluate(parse(raw)).obligations}
    assert "qa2601.1.prior_volumes" in duties


def test_the_annual_risk_report_cites_the_2026_measures_from_2026_08_20() -> None:
    def duties(on: str) -> set[str]:
        raw = {"as_of": on, "data": {"important_data": True}}
        return {o.id for o in engine.evaluate(parse(raw)).obligations}

    assert "ndsmr.33.important_data_report" in duties("2026-08-19")
    assert "ra26.16.risk_assessment_report" in duties("2026-08-20")
    assert "ndsmr.33.important_data_report" not in duties("2026-08-20")


def test_a_decision_names_the_article_and_the_guidance_that_explains_it() -> None:
    covers = EXPORT.rule("scc23.8.contract_covers")
    assert covers.citation.instrument == "SCC23"
    assert {c.instrument for c in covers.explains} == {"QA2510", "QA2601"}
    onshore = EXPORT.rule("scope.onshore_access")
    assert onshore.citation.instrument == "G-SA3" and onshore.explains[0].instrument == "QA2510"


# --- the facts a file must give ---------------------------------------------------------


def test_a_pi_export_without_volumes_is_refused_not_decided_as_zero() -> None:
    with pytest.raises(FactsError, match="volumes: required"):
        parse({"as_of": "2025-06-30"})
    with pytest.raises(FactsError, match="volumes: required"):
        parse({"as_of": "2025-06-30", "grounds": {"contract_with_individual": True}})
    # no PI, important or core data: the volumes do not decide, so they may be left out
    assert parse({"data": {"personal_information": False}}).volumes.non_sensitive == 0
    assert parse({"data": {"important_data": True}}).data.important_data
