"""What the labels a carrier read mean: implicit state, findings with their articles, the C2PA
comparison, and the platform's action under LBL25 Art. 6."""

from __future__ import annotations

import datetime as dt

import pytest

from chinacomply.aigc import check
from chinacomply.aigc.formats.base import Carried, Metadata
from chinacomply.aigc.label import ImplicitLabel

ON = dt.date(2026, 3, 1)
GOOD = ImplicitLabel.first_write("001191440300708461136T1XGW3", "img-1")


def _carried(*values: str) -> Metadata:
    return Metadata(labels=tuple(Carried(f"carrier {i}", v) for i, v in enumerate(values)))


def _codes(metadata: Metadata, fmt: str = "png", on: dt.date = ON) -> dict[str, str]:
    implicit = check.implicit_state(metadata)
    explicit, _ = check.explicit_state(fmt, metadata)
    worst: dict[str, str] = {}  # findings come most serious first
    for f in check.findings_for(fmt, implicit, explicit, None, None, on):
        worst.setdefault(f.code, f.severity)
    return worst


def test_a_valid_label_leaves_only_the_explicit_question() -> None:
    assert _codes(_carried(GOOD.to_json())) == {"explicit.unknown": "info"}


def test_a_missing_label_is_an_error_citing_lbl25_art5() -> None:
    implicit = check.implicit_state(Metadata())
    findings = check.findings_for("png", implicit, "unknown", None, None, ON)
    missing = next(f for f in findings if f.code == "implicit.missing")
    assert (missing.severity, missing.citation.to_dict()) == (  # type: ignore[union-attr]
        "error",
        {"instrument": "LBL25", "article": "5"},
    )


def test_two_labels_break_the_one_label_rule() -> None:
    assert _codes(_carried(GOOD.to_json(), GOOD.to_json()))["implicit.multiple"] == "error"


def test_unreadable_and_incomplete_labels_are_errors() -> None:
    assert _codes(_carried("{broken"))["implicit.invalid"] == "error"
    empty = ImplicitLabel("1", "001191440300708461136T1XGW3", "")
    assert _codes(_carried(empty.to_json()))["implicit.field"] == "error"


def test_before_the_measures_apply_findings_are_information() -> None:
    codes = _codes(Metadata(), on=dt.date(2025, 8, 31))
    assert codes["implicit.missing"] == "info"
    assert _codes(Metadata(), on=dt.date(2025, 9, 1))["implicit.missing"] == "error"


def test_text_without_an_explicit_label_is_a_warning_and_with_one_is_fine() -> None:
    assert _codes(_carried(GOOD.to_json()), "text")["explicit.missing"] == "warning"
    labelled = Metadata(labels=(Carried("front matter", GOOD.to_json()),), explicit="AI生成")
    assert _codes(labelled, "text") == {}


def test_an_invalid_or_disagreeing_manifest_is_a_warning() -> None:
    implicit = check.implicit_state(_carried(GOOD.to_json()))
    c2pa = {"state": "invalid", "codes": ["assertion.dataHash.mismatch"]}
    found = check.findings_for("png", implicit, "present", c2pa, False, ON)
    assert {f.code for f in found} == {"c2pa.invalid", "c2pa.disagrees"}
    assert "assertion.dataHash.mismatch" in found[0].message + found[1].message


@pytest.mark.parametrize(
    ("metadata", "user_declared", "case", "label", "article"),
    [
        (_carried(GOOD.to_json()), False, "declared", "1", "6(1)"),
        (_carried(GOOD.to_json()), True, "declared", "1", "6(1)"),
        (Metadata(), True, "user_declared", "2", "6(2)"),
        (
            Metadata(traces=("IPTC DigitalSourceType trainedAlgorithmicMedia",)),
            False,
            "suspected",
            "3",
            "6(3)",
        ),
        (Metadata(explicit="visible label 'AI生成'"), False, "suspected", "3", "6(3)"),
        (Metadata(), False, "undeclared", None, "6(4)"),
        (_carried("{broken"), False, "undeclared", None, "6(4)"),
    ],
)
def test_platform_action_follows_lbl25_art6(
    metadata: Metadata, user_declared: bool, case: str, label: str | None, article: str
) -> None:
    implicit = check.implicit_state(metadata)
    explicit, _ = check.explicit_state("png", metadata)
    action = check.platform_action(implicit, metadata.traces, explicit, user_declared)
    assert (action.case, action.label, action.citation.article) == (case, label, article)
    assert (action.notice is None) == (label is None)


def test_an_upstream_may_be_label_keeps_its_value_for_the_platform() -> None:
    maybe = ImplicitLabel(
        "2", "001191440300708461136T1XGW3", "x", "", "001191440300708461136T1XGW3", "x"
    )
    implicit = check.implicit_state(_carried(maybe.to_json()))
    action = check.platform_action(implicit, (), "unknown", False)
    assert (action.case, action.label) == ("declared", "2")
    assert "may be" in (action.notice or "")


def test_a_c2pa_ai_claim_is_a_trace() -> None:
    traces = check.traces_of(Metadata(), {"state": "valid", "ai_generated": True})
    assert traces == ("C2PA manifest declares AI generation",)


def test_a_manifest_store_alone_is_not_a_trace_of_ai() -> None:
    camera = Metadata(traces=("C2PA manifest store (caBX chunk)",))
    assert check.traces_of(camera, {"state": "valid", "ai_generated": False}) == ()
    implicit = check.implicit_state(camera)
    action = check.platform_action(implicit, check.traces_of(camera, None), "unknown", False)
    assert action.case == "undeclared"
