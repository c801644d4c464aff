"""The implicit label model: the seven Annex E fields, what makes a label valid, the provider code
with its embedded credit code, first-write defaults and propagation."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chinacomply.aigc import label as label_model
from chinacomply.aigc import provider
from chinacomply.aigc.label import ImplicitLabel

PRODUCER = "001191440300708461136T1XGW3"  # decoded from a real file: 00 1 1 USCC 1 XGW3
PLATFORM = "001191110102MACQD9K64028705"  # 00 1 1 91110102MACQD9K640 2 8705


def test_first_write_makes_the_producer_the_first_propagator() -> None:
    label = ImplicitLabel.first_write(PRODUCER, "img-1")
    assert label.to_dict() == {
        "Label": "1",
        "ContentProducer": PRODUCER,
        "ProduceID": "img-1",
        "ReservedCode1": "",
        "ContentPropagator": PRODUCER,
        "PropagateID": "img-1",
        "ReservedCode2": "",
    }
    assert label.problems() == []


def test_json_keeps_the_standard_field_order_and_is_pure_ascii() -> None:
    text = ImplicitLabel.first_write("某某科技有限公司", "编号-1").to_json()
    assert list(json.loads(text)) == list(label_model.FIELDS)
    assert text.isascii() and json.loads(text)["ContentProducer"] == "某某科技有限公司"


def test_the_annex_e_wrapped_form_is_read_too() -> None:
    bare = ImplicitLabel.first_write(PRODUCER, "img-1")
    assert label_model.parse(json.dumps({"AIGC": bare.to_dict()})) == bare


@pytest.mark.parametrize("field", label_model.PROPAGATION)
def test_an_empty_propagation_element_is_a_warning(field: str) -> None:
    data = ImplicitLabel.first_write(PRODUCER, "x").to_dict() | {field: ""}
    problems = label_model.parse(json.dumps(data)).problems()
    assert [(p.severity, p.field) for p in problems] == [("warning", field)]


@pytest.mark.parametrize("value", ["id with space", 'say"hi', "back\\slash", "编号"])
def test_characters_outside_annex_e_j_are_warnings_the_writer_refuses(value: str) -> None:
    label = ImplicitLabel.first_write(PRODUCER, value)
    assert [(p.severity, p.field) for p in label.problems()] == [
        ("warning", "ProduceID"),
        ("warning", "PropagateID"),
    ]
    assert len(label_model.charset_problems(label)) == 2


def test_propagation_keeps_the_producer_elements() -> None:
    passed_on = ImplicitLabel.first_write(PRODUCER, "img-1").propagated(PLATFORM, "p-9", label="1")
    assert (passed_on.content_producer, passed_on.produce_id) == (PRODUCER, "img-1")
    assert (passed_on.content_propagator, passed_on.propagate_id) == (PLATFORM, "p-9")
    assert passed_on.problems() == []


@pytest.mark.parametrize("field", label_model.REQUIRED)
def test_each_of_the_three_generator_elements_must_be_present(field: str) -> None:
    data = ImplicitLabel.first_write(PRODUCER, "x").to_dict() | {field: ""}
    problems = label_model.parse(json.dumps(data)).problems()
    assert [(p.severity, p.field) for p in problems if p.severity == "error"] == [("error", field)]


def test_reserved_fields_may_be_empty_or_missing() -> None:
    data = ImplicitLabel.first_write(PRODUCER, "x").to_dict()
    del data["ReservedCode1"], data["ReservedCode2"]
    assert label_model.parse(json.dumps(data)).problems() == []


@pytest.mark.parametrize("value", ["0", "4", "yes", "1 "])
def test_label_value_is_one_two_or_three(value: str) -> None:
    label = ImplicitLabel(value, PRODUCER, "x", "", PRODUCER, "x")
    assert any(p.field == "Label" and p.severity == "error" for p in label.problems())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "not an object"),
        ('{"Label": 1}', "not a string"),
        ('{"Label": "1", "Extra": "x"}', "unknown fields: Extra"),
    ],
)
def test_unreadable_values_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(label_model.LabelError, match=message):
        label_model.parse(text)


@pytest.mark.parametrize("bad", ["id\u202eevil", "id\x00", "id\n2", " id"])
def test_control_invisible_and_padded_values_are_errors(bad: str) -> None:
    label = ImplicitLabel.first_write(PRODUCER, bad)
    assert any(p.field == "ProduceID" and p.severity == "error" for p in label.problems())


def test_a_provider_name_is_allowed_but_flagged() -> None:
    problems = ImplicitLabel.first_write("Example-AI-Ltd", "x").problems()
    assert [(p.severity, p.field) for p in problems] == [
        ("warning", "ContentProducer"),
        ("warning", "ContentPropagator"),
    ]
    assert "name, not a TC260-PG-20252A provider code" in problems[0].message


def test_an_individual_provider_code_is_checked_by_its_id_number() -> None:
    assert provider.parse("0021" + "11010519491231002X" + "10001").valid
    broken = provider.parse("0021" + "110105194912310021" + "10001")
    assert broken.problems == (
        "embedded resident ID number (GB 11643 check digit) (positions 5-22) fails its check",
    )
    assert "110105" not in broken.problems[0], "the ID number is never echoed"


def test_provider_code_parts_are_decoded() -> None:
    code = provider.parse(PRODUCER)
    assert code.valid
    assert (code.subject_type, code.binding_type) == ("1", "1")
    assert (code.credit_code, code.service_type, code.service_code) == (
        "91440300708461136T",
        "1",
        "XGW3",
    )
    assert provider.parse(PLATFORM).service_type == "2"


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("001191440300708461136X1XGW3", "GB 32100 check character"),  # USCC check char wrong
        ("011191440300708461136T1XGW3", "format code"),
        ("003191440300708461136T1XGW3", "subject type"),
        ("001291440300708461136T1XGW3", "binding type"),
        ("001191440300708461136T7XGW3", "service type"),
        ("001191440300708461136T0XGW3", "unused"),
        ("001191440300708461136T1XGW", "26 characters"),
        ("001191440300708461136t1xgw3", "upper-case"),
    ],
)
def test_a_broken_provider_code_is_an_error_naming_the_part(code: str, problem: str) -> None:
    assert provider.looks_like_code(code)
    problems = provider.parse(code).problems
    assert any(problem in p for p in problems), problems
    assert any(
        p.severity == "error" and problem in p.message
        for p in ImplicitLabel.first_write(code, "x").problems()
    )


def test_a_propagation_code_as_producer_is_a_warning() -> None:
    problems = ImplicitLabel.first_write(PLATFORM, "x").problems()
    assert [(p.severity, p.field) for p in problems] == [("warning", "ContentProducer")]


@given(st.text(max_size=40))
def test_any_json_string_value_parses_or_is_refused_cleanly(value: str) -> None:
    data = ImplicitLabel.first_write(PRODUCER, "x").to_dict() | {"ProduceID": value}
    parsed = label_model.parse(json.dumps(data))
    assert parsed.produce_id == value
    parsed.problems()  # never raises
