"""MAC (EUI-48) addresses in colon, dash and Cisco dotted notation."""

from __future__ import annotations

import re
import time

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from chinacomply.scan.recognizer import Validity
from chinacomply.scan.recognizers.mac_address import RECOGNIZER

# value, normalized
VALID = [
    ("00:1A:2B:3C:4D:5E", "001a2b3c4d5e"),
    ("00:1a:2b:3c:4d:5e", "001a2b3c4d5e"),
    ("00-1A-2B-3C-4D-5E", "001a2b3c4d5e"),
    ("001a.2b3c.4d5e", "001a2b3c4d5e"),
    ("001A.2B3C.4D5E", "001a2b3c4d5e"),
    ("ac:de:48:00:11:22", "acde48001122"),
    ("02:00:00:00:00:01", "020000000001"),  # locally administered: still one device
    (" F0:18:98:AB:CD:EF ", "f01898abcdef"),
]

PLAUSIBLE = [
    "01:00:5E:00:00:01",  # IPv4 multicast group
    "33:33:00:00:00:01",  # IPv6 multicast group
]

SHAPE_ONLY = [
    "00:00:00:00:00:00",
    "FF:FF:FF:FF:FF:FF",
    "ff-ff-ff-ff-ff-ff",
    "0000.0000.0000",
]

NO_MATCH = [
    "00:1A:2B:3C:4D",  # five pairs
    "00:1A:2B:3C:4D:5E:6F",  # seven pairs
    "00:1A:2B-3C:4D:5E",  # mixed separators
    "001A2B3C4D5E",  # bare hex is too generic
    "00:1G:2B:3C:4D:5E",
    "0:1A:2B:3C:4D:5E",
    "001a.2b3c.4d5",
    "001a:2b3c:4d5e",
    "",
]


@pytest.mark.parametrize(("value", "normalized"), VALID)
def test_valid(value: str, normalized: str) -> None:
    assert RECOGNIZER.check(value) == Validity.VALID
    assert RECOGNIZER.normalize(value) == normalized
    masked = RECOGNIZER.mask(value)
    assert "*" in masked
    assert normalized not in masked
    assert value.strip() not in masked


def test_mask() -> None:
    assert RECOGNIZER.mask("00:1A:2B:3C:4D:5E") == "001a******5e"


@pytest.mark.parametrize("value", PLAUSIBLE)
def test_group_addresses_are_plausible(value: str) -> None:
    assert RECOGNIZER.check(value) == Validity.PLAUSIBLE


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
        ("MAC地址为00:1A:2B:3C:4D:5E的设备已上线", ["00:1A:2B:3C:4D:5E"]),
        ("mac=ac-de-48-00-11-22，", ["ac-de-48-00-11-22"]),
        ("interface 001a.2b3c.4d5e up", ["001a.2b3c.4d5e"]),
        ("MAC:00:1A:2B:3C:4D:5E", ["00:1A:2B:3C:4D:5E"]),  # ':' before is allowed...
        # ...so a longer colon run (EUI-64, WWN) yields its last six pairs, never its head.
        ("EUI-64 00:1A:2B:3C:4D:5E:6F:70", ["2B:3C:4D:5E:6F:70"]),
        ("ID900:1A:2B:3C:4D:5E", []),  # inside a longer alphanumeric run
        ("00:1A:2B:3C:4D:5EF", []),
    ],
)
def test_text_pattern(text: str, found: list[str]) -> None:
    assert [m.group() for m in re.finditer(RECOGNIZER.text_pattern, text)] == found


def test_cell_pattern_runs_in_re2() -> None:
    values = [v for v, _ in VALID] + PLAUSIBLE + SHAPE_ONLY + NO_MATCH
    expected = [bool(RECOGNIZER.cell_regex.match(v)) for v in values]
    got = pc.match_substring_regex(pa.array(values), RECOGNIZER.cell_pattern).to_pylist()
    assert got == expected
    assert all(got[: len(VALID) + len(PLAUSIBLE) + len(SHAPE_ONLY)])


@pytest.mark.parametrize(
    "hostile",
    [
        "a:" * 100_000,
        "aa:" * 70_000,
        "aa-" * 70_000,
        "aaaa." * 40_000,
        "f" * 200_000,
        "1" * 200_000,
    ],
)
def test_hostile_input_is_linear(hostile: str) -> None:
    start = time.perf_counter()
    list(re.finditer(RECOGNIZER.text_pattern, hostile))
    assert time.perf_counter() - start < 2
