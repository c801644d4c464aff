"""Exact distinct-individual counting: normalisation, validation, batching, minors."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from chinacomply.classify import individuals
from chinacomply.classify.individuals import DistinctCounter
from chinacomply.scan.recognizer import Validity
from chinacomply.scan.recognizers import cn_resident_id, phone_number


def _id(first17: str) -> str:
    return first17 + cn_resident_id.check_char(first17)


def test_one_person_counts_once_in_any_form() -> None:
    counter = DistinctCounter("cn_resident_id")
    counter.add(pa.array(["11010519491231002X", "110105491231002", " 11010519491231002x", None]))
    counter.add(pa.array(["110105194912310021", "not an id", ""]))  # invalid values do not count
    assert counter.count() == 1


def test_phone_formats_collapse_to_one_subscriber() -> None:
    counter = DistinctCounter("phone_number")
    counter.add(pa.array(["13812345678", "+86 138 1234 5678", "0086-138-1234-5678", "14012345678"]))
    assert counter.count() == 1


def test_count_is_exact_across_batches_and_compaction(monkeypatch: object) -> None:
    import pytest

    mp = pytest.MonkeyPatch()
    mp.setattr(individuals, "COMPACT_AT", 100)
    try:
        for type_, make in (
            ("cn_resident_id", lambda i: _id(f"110105199001{(i % 28) + 1:02d}{i % 1000:03d}"[:17])),
            ("email", lambda i: f"user{i % 777}@example.com"),
        ):
            counter = DistinctCounter(type_)
            values = [make(i) for i in range(5000)]
            for start in range(0, 5000, 300):
                counter.add(pa.array(values[start : start + 300]))
            expected = {cn_resident_id.to_18(v) if type_ == "cn_resident_id" else v for v in values}
            assert counter.count() == len(expected)
    finally:
        mp.undo()


_id_like = st.text(alphabet="0123456789Xx ", min_size=14, max_size=19)
_valid_id = st.builds(
    lambda region, day, seq: _id(
        f"{region}{(dt.date(1950, 1, 1) + dt.timedelta(days=day)):%Y%m%d}{seq:03d}"
    ),
    st.sampled_from(["110105", "440305", "310115", "659001", "110199"]),
    st.integers(0, 25000),
    st.integers(0, 999),
)
_legacy = _valid_id.map(lambda v: v[:6] + v[8:17])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_id_like, _valid_id, _legacy, _valid_id.map(str.lower)), max_size=40))
def test_vectorised_id_keys_agree_with_the_scalar_validator(values: list[str]) -> None:
    """The fast path (NumPy/Arrow) and the reference validator count the same people."""
    rec = cn_resident_id.RECOGNIZER
    expected = {
        cn_resident_id.to_18(v)[:17] for v in values if rec.check(v) is not Validity.INVALID
    }
    got = {f"{k:017d}" for k in individuals.resident_id_keys(pa.array(values, pa.string()))}
    assert got == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.from_regex(r"(\+86 ?|0086-?|86-)?1[0-9]{2}[ -]?[0-9]{4}[ -]?[0-9]{4}", fullmatch=True),
        max_size=30,
    )
)
def test_vectorised_phone_keys_agree_with_the_scalar_validator(values: list[str]) -> None:
    rec = phone_number.RECOGNIZER
    expected = {rec.normalize(v) for v in values if rec.check(v) is not Validity.INVALID}
    got = {str(k) for k in individuals.phone_keys(pa.array(values, pa.string()))}
    assert got == expected


def test_minors_under_14_by_birth_date_in_the_id() -> None:
    counter = DistinctCounter("cn_resident_id")
    counter.add(
        pa.array([_id("11010520150601001"), _id("11010520120601001"), _id("11010519800101001")])
    )
    assert counter.minors(today=dt.date(2026, 6, 1)) == 1  # born 2015: 10; born 2012: 14 that day
    assert counter.minors(today=dt.date(2026, 5, 31)) == 2  # the day before, still 13
