"""PRC passport numbers: series letters and serial lengths; context required in free text."""

from __future__ import annotations

import re
import time

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from chinacomply.scan.recognizer import Validity
from chinacomply.scan.recognizers.passport import RECOGNIZER

# value, normalized
PLAUSIBLE = [
    ("E12345678", "E12345678"),  # ordinary e-passport
    ("EA1234567", "EA1234567"),  # e-passport, letter series
    ("EH9876543", "EH9876543"),
    ("G12345678", "G12345678"),  # older ordinary passport
    ("141234567", "141234567"),  # oldest ordinary passport: 14 or 15 + 7 digits
    ("159876543", "159876543"),
    (" 140000001 ", "140000001"),
    ("D1234567", "D1234567"),  # diplomatic
    ("D12345678", "D12345678"),
    ("S1234567", "S1234567"),  # service
    ("S12345678", "S12345678"),
    ("P1234567", "P1234567"),  # public-affairs ordinary
    ("DE1234567", "DE1234567"),
    ("SE1234567", "SE1234567"),
    ("PE1234567", "PE1234567"),
    (" E12345678 ", "E12345678"),
]

SHAPE_ONLY = [
    "E00000000",  # placeholder serial
    "G00000000",
    "DE0000000",
    "140000000",  # 14/15 + a serial of zeros
    "150000000",
]

NO_MATCH = [
    "E1234567",  # too short
    "E123456789",  # too long
    "EI1234567",  # I is never a series letter
    "EO1234567",  # nor O
    "G1234567",
    "K12345678",  # unknown series
    "H12345678",  # a Home Return Permit, not a passport
    "e12345678",  # printed upper-case
    "E 12345678",
    "DEE123456",
    "131234567",  # 13, 16: no passport series
    "161234567",
    "14123456",  # 14/15 + 6 digits
    "1412345678",  # 14/15 + 8 digits
    "14 1234567",
    "E141234567",
    "",
]


@pytest.mark.parametrize(("value", "normalized"), PLAUSIBLE)
def test_plausible(value: str, normalized: str) -> None:
    assert RECOGNIZER.check(value) == Validity.PLAUSIBLE
    assert RECOGNIZER.normalize(value) == normalized
    masked = RECOGNIZER.mask(value)
    assert "*" in masked
    assert normalized not in masked


def test_no_check_digit_means_context_is_needed() -> None:
    assert RECOGNIZER.needs_context
    assert {"护照", "护照号", "passport"} <= set(RECOGNIZER.context)


def test_normalize_upper_cases() -> None:
    assert RECOGNIZER.normalize("e12345678") == "E12345678"
    assert RECOGNIZER.mask("E12345678") == "E1*****78"


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
        ("护照号E12345678，有效期至2030年", ["E12345678"]),
        ("passport: G12345678.", ["G12345678"]),
        ("持公务护照SE1234567出境", ["SE1234567"]),
        ("旧护照号码141234567已过期", ["141234567"]),
        ("电话0141234567", []),  # inside a longer digit run
        ("型号XE12345678", []),  # inside a longer letter run
        ("E123456789", []),  # inside a longer digit run
        ("护照号E12345678A", []),
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


@pytest.mark.parametrize("hostile", ["1" * 200_000, "E" * 200_000, "E1" * 100_000, "DE" * 100_000])
def test_hostile_input_is_linear(hostile: str) -> None:
    start = time.perf_counter()
    list(re.finditer(RECOGNIZER.text_pattern, hostile))
    assert time.perf_counter() - start < 2
