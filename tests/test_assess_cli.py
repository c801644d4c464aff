"""`chinacomply assess` and `chinacomply rules` as a DPO and a script use them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_cli import run

GBA_FACTS = """\
as_of: 2026-03-02
handler: {gba_city: Shenzhen}
activity: {recipient_region: HK}
volumes: {non_sensitive: 250000}
"""


@pytest.fixture
def facts_file(tmp_path: Path) -> Path:
    path = tmp_path / "transfer.yaml"
    path.write_text(GBA_FACTS, encoding="utf-8")
    return path


def test_assess_json_contract(facts_file: Path) -> None:
    result = run("assess", str(facts_file), "--format", "json")
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["pathway"] == "gba_standard_contract"
    assert decision["decided_by"] == {"instrument": "GBA", "article": "2"}
    assert {"alternatives", "obligations", "deadlines", "trace", "as_of", "ruleset"} <= set(
        decision
    )
    assert decision["as_of"] == "2026-03-02"
    assert len(decision["ruleset"]["sha256"]) == 64
    assert any(o["id"] == "pipl.39.notice" for o in decision["obligations"])
    assert {
        "mechanism": "certification",
        "instrument": "CERT25",
        "article": "5",
    }.items() <= decision["alternatives"][1].items()
    outcomes = {t["rule"]: t["outcome"] for t in decision["trace"]}
    assert outcomes["gba.2.standard_contract"] == "decides"
    assert outcomes["p24.8.contract"] == "overridden"


def test_assess_text_is_for_a_dpo(facts_file: Path) -> None:
    result = run("assess", str(facts_file))
    assert result.returncode == 0
    first = result.stdout.splitlines()[0]
    assert first.startswith("GBA standard contract: ")
    assert "Decided by GBA Art. 2" in result.stdout
    assert "What to do, by when:" in result.stdout and "10 working days" in result.stdout
    assert "Duties that come with it:" in result.stdout


def test_as_of_option_overrides_the_facts(facts_file: Path) -> None:
    result = run("assess", str(facts_file), "--as-of", "2023-12-09", "--format", "json")
    assert result.returncode == 2  # before P24 the processed volume is needed, and named
    assert "handler.processed_individuals" in result.stderr


def test_policy_option_changes_and_is_recorded(tmp_path: Path) -> None:
    path = tmp_path / "ciio.yaml"
    path.write_text(
        "as_of: 2025-06-30\nhandler: {ciio: true}\ngrounds: {hr_management: true}\n"
        "volumes: {non_sensitive: 5000}\n",
        encoding="utf-8",
    )
    default = json.loads(run("assess", str(path), "--format", "json").stdout)
    strict = json.loads(
        run(
            "assess",
            str(path),
            "--format",
            "json",
            "--policy",
            "ciio_grounds_exemption=not_allowed",
        ).stdout
    )
    assert default["pathway"] == "exempt"
    assert strict["pathway"] == "security_assessment"
    assert any(t["rule"] == "policy:ciio_grounds_exemption" for t in strict["trace"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("handler: {cio: true}\n", "handler.cio: unknown key"),
        ("volumes: {sensitive: lots}\n", "volumes.sensitive: expected a whole number"),
        ("as_of: 2022-08-31\nvolumes: {}\n", "as_of: 2022-08-31 is before 2022-09-01"),
        ("as_of: 2026-02-30\nvolumes: {}\n", "as_of: expected a date"),
        ("as_of: 2026-03-02\n", "volumes: required"),
        ("pack: nosuch\n", "pack: unknown rule pack 'nosuch'"),
        (
            "handler: {gba_city: Beijing}\n",
            "handler.gba_city: 'Beijing' is not a mainland GBA city",
        ),
        ("existing: {mechanism: licence}\n", "existing.mechanism"),
        ("- a\n- b\n", "expected a mapping of facts"),
        ("as_of: [\n", "not valid YAML"),
    ],
)
def test_bad_facts_exit_2_naming_the_key(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(content, encoding="utf-8")
    result = run("assess", str(path))
    assert result.returncode == 2
    assert str(path) in result.stderr and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_options_exit_2(facts_file: Path) -> None:
    assert run("assess", str(facts_file), "--as-of", "yesterday").returncode == 2
    unknown = run("assess", str(facts_file), "--policy", "nope=1")
    assert unknown.returncode == 2 and "has no policy 'nope'" in unknown.stderr
    missing = run("assess", "missing.yaml")
    assert missing.returncode == 2 and "missing.yaml" in missing.stderr


def test_rules_list_and_explain() -> None:
    before = run("rules", "list", "--as-of", "2024-03-21").stdout
    after = run("rules", "list", "--as-of", "2024-03-22").stdout
    assert "m22.4.3.volume" in before and "p24.5.4.small_volume" not in before
    assert "p24.5.4.small_volume" in after and "m22.4.3.volume" not in after
    explained = run("rules", "explain", "p24.5.1.contract")
    assert explained.returncode == 0
    assert "P24 Art. 5(1)" in explained.stdout and "excepts" in explained.stdout
    assert run("rules", "explain", "no.such.rule").returncode == 2
    policies = run("rules", "policies").stdout
    assert "ciio_grounds_exemption (export; default: allowed)" in policies


def test_incident_clock_counts_down_to_the_report_and_flags_it_overdue() -> None:
    example = "examples/incident.yaml"  # discovered 2026-09-30 22:40 +08:00, 4-hour report
    early = run("incident", "clock", example, "--now", "2026-09-30T23:10+08:00")
    assert early.returncode == 0, early.stderr
    first = early.stdout.splitlines()[2]
    assert first.startswith("  2026-10-01T02:40+08:00  3 h 30 min left: report the incident")
    assert "2026-11-05 24:00" in early.stdout  # the closing report, 30 days after 2026-10-06
    late = run("incident", "clock", example, "--now", "2026-10-01T03:00+08:00", "--fail-on-overdue")
    assert late.returncode == 1
    assert "OVERDUE 2026-10-01T02:40+08:00  overdue by 20 min" in late.stdout
    data = json.loads(
        run("incident", "clock", example, "--now", "2026-10-01T01:40", "--format", "json").stdout
    )
    report = data["due"][0]
    assert (report["seconds_left"], report["overdue"]) == (3600, False)  # naive: Asia/Shanghai
    wrong = run("incident", "clock", "examples/frt.yaml")
    assert wrong.returncode == 2 and "pack: incident" in wrong.stderr
    bad = run("incident", "clock", example, "--now", "soon")
    assert bad.returncode == 2 and "--now" in bad.stderr


@pytest.mark.parametrize(
    ("example", "outcome", "deadline"),
    [
        ("examples/frt.yaml", "filing_required", "by 2026-03-09"),
        ("examples/incident.yaml", "report_within_4_hours", "at the latest 2026-10-01T02:40+08:00"),
        ("examples/audit.yaml", "audit_every_2_years", "by 2027-03-31"),
    ],
)
def test_the_example_of_each_pack_is_decided_with_dates_and_citations(
    example: str, outcome: str, deadline: str
) -> None:
    text = run("assess", example)
    assert text.returncode == 0, text.stderr
    assert deadline in text.stdout and "Decided by " in text.stdout
    decision = json.loads(run("assess", example, "--format", "json").stdout)
    assert decision["outcome"] == outcome
    assert all(o["instrument"] and o["article"] for o in decision["obligations"])


def test_rules_explain_explains_every_rule_of_every_pack() -> None:
    from chinacomply.cli import render
    from chinacomply.rules import pack as packs

    for pack in packs.packs().values():
        for meta in (*pack.rules, *pack.duties):
            text = render.rule_explanation(pack, meta)
            assert "How it is checked: " in text and " cites " in text, meta.id
            assert "{" not in text.splitlines()[0], meta.id  # parameters filled in
    result = run("rules", "explain", "frt25.15.1.filing")
    assert result.returncode == 0 and "FRT25 Art. 15" in result.stdout
