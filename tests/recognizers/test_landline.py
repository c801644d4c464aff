"""Mainland fixed-line numbers: area-code and local-number lengths, written forms, masking."""

from __future__ import annotations

import re
import time

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from chinacomply.scan.recognizer import Validity
from chinacomply.scan.recognizers.landline import RECOGNIZER

# value, normalized
VALID = [
    ("010-62345678", "01062345678"),
    ("01062345678", "01062345678"),
    ("(010)62345678", "01062345678"),
    ("（010）6234 5678", "01062345678"),
    ("021 6234-5678", "02162345678"),
    ("020-88888888", "02088888888"),
    ("0755-88888888", "075588888888"),
    ("0755 8888 8888", "075588888888"),
    ("0571-8888888", "05718888888"),
    ("07318888888", "07318888888"),
    ("+86 10 62345678", "01062345678"),
    ("+86-755-88888888", "075588888888"),
    ("0086 21 62345678", "02162345678"),
    ("010-62345678-123", "01062345678"),
    ("010-62345678转123", "01062345678"),
    ("0755-88888888 分机 21", "075588888888"),
    ("0571-88888888 ext. 12", "057188888888"),
    ("  0991-5555555  ", "09915555555"),
]

# The numbering rules reject these. The shape already encodes the rules, so `validate` is
# checked on its own: it must hold when called without the shape (a value from another source).
BAD_STRUCTURE = [
    "010-12345678",  # local number starts with 1 (special services)
    "0755-0888888",  # local number starts with 0 (trunk prefix)
    "021-2345678",  # two-digit area codes take eight-digit local numbers
    "+86 10 1234567",
]

NO_MATCH = [
    "62345678",  # no area code
    "13812345678",  # mobile number
    "010-623456",  # too short
    "010-623456789",  # too long
    "0101-62345678",  # 01X is not a four-digit area code
    "0255-88888888",  # 02X codes are three digits long
    "(010-62345678",  # unbalanced bracket
    "+86 010 62345678",  # trunk 0 after the country code
    "010—62345678",  # em dash
    "010-62345678 x",
    "",
]


@pytest.mark.parametrize(("value", "normalized"), VALID)
def test_valid(value: str, normalized: str) -> None:
    assert RECOGNIZER.check(value) == Validity.VALID
    assert RECOGNIZER.normalize(value.strip()) == normalized
    masked = RECOGNIZER.mask(value.strip())
    assert "*" in masked
    assert masked not in (value, normalized)
    assert normalized not in masked


def test_mask_keeps_area_code_and_tail() -> None:
    assert RECOGNIZER.mask("0755-88889999") == "0755******99"
    assert RECOGNIZER.mask("010-62345678") == "010******78"


@pytest.mark.parametrize("value", BAD_STRUCTURE)
def test_validate_rejects_bad_structure(value: str) -> None:
    assert RECOGNIZER.validate(value) == Validity.INVALID
    assert RECOGNIZER.check(value) == Validity.INVALID


@pytest.mark.parametrize("value", NO_MATCH)
def test_no_match(value: str) -> None:
    assert not RECOGNIZER.cell_regex.match(value)
    assert RECOGNIZER.check(value) == Validity.INVALID


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("请致电010-62345678联系我们", ["010-62345678"]),
        ("传真：0755-88888888转21。", ["0755-88888888转21"]),
        ("办公电话(021)62345678，手机另附", ["(021)62345678"]),
        ("Tel: +86 10 62345678.", ["+86 10 62345678"]),
        ("编号9010-62345678", []),  # inside a longer digit run
        ("编号010-623456789", []),
        ("SN0755-88888888", []),
        ("订单07558888888812", []),
    ],
)
def test_text_pattern(text: str, found: list[str]) -> None:
    assert [m.group() for m in re.finditer(RECOGNIZER.text_pattern, text)] == found


def test_cell_pattern_runs_in_re2() -> None:
    values = [v for v, _ in VALID] + BAD_STRUCTURE + NO_MATCH
    expected = [bool(RECOGNIZER.cell_regex.match(v)) for v in values]
    got = pc.match_substring_regex(pa.array(values), RECOGNIZER.cell_pattern).to_pylist()
    assert got == expected
    assert all(got[: len(VALID)])


@pytest.mark.parametrize(
    "hostile", ["1" * 200_000, "0" * 200_000, "010-" * 50_000, "0755 8" * 40_000, "(010)" * 40_000]
)
def test_hostile_input_is_linear(hostile: str) -> None:
    start = time.perf_counter()
    list(re.finditer(RECOGNIZER.text_pattern, hostile))
    assert time.perf_counter() - start < 2


def test_context_words() -> None:
    assert {"座机", "固定电话", "tel"} <= set(RECOGNIZER.context)
    assert "订单" in RECOGNIZER.negative
