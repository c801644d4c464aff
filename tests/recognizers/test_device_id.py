"""Device identifiers: IMEI (Luhn), IDFA and Android ID (context required)."""

from __future__ import annotations

import re
import time

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from chinacomply.scan.recognizer import Recognizer, Validity
from chinacomply.scan.recognizers.device_id import ANDROID_ID, IDFA, IMEI, RECOGNIZERS

# value, normalized, recognizer, validity
GOOD = [
    ("490154203237518", "490154203237518", IMEI, Validity.VALID),
    ("49-015420-323751-8", "490154203237518", IMEI, Validity.VALID),
    ("49 015420 323751 8", "490154203237518", IMEI, Validity.VALID),
    ("356938035643809", "356938035643809", IMEI, Validity.VALID),
    ("860123456789014", "860123456789014", IMEI, Validity.VALID),
    ("990001123456782", "990001123456782", IMEI, Validity.VALID),
    ("012345678912341", "012345678912341", IMEI, Validity.VALID),
    (
        "6F9619FF-8B86-D011-B42D-00C04FC964FF",
        "6F9619FF-8B86-D011-B42D-00C04FC964FF",
        IDFA,
        Validity.PLAUSIBLE,
    ),
    (
        "E621E1F8-C36C-495A-93FC-0C247A3E6E5F",
        "E621E1F8-C36C-495A-93FC-0C247A3E6E5F",
        IDFA,
        Validity.PLAUSIBLE,
    ),
    ("a1b2c3d4e5f60718", "a1b2c3d4e5f60718", ANDROID_ID, Validity.PLAUSIBLE),
    ("f0e1d2c3b4a59687", "f0e1d2c3b4a59687", ANDROID_ID, Validity.PLAUSIBLE),
    # pre-Android 8 IDs are not zero-padded: 13-15 digits, never a leading 0
    ("a1b2c3d4e5f6071", "a1b2c3d4e5f6071", ANDROID_ID, Validity.PLAUSIBLE),
    ("3e8f0a9b7c6d51", "3e8f0a9b7c6d51", ANDROID_ID, Validity.PLAUSIBLE),
    ("7fa3c9e01b24d", "7fa3c9e01b24d", ANDROID_ID, Validity.PLAUSIBLE),
    ("0a1b2c3d4e5f6071", "0a1b2c3d4e5f6071", ANDROID_ID, Validity.PLAUSIBLE),  # 16: padded
]

SHAPE_ONLY = [
    ("490154203237519", IMEI),  # Luhn digit wrong
    ("356938035643800", IMEI),
    ("000000000000000", IMEI),  # Luhn-valid placeholder
    ("00000000-0000-0000-0000-000000000000", IDFA),  # ad tracking limited
    ("9774d56d682e549c", ANDROID_ID),  # shared by many Android 2.2 devices
    ("1234567890123456", ANDROID_ID),  # decimal only: a card or account number
    ("4901542032375180", ANDROID_ID),  # 16 digits: not an IMEI either (IMEISV not matched)
    ("49015420323751", ANDROID_ID),  # 14 digits: decimal only, and not an IMEI
    ("1234567890123", ANDROID_ID),  # 13 decimal digits
    ("0a1b2c3d4e5f607", ANDROID_ID),  # a short (unpadded) ID never starts with 0
    ("07fa3c9e01b24d", ANDROID_ID),
    ("0fa3c9e01b24d", ANDROID_ID),
]

NO_MATCH = [
    "490154203237",  # 12 digits: too short for an IMEI or even an unpadded Android ID
    "49015420323751801",  # 17 digits
    "49-0154203-23751-8",  # wrong grouping
    "6f9619ff-8b86-d011-b42d-00c04fc964ff",  # IDFA is upper-case
    "6F9619FF8B86D011B42D00C04FC964FF",  # no dashes
    "6F9619FF-8B86-D011-B42D-00C04FC964F",
    "A1B2C3D4E5F60718",  # Android ID is lower-case
    "a1b2c3d4e5f6",  # 12 hex digits: too short even unpadded
    "a1b2c3d4e5f607189",
    "A1B2C3D4E5F607",  # upper-case
    "g1b2c3d4e5f60718",
    "",
]


