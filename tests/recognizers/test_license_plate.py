"""Mainland vehicle plates (GA 36): province, authority letter, serial kinds and suffixes."""

from __future__ import annotations

import re
import time

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from chinacomply.scan.recognizer import Validity
from chinacomply.scan.recognizers.license_plate import PROVINCES, RECOGNIZER

# value, normalized
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
    ("冀B1234挂", "冀B1234挂"),
    ("京A1234学", "京A1234学"),
    ("京AAB12学", "京AAB12学"),  # suffix plates follow the ordinary two-letter rule
    ("京A1234警", "京A1234警"),
    ("粤Z1234港", "粤Z1234港"),
    ("粤Z·A123澳", "粤ZA123澳"),
    ("沪A1234领", "沪A1234领"),
    ("京A1234使", "京A1234使"),
    ("  琼A12345 ", "琼A12345"),
]

SHAPE_ONLY = [
    "京AABCDE",  # five letters in an ordinary serial
    "京A1ABC2",  # three letters
    "京AABC1学",  # three letters before the suffix
    "京Z1234港",  # 港 plates are issued under 粤Z only
    "沪A1234澳",
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
    "京A·12345·",
    "",
]


def test_province_list_has_31_entries() -> None:
    assert len(PROVINCES) == len(set(PROVINCES)) == 31


@pytest.mark.parametrize(("value", "normalized"), VALID)
def test_valid(value: str, normalized: str) -> None:
    assert RECOGNIZER.check(value) == Validity.VALID
    assert RECOGNIZER.normalize(value) == normalized
    masked = RECOGNIZER.mask(value)
    assert "*" in masked
    assert normalized not in masked
    assert value.strip() not in masked


def test_normalize_and_mask() -> None:
    assert RECOGNIZER.normalize("京a·12345") == "京A12345"
    assert RECOGNIZER.mask("京A·12345") == "京A***45"


@pytest.mark.parametrize("value", SHAPE_ONLY)
def test_shape_but_invalid(value: str) -> None:
    assert RECOGNIZER.cell_regex.match(value)
    assert RECOGNIZER.check(value) == Validity.INVALID


@pytest.mark.parametrize("value", NO_MATCH)
def test_no_match(value: str) -> None:
    assert not RECOGNIZER.cell_regex.match(value)
    assert RECOGNIZER.check(value) == Validity.INVALID


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("车牌号京A12345已登记", ["京A12345"]),
        ("车辆沪AD12345于8点驶入停车场", ["沪AD12345"]),
        ("plate:粤B·12345.", ["粤B·12345"]),
        ("No.京A12345", ["京A12345"]),  # no left boundary: the match starts with a Chinese char
        ("教练车京A1234学员", ["京A1234学"]),
        ("车牌号京A123456", []),  # inside a longer alphanumeric run
        ("车牌号京A12345X", []),
        ("京A1234", []),
    ],
)
def test_text_pattern(text: str, found: list[str]) -> None:
    assert [m.group() for m in re.finditer(RECOGNIZER.text_pattern, text)] == found


def test_cell_pattern_runs_in_re2() -> None:
    values = [v for v, _ in VALID] + SHAPE_ONLY + NO_MATCH
    expected = [bool(RECOGNIZER.cell_regex.match(v)) for v in values]
    got = pc.match_substring_regex(pa.array(values), RECOGNIZER.cell_pattern).to_pylist()
    assert got == expected
    assert all(got[: len(VALID) + len(SHAPE_ONLY)])


@pytest.mark.parametrize(
    "hostile", ["1" * 200_000, "京A" * 100_000, "京A1234" * 30_000, "京" * 200_000, "A" * 200_000]
)
def test_hostile_input_is_linear(hostile: str) -> None:
    start = time.perf_counter()
    list(re.finditer(RECOGNIZER.text_pattern, hostile))
    assert time.perf_counter() - start < 2
