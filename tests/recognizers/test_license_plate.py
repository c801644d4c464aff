"""Mainland vehicle plates (GA 36): province, authority letter, serial kinds; embassy plates."""

from __future__ import annotations

import re
import time

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from chinacomply.scan.recognizer import Recognizer, Validity
from chinacomply.scan.recognizers.license_plate import (
    EMBASSY_PLATE,
    PROVINCES,
    RECOGNIZER,
    RECOGNIZERS,
)
from chinacomply.scan.text import find_spans

# value, normalized: ordinary, new-energy and suffix plates (RECOGNIZER)
VALID = [
    ("京A12345", "京A12345"),
    ("京A·12345", "京A12345"),
    ("沪B•8888Z", "沪B8888Z"),
    ("粤B 12345", "粤B12345"),
    ("川A-1A2B3", "川A1A2B3"),  # two letters in the serial
    ("苏E88M88", "苏E88M88"),
    ("沪AD12345", "沪AD12345"),  # small new-energy, pure electric
    ("粤BF12345", "粤BF12345"),  # small new-energy, other
    ("浙ADA1234", "浙ADA1234"),  # letter in the second position
    ("京AK12345", "京AK12345"),  # later small new-energy letters
    ("京A12345D", "京A12345D"),  # large new-energy
    ("鲁B12345F", "鲁B12345F"),
    ("京A12345A", "京A12345A"),  # large new-energy, later pure-electric letters
    ("粤B12345E", "粤B12345E"),
    ("沪A·12345K", "沪A12345K"),  # large new-energy, later other-new-energy letters
    ("苏E12345G", "苏E12345G"),
    ("冀B1234挂", "冀B1234挂"),
    ("京A1234学", "京A1234学"),
    ("京AAB12学", "京AAB12学"),  # suffix plates follow the ordinary two-letter rule
    ("京A1234警", "京A1234警"),
    ("粤Z1234港", "粤Z1234港"),
    ("粤Z·A123澳", "粤ZA123澳"),
    ("沪A1234领", "沪A1234领"),
    ("  琼A12345 ", "琼A12345"),
]

# value, normalized: embassy plates, 使 + country code + serial (EMBASSY_PLATE)
EMBASSY_VALID = [
    ("使224-009", "使224009"),
    ("使224009", "使224009"),
    ("使101·001", "使101001"),
    ("使310 123", "使310123"),
    (" 使224009 ", "使224009"),
]

SHAPE_ONLY = [
    "京AABCDE",  # five letters in an ordinary serial
    "京A1ABC2",  # three letters
    "京AABC1学",  # three letters before the suffix
    "京Z1234港",  # 港 plates are issued under 粤Z only
    "沪A1234澳",
]

EMBASSY_SHAPE_ONLY = [
    "使000000",  # placeholder
    "使000-000",
]

NO_MATCH = [
    "京A1234",  # serial too short
    "京A123456",  # six digits: neither new-energy form
    "京AD1234D",
    "浙AD1A234",  # small new-energy: the last four must be digits
    "京AI2345",  # I and O are never serial letters
    "京AO2345",
    "京I12345",  # nor authority letters
    "京112345",
    "港A12345",  # not a province abbreviation
    "京a12345",
    "A12345",
    "京A12345挂",  # the suffix replaces the last character
    "京A12345L",  # large new-energy: L is no type letter
    "京A12345I",
    "京A12345Z",
    "京A1234使",  # 使 is no suffix: embassy plates have no province
    "京A12345使",
    "使京A12345",
    "使22400",  # embassy: 3 + 3 digits
    "使2240099",
    "使22-4009",  # the separator sits between the two groups
    "使224--009",
    "使A24009",
    "京使224009",
    "京A·12345·",
    "",
]


def test_province_list_has_31_entries() -> None:
    assert len(PROVINCES) == len(set(PROVINCES)) == 31


@pytest.mark.parametrize(
    ("rec", "value", "normalized"),
    [(RECOGNIZER, v, n) for v, n in VALID] + [(EMBASSY_PLATE, v, n) for v, n in EMBASSY_VALID],
)
def test_valid(rec: Recognizer, value: str, normalized: str) -> None:
    assert rec.check(value) == Validity.VALID
    assert rec.normalize(value) == normalized
    masked = rec.mask(value)
    assert "*" in masked
    assert normalized not in masked
    assert value.strip() not in masked
    # One plate, one form: the other recognizer's shape does not fit.
    assert all(other.check(value) == Validity.INVALID for other in RECOGNIZERS if other is not rec)


