"""台湾居民来往大陆通行证 and 大陆居民往来台湾通行证 numbers; context required in free text."""

from __future__ import annotations

import re
import time

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from chinacomply.scan.recognizer import Validity
from chinacomply.scan.recognizers.taiwan_permit import RECOGNIZER

# value, normalized
PLAUSIBLE = [
    ("12345678", "12345678"),  # 台胞证, card form
    ("01234567", "01234567"),
    ("1234567890", "12345678"),  # older booklet form: lifetime number + issue count
    ("1234567890(B)", "12345678"),  # issuing-office letter
    ("1234567890（C）", "12345678"),  # full-width brackets
    ("1234567801(3)", "12345678"),  # issuing-office digit: same holder, first issue
    ("1234567802（7）", "12345678"),
    ("0000000102", "00000001"),  # lifetime number 00000001, second issue
    ("T12345678", "T12345678"),  # 大陆居民往来台湾通行证
    ("L12345678", "L12345678"),
    (" 87654321 ", "87654321"),
]

SHAPE_ONLY = [
    "00000000",  # placeholder
    "0000000000(B)",
    "0000000012",  # lifetime number 00000000: a placeholder whatever the issue count
    "0000000001(3)",
    "T00000000",
]

NO_MATCH = [
    "1234567",  # too short
    "123456789",  # 9 digits: neither form
    "12345678901",
    "1234567890(b)",
    "1234567890(BB)",
    "1234567890(12)",  # one office character only
    "1234567890(3",
    "1234567890(-)",
    "12345678(B)",  # the bracketed code belongs to the 10-digit form
    "12345678(3)",
    "A12345678",
    "T1234567",
    "t12345678",
    "",
]


@pytest.mark.parametrize(("value", "normalized"), PLAUSIBLE)
def test_plausible(value: str, normalized: str) -> None:
    assert RECOGNIZER.check(value) == Validity.PLAUSIBLE
    assert RECOGNIZER.normalize(value) == normalized
    masked = RECOGNIZER.mask(value)
    assert "*" in masked
    assert normalized not in masked


def test_old_and_new_permit_of_one_holder_count_once() -> None:
    keys = {RECOGNIZER.normalize(v) for v in ("12345678", "1234567801(B)", "1234567803（3）")}
    assert keys == {"12345678"}
    assert RECOGNIZER.mask("1234567890(B)") == "12****78"


def test_eight_digits_are_too_generic_without_context() -> None:
    assert RECOGNIZER.needs_context
    assert {"台胞证", "台湾通行证"} <= set(RECOGNIZER.context)
    assert {"订单", "日期"} <= set(RECOGNIZER.negative)


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
        ("台胞证号码12345678，签注有效", ["12345678"]),
        ("旧版台胞证1234567890(B)已换发", ["1234567890(B)"]),
        ("台胞证号1234567801(3)", ["1234567801(3)"]),
        ("往来台湾通行证L12345678。", ["L12345678"]),
        ("流水号123456789", []),  # inside a longer digit run
        ("SN12345678", []),  # inside a letter-digit run
        ("编号12345678X", []),
    ],
)
def test_text_pattern(text: str, found: list[str]) -> None:
    assert [m.group() for m in re.finditer(RECOGNIZER.text_pattern, text)] == found


def test_cell_pattern_runs_in_re2() -> None:
    values = [v for v, _ in PLAUSIBLE] + SHAPE_ONLY + NO_MATCH
    expected = [bool(RECOGNIZER.cell_regex.match(v)) for v in values]
    got = pc.match_substring_regex(pa.array(values), RECOGNIZER.cell_pattern).to_pylist()
    assert got == expected
    assert all(got[: len(PLAUSIBLE) + len(SHAPE_ONLY)])


@pytest.mark.parametrize(
    "hostile", ["1" * 200_000, "1234567890(" * 18_000, "T1" * 100_000, "12345678 " * 22_000]
)
def test_hostile_input_is_linear(hostile: str) -> None:
    start = time.perf_counter()
    list(re.finditer(RECOGNIZER.text_pattern, hostile))
    assert time.perf_counter() - start < 2