@pytest.mark.parametrize(("value", "normalized", "rec", "validity"), GOOD)
def test_good(value: str, normalized: str, rec: Recognizer, validity: Validity) -> None:
    assert rec.check(value) == validity
    assert max(r.check(value) for r in RECOGNIZERS) == validity
    masked = rec.mask(value)
    assert "*" in masked
    assert normalized not in masked
    assert value not in masked
    # normalize and mask are shared: any device_id recognizer gives the same answer.
    for other in RECOGNIZERS:
        assert other.normalize(value) == normalized
        assert other.mask(value) == masked


def test_context_rules() -> None:
    assert not IMEI.needs_context
    assert IDFA.needs_context
    assert ANDROID_ID.needs_context
    assert {"imei", "串号", "设备号"} <= set(IMEI.context)
    assert "idfa" in IDFA.context
    assert "android id" in ANDROID_ID.context
    assert all(rec.type == "device_id" for rec in RECOGNIZERS)


@pytest.mark.parametrize(("value", "rec"), SHAPE_ONLY)
def test_shape_but_invalid(value: str, rec: Recognizer) -> None:
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
        (IMEI, "他的IMEI是 490154203237518。", ["490154203237518"]),
        (IMEI, "串号49-015420-323751-8已登记", ["49-015420-323751-8"]),
        (IMEI, "订单14901542032375189", []),  # inside a longer digit run
        (IMEI, "SN490154203237518", []),
        (
            IDFA,
            "IDFA：6F9619FF-8B86-D011-B42D-00C04FC964FF，已上报",
            ["6F9619FF-8B86-D011-B42D-00C04FC964FF"],
        ),
        (IDFA, "x-6F9619FF-8B86-D011-B42D-00C04FC964FF", []),  # part of a longer dashed run
        (ANDROID_ID, "安卓ID为a1b2c3d4e5f60718的设备", ["a1b2c3d4e5f60718"]),
        (ANDROID_ID, "android_id=3e8f0a9b7c6d51&os=7.1", ["3e8f0a9b7c6d51"]),
        (ANDROID_ID, "commit a1b2c3d4e5f60718aa", []),  # inside a longer hex run
        (ANDROID_ID, "ANDROID_ID a1b2c3d4e5f6", []),  # 12 digits
    ],
)
def test_text_pattern(rec: Recognizer, text: str, found: list[str]) -> None:
    assert [m.group() for m in re.finditer(rec.text_pattern, text)] == found


@pytest.mark.parametrize("rec", RECOGNIZERS)
def test_cell_pattern_runs_in_re2(rec: Recognizer) -> None:
    values = [v for v, _, _, _ in GOOD] + [v for v, _ in SHAPE_ONLY] + NO_MATCH
    expected = [bool(rec.cell_regex.match(v)) for v in values]
    got = pc.match_substring_regex(pa.array(values), rec.cell_pattern).to_pylist()
    assert got == expected
    mine = [v for v, _, r, _ in GOOD if r is rec] + [v for v, r in SHAPE_ONLY if r is rec]
    assert all(pc.match_substring_regex(pa.array(mine), rec.cell_pattern).to_pylist())


@pytest.mark.parametrize("rec", RECOGNIZERS)
@pytest.mark.parametrize(
    "hostile",
    ["1" * 200_000, "a" * 200_000, "A-" * 100_000, "49 " * 70_000, "AAAAAAAA-" * 25_000],
)
def test_hostile_input_is_linear(rec: Recognizer, hostile: str) -> None:
    start = time.perf_counter()
    list(re.finditer(rec.text_pattern, hostile))
    assert time.perf_counter() - start < 2
