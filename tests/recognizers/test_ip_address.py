"""IPv4 and IPv6 addresses, validated by the stdlib ipaddress module."""

from __future__ import annotations

import re
import time

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from chinacomply.scan.recognizer import Recognizer, Validity
from chinacomply.scan.recognizers.ip_address import IPV4, IPV6, RECOGNIZERS


def check(value: str) -> Validity:
    """The best validity any of the module's recognizers gives a whole cell."""
    return max(rec.check(value) for rec in RECOGNIZERS)


# value, normalized, the recognizer that matches it
VALID = [
    ("192.168.1.100", "192.168.1.100", IPV4),
    ("8.8.8.8", "8.8.8.8", IPV4),
    ("223.5.5.5", "223.5.5.5", IPV4),
    ("10.0.0.1", "10.0.0.1", IPV4),
    ("100.64.0.1", "100.64.0.1", IPV4),
    (" 114.114.114.114 ", "114.114.114.114", IPV4),
    ("2001:db8::1", "2001:db8::1", IPV6),
    ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1", IPV6),
    ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", IPV6),
    ("2408:8207:1851:6f0:a1b2:c3d4:e5f6:789", "2408:8207:1851:6f0:a1b2:c3d4:e5f6:789", IPV6),
    ("fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a", IPV6),
    ("2001:db8::", "2001:db8::", IPV6),
    ("::ffff:192.168.1.1", "192.168.1.1", IPV6),  # IPv4-mapped: the IPv4 host
    ("2001:db8::192.0.2.33", "2001:db8::c000:221", IPV6),
]

# Addresses that identify nobody.
PLAUSIBLE = [
    ("127.0.0.1", IPV4),
    ("0.0.0.0", IPV4),
    ("255.255.255.255", IPV4),
    ("224.0.0.1", IPV4),
    ("::1", IPV6),
    ("ff02::1", IPV6),
]

SHAPE_ONLY = [
    ("1:2:3:4:5:6:7::1:2", IPV6),  # too many groups around "::"
    ("1:2:3:4:5:6::1:2:3:4", IPV6),
    ("1::2:3:4:5:6:7:8", IPV6),  # "::" must stand for at least one group
    ("1:2:3:4:5:6:7::1.2.3.4", IPV6),
]

NO_MATCH = [
    "256.1.1.1",
    "1.2.3",
    "1.2.3.4.5",
    "01.2.3.4",  # leading zero
    "1.2.3.04",
    "1..2.3",
    "::",  # the unspecified address alone is not reported
    "1:2:3:4:5:6:7",
    "1:2:3:4:5:6:7:8:9",
    "12345::1",
    "2001:db8:::1",
    "2001:db8::1::2",  # two "::"
    "1:2:3:4:5:6:7:8::",
    "::1:2:3:4:5:6:7:8",
    "g::1",
    "v1.2.3.4",
    "",
]


@pytest.mark.parametrize(("value", "normalized", "rec"), VALID)
def test_valid(value: str, normalized: str, rec: Recognizer) -> None:
    assert rec.check(value) == Validity.VALID
    assert rec.normalize(value) == normalized
    masked = rec.mask(value)
    assert "*" in masked
    assert normalized not in masked
    assert value.strip() not in masked


def test_shared_normalize_and_mask() -> None:
    # Either recognizer normalizes any address: a registry lookup by type finds IPv4 first.
    assert IPV4.normalize("2001:DB8::1") == "2001:db8::1"
    assert IPV6.normalize("::ffff:10.1.2.3") == IPV4.normalize("10.1.2.3")
    assert IPV4.mask("192.168.1.100") == "192.168.*.*"
    assert IPV4.mask("2001:db8::1") == "2001:db8:*"


@pytest.mark.parametrize(("value", "rec"), PLAUSIBLE)
def test_special_purpose_addresses_are_plausible(value: str, rec: Recognizer) -> None:
    assert rec.check(value) == Validity.PLAUSIBLE


@pytest.mark.parametrize(("value", "rec"), SHAPE_ONLY)
def test_shape_but_invalid(value: str, rec: Recognizer) -> None:
    assert rec.cell_regex.match(value)
    assert rec.check(value) == Validity.INVALID


@pytest.mark.parametrize("value", NO_MATCH)
def test_no_match(value: str) -> None:
    for rec in RECOGNIZERS:
        assert not rec.cell_regex.match(value)
    assert check(value) == Validity.INVALID


def find_all(text: str) -> list[str]:
    return [m.group() for rec in RECOGNIZERS for m in re.finditer(rec.text_pattern, text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("登录IP为192.168.1.100，请核实", ["192.168.1.100"]),
        ("IP:10.0.0.1:8080", ["10.0.0.1"]),
        ("客户端地址2408:8207:1851:6f0::1。", ["2408:8207:1851:6f0::1"]),
        ("访问来自[2001:db8::1]:443", ["2001:db8::1"]),
        ("网段10.0.0.0/8", ["10.0.0.0"]),
        ("v1.2.3.4", []),  # a version number
        ("SDK1.2.3.4", []),
        ("版本1.2.3.4.5", []),  # a longer dotted run
        ("OID 1.3.6.1.4.1.2011", []),
        ("编号11.2.3.45678", []),
        ("1:2:3:4:5:6:7:8:9", []),
    ],
)
def test_text_pattern(text: str, found: list[str]) -> None:
    assert find_all(text) == found


def test_version_numbers_get_a_negative_context_word() -> None:
    for rec in RECOGNIZERS:
        assert {"版本", "version"} <= set(rec.negative)
        assert {"ip", "ip地址"} <= set(rec.context)


@pytest.mark.parametrize("rec", RECOGNIZERS)
def test_cell_pattern_runs_in_re2(rec: Recognizer) -> None:
    values = (
        [v for v, _, _ in VALID] + [v for v, _ in PLAUSIBLE] + [v for v, _ in SHAPE_ONLY] + NO_MATCH
    )
    expected = [bool(rec.cell_regex.match(v)) for v in values]
    got = pc.match_substring_regex(pa.array(values), rec.cell_pattern).to_pylist()
    assert got == expected
    mine = [v for v, _, r in VALID if r is rec] + [v for v, r in SHAPE_ONLY if r is rec]
    assert all(pc.match_substring_regex(pa.array(mine), rec.cell_pattern).to_pylist())


@pytest.mark.parametrize("rec", RECOGNIZERS)
@pytest.mark.parametrize(
    "hostile",
    [
        "1" * 200_000,
        "1." * 100_000,
        "a:" * 100_000,
        "a::" * 70_000,
        "1:" * 100_000,
        "ffff:" * 40_000,
        "255.255." * 25_000,
        "1:2:3:4:5:6:7 " * 15_000,
        "::ffff:1.2.3" * 15_000,
    ],
)
def test_hostile_input_is_linear(rec: Recognizer, hostile: str) -> None:
    start = time.perf_counter()
    list(re.finditer(rec.text_pattern, hostile))
    assert time.perf_counter() - start < 2
