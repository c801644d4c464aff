"""往来港澳通行证 and 港澳居民来往内地通行证 numbers; context required in free text."""

from __future__ import annotations

import re
import time

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from chinacomply.scan.recognizer import Validity
from chinacomply.scan.recognizers.hk_macau_permit import RECOGNIZER

# value, normalized
PLAUSIBLE = [
    ("C12345678", "C12345678"),  # 往来港澳通行证, card
    ("CA1234567", "CA1234567"),  # later letter series
    ("CZ7654321", "CZ7654321"),
    ("H12345678", "H12345678"),  # Home Return Permit, Hong Kong resident
    ("M12345678", "M12345678"),  # Macao resident
    ("H1234567801", "H12345678"),  # with the re-issue count: same holder
    ("M8765432102", "M87654321"),
    ("  C12345678", "C12345678"),
]

SHAPE_ONLY = [
    "C00000000",  # placeholder serial
    "H00000000",
    "H0000000003",
]

NO_MATCH = [
    "C1234567",  # too short
    "C123456789",  # too long
    "CI1234567",  # I is never a series letter
    "CO1234567",
    "H123456789",  # 9 digits: neither form
    "H123456789012",
    "W12345678",
    "c12345678",
    "E12345678",  # a passport
    "",
]


@pytest.mark.parametrize(("value", "normalized"), PLAUSIBLE)
def test_plausible(value: str, normalized: str) -> None:
    assert RECOGNIZER.check(value) == Validity.PLAUSIBLE
    assert RECOGNIZER.normalize(value) == normalized
    masked = RECOGNIZER.mask(value)
    assert "*" in masked
    assert normalized not in masked
    assert value.strip() not in masked


def test_needs_context() -> None:
    assert RECOGNIZER.needs_context
    assert {"港澳通行证", "通行证", "回乡证", "permit"} <= set(RECOGNIZER.context)


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
        ("港澳通行证号码C12345678，请核对", ["C12345678"]),
        ("回乡证H1234567801已过期", ["H1234567801"]),
        ("Home Return Permit: M12345678.", ["M12345678"]),
        ("货号AC12345678", []),  # inside a longer letter run
        ("C1234567890", []),  # inside a longer digit run
        ("H123456789", []),
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


@pytest.mark.parametrize("hostile", ["1" * 200_000, "H" * 200_000, "C1" * 100_000, "H12" * 70_000])
def test_hostile_input_is_linear(hostile: str) -> None:
    start = time.perf_counter()
    list(re.finditer(RECOGNIZER.text_pattern, hostile))
    assert time.perf_counter() - start < 2