def test_normalize_and_mask() -> None:
    assert RECOGNIZER.normalize("京a·12345") == "京A12345"
    assert RECOGNIZER.mask("京A·12345") == "京A***45"
    assert EMBASSY_PLATE.mask("使224-009") == "使2***09"


def test_context_rules() -> None:
    assert not RECOGNIZER.needs_context
    assert EMBASSY_PLATE.needs_context  # 使 + six digits is also prose: 即使100000元
    assert {"车牌", "使馆"} <= set(EMBASSY_PLATE.context)
    assert all(rec.type == "license_plate" for rec in RECOGNIZERS)
    assert "使" not in RECOGNIZER.shape


@pytest.mark.parametrize(
    ("rec", "value"),
    [(RECOGNIZER, v) for v in SHAPE_ONLY] + [(EMBASSY_PLATE, v) for v in EMBASSY_SHAPE_ONLY],
)
def test_shape_but_invalid(rec: Recognizer, value: str) -> None:
    assert rec.cell_regex.match(value)
    assert rec.check(value) == Validity.INVALID


@pytest.mark.parametrize("value", NO_MATCH)
def test_no_match(value: str) -> None:
    for rec in RECOGNIZERS:
        assert not rec.cell_regex.match(value)
        assert rec.check(value) == Validity.INVALID


@pytest.mark.parametrize(
    ("rec", "text", "found"),
    [
        (RECOGNIZER, "车牌号京A12345已登记", ["京A12345"]),
        (RECOGNIZER, "车辆沪AD12345于8点驶入停车场", ["沪AD12345"]),
        (RECOGNIZER, "大巴京A12345A进站", ["京A12345A"]),
        (RECOGNIZER, "plate:粤B·12345.", ["粤B·12345"]),
        (RECOGNIZER, "No.京A12345", ["京A12345"]),  # no left boundary: starts with a Chinese char
        (RECOGNIZER, "教练车京A1234学员", ["京A1234学"]),
        (RECOGNIZER, "领馆车沪A1234领，使馆车使224-009", ["沪A1234领"]),
        (RECOGNIZER, "车牌号京A123456", []),  # inside a longer alphanumeric run
        (RECOGNIZER, "车牌号京A12345X", []),
        (RECOGNIZER, "京A1234", []),
        (EMBASSY_PLATE, "使馆车使224-009驶入", ["使224-009"]),
        (EMBASSY_PLATE, "车牌号：使224009。", ["使224009"]),
        (EMBASSY_PLATE, "使2240091", []),  # inside a longer digit run
        (EMBASSY_PLATE, "使224-0091", []),
        (EMBASSY_PLATE, "京A1234使", []),
    ],
)
def test_text_pattern(rec: Recognizer, text: str, found: list[str]) -> None:
    assert [m.group() for m in re.finditer(rec.text_pattern, text)] == found


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("使馆车辆使224-009进入", [("license_plate", "使224-009")]),
        ("即使100000元也不够", []),  # the embassy shape, but prose: no context word
        ("新能源大巴京A12345K", [("license_plate", "京A12345K")]),
    ],
)
def test_free_text_scan(sentence: str, expected: list[tuple[str, str]]) -> None:
    spans = find_spans(sentence, lexical=False)
    assert [(s.type, sentence[s.start : s.end]) for s in spans] == expected


@pytest.mark.parametrize("rec", RECOGNIZERS)
def test_cell_pattern_runs_in_re2(rec: Recognizer) -> None:
    values = [v for v, _ in VALID + EMBASSY_VALID] + SHAPE_ONLY + EMBASSY_SHAPE_ONLY + NO_MATCH
    expected = [bool(rec.cell_regex.match(v)) for v in values]
    got = pc.match_substring_regex(pa.array(values), rec.cell_pattern).to_pylist()
    assert got == expected
    mine = (
        [v for v, _ in VALID] + SHAPE_ONLY
        if rec is RECOGNIZER
        else [v for v, _ in EMBASSY_VALID] + EMBASSY_SHAPE_ONLY
    )
    assert all(pc.match_substring_regex(pa.array(mine), rec.cell_pattern).to_pylist())


@pytest.mark.parametrize("rec", RECOGNIZERS)
@pytest.mark.parametrize(
    "hostile",
    [
        "1" * 200_000,
        "京A" * 100_000,
        "京A1234" * 30_000,
        "京" * 200_000,
        "A" * 200_000,
        "使" * 200_000,
        "使224-" * 40_000,
    ],
)
def test_hostile_input_is_linear(rec: Recognizer, hostile: str) -> None:
    start = time.perf_counter()
    list(re.finditer(rec.text_pattern, hostile))
    assert time.perf_counter() - start < 2
