"""Latitude/longitude pairs: ranges, either order, mainland China's bounding box."""

from __future__ import annotations

import re
import time

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from chinacomply.scan.recognizer import Validity
from chinacomply.scan.recognizers.geo_coordinate import RECOGNIZER

# value, normalized ("lat,lng", six decimals)
VALID = [
    ("39.9042,116.4074", "39.904200,116.407400"),  # Beijing
    ("116.4074,39.9042", "39.904200,116.407400"),  # longitude first
    ("31.230416, 121.473701", "31.230416,121.473701"),  # Shanghai
    ("22.5431，114.0579", "22.543100,114.057900"),  # full-width comma
    ("30.5728 104.0668", "30.572800,104.066800"),  # space-separated
    ("39.9042°N,116.4074°E", "39.904200,116.407400"),
    ("116.4074E 39.9042N", "39.904200,116.407400"),
    ("43.8256 , 87.6168", "43.825600,87.616800"),  # Urumqi
    ("18.2528,109.5119", "18.252800,109.511900"),  # Sanya
    ("39.1234567,116.12345", "39.123457,116.123450"),  # rounded to six decimals
]

PLAUSIBLE = [
    ("40.7128,-74.0060", "40.712800,-74.006000"),  # New York
    ("-33.8688,151.2093", "-33.868800,151.209300"),  # Sydney
    ("33.8688S,151.2093E", "-33.868800,151.209300"),
    ("51.5074,-0.1278", "51.507400,-0.127800"),  # London
    # Outside China both orders can be in range: the written order is kept.
    ("-0.1278,51.5074", "-0.127800,51.507400"),
]

SHAPE_ONLY = [
    "91.0000,181.0000",  # neither order is a latitude and a longitude
    "-95.1234,-200.1234",
    "39.9042N,116.4074N",  # two latitudes
    "116.4074E,39.9042E",
    "-33.8688S,151.2093",  # a minus sign and a hemisphere letter
    "200.0000,100.0000",
]

NO_MATCH = [
    "39.9,116.4",  # too few decimals: prices, scores
    "39.904,116.407",
    "39.9042",
    "39.9042;116.4074",
    "39.9042,,116.4074",
    "1039.9042,116.4074",
    "39.9042,116.4074,50.0000",
    "北京39.9042",
    "",
]


@pytest.mark.parametrize(("value", "normalized"), VALID)
def test_valid_inside_china(value: str, normalized: str) -> None:
    assert RECOGNIZER.check(value) == Validity.VALID
    assert RECOGNIZER.normalize(value) == normalized
    masked = RECOGNIZER.mask(value)
    assert "*" in masked
    assert masked != value.strip()
    assert normalized not in masked


def test_mask_keeps_one_decimal() -> None:
    assert RECOGNIZER.mask("39.9042,116.4074") == "39.9***,116.4***"
    assert RECOGNIZER.mask("116.4074,39.9042") == "39.9***,116.4***"


@pytest.mark.parametrize(("value", "normalized"), PLAUSIBLE)
def test_plausible_outside_china(value: str, normalized: str) -> None:
    assert RECOGNIZER.check(value) == Validity.PLAUSIBLE
    assert RECOGNIZER.normalize(value) == normalized


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
        ("用户定位坐标39.9042,116.4074附近", ["39.9042,116.4074"]),
        ("经纬度：116.4074，39.9042。", ["116.4074，39.9042"]),
        ("GPS 31.230416 121.473701 已上报", ["31.230416 121.473701"]),
        ("编号1239.9042,116.4074", []),  # inside a longer digit run
        ("版本1.39.9042,116.4074", []),  # inside a longer dotted run
        ("价格39.90,116.40", []),
    ],
)
def test_text_pattern(text: str, found: list[str]) -> None:
    assert [m.group() for m in re.finditer(RECOGNIZER.text_pattern, text)] == found


def test_context_words() -> None:
    assert {"经纬度", "坐标", "定位", "gps", "latitude"} <= set(RECOGNIZER.context)
    assert {"价格", "金额"} <= set(RECOGNIZER.negative)


def test_cell_pattern_runs_in_re2() -> None:
    values = [v for v, _ in VALID] + [v for v, _ in PLAUSIBLE] + SHAPE_ONLY + NO_MATCH
    expected = [bool(RECOGNIZER.cell_regex.match(v)) for v in values]
    got = pc.match_substring_regex(pa.array(values), RECOGNIZER.cell_pattern).to_pylist()
    assert got == expected
    assert all(got[: len(VALID) + len(PLAUSIBLE) + len(SHAPE_ONLY)])


@pytest.mark.parametrize(
    "hostile",
    [
        "1" * 200_000,
        "1." * 100_000,
        "1.1111," * 30_000,
        "1.1111 " * 30_000,
        "-1.1111  " * 25_000,
        "1.11111111" * 20_000,
    ],
)
def test_hostile_input_is_linear(hostile: str) -> None:
    start = time.perf_counter()
    list(re.finditer(RECOGNIZER.text_pattern, hostile))
    assert time.perf_counter() - start < 2
