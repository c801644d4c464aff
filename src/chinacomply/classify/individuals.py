"""Count distinct individuals exactly: normalise every subject-key value over every row, drop
values that fail the identifier's checks, and count what is left once.

Normalisation is what makes the count right: "110105491231002" and "11010519491231002X" are
one person, as are "+86 138-1234-5678" and "13812345678". Resident IDs and mobile numbers, the
usual subject keys, are normalised and validated vectorised (Arrow and NumPy) and kept as
64-bit integers, so a data lake's worth of keys stays small and fast; other types go through
their recognizer once per distinct value in each batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chinacomply.scan import regions, registry
from chinacomply.scan.recognizer import LexicalRecognizer, Recognizer, Validity
from chinacomply.scan.recognizers import cn_resident_id, phone_number

COMPACT_AT = 2_000_000  # pending keys before duplicates are folded away
MINOR_AGE = 14  # PIPL Arts. 28 and 31

_ID_WEIGHTS = np.array(cn_resident_id.WEIGHTS, dtype=np.int64)
_ID_CHECK = np.frombuffer(cn_resident_id.CHECK_CHARS.encode(), dtype=np.uint8)
_POW10 = 10 ** np.arange(16, -1, -1, dtype=np.int64)


def _fixed_width(strings: pa.Array, width: int) -> np.ndarray:
    """An (n, width) uint8 matrix of strings that are all `width` ASCII bytes long."""
    strings = pa.concat_arrays([strings]) if strings.offset else strings
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32)[: len(strings) + 1]
    data = np.frombuffer(strings.buffers()[2], dtype=np.uint8)
    return data[offsets[0] : offsets[-1]].reshape(-1, width)


def resident_id_keys(values: pa.Array) -> np.ndarray:
    """17-digit integers of the valid IDs among `values` (the 18th character is implied)."""
    values = pc.utf8_upper(pc.utf8_trim_whitespace(values.drop_null()))
    length = pc.utf8_length(values)
    legacy = values.filter(
        pc.and_(pc.equal(length, 15), pc.match_substring_regex(values, r"^[0-9]{15}$"))
    )
    modern = values.filter(
        pc.and_(pc.equal(length, 18), pc.match_substring_regex(values, r"^[0-9]{17}[0-9X]$"))
    )
    keys = [_modern_keys(modern)] if len(modern) else []
    if len(legacy):
        widened = pc.binary_join_element_wise(
            pc.utf8_slice_codeunits(legacy, 0, 6), "19", pc.utf8_slice_codeunits(legacy, 6, 15), ""
        )
        keys.append(_valid_first17(_fixed_width(widened, 17)))
    return np.concatenate(keys) if keys else np.empty(0, dtype=np.int64)


def _modern_keys(modern: pa.Array) -> np.ndarray:
    matrix = _fixed_width(modern, 18)
    digits = matrix[:, :17].astype(np.int64) - 48
    expected = _ID_CHECK[(digits @ _ID_WEIGHTS) % 11]
    return _valid_first17(matrix[:, :17][expected == matrix[:, 17]])


_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
_PROVINCES = np.array(sorted(int(p) for p in regions.PROVINCE_PREFIXES), dtype=np.int64)


def _valid_first17(matrix: np.ndarray) -> np.ndarray:
    """Keys of the rows whose province prefix and birth date are valid (region codes unknown
    to GB/T 2260 still count: the scalar validator calls them plausible, not invalid)."""
    if not len(matrix):
        return np.empty(0, dtype=np.int64)
    digits = matrix.astype(np.int64) - 48
    keys = digits @ _POW10
    province_ok = np.isin(digits[:, 0] * 10 + digits[:, 1], _PROVINCES)
    birth = keys // 1000 % 10**8  # YYYYMMDD
    year, month, day = birth // 10**4, birth // 100 % 100, birth % 100
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_days = _DAYS_IN_MONTH[np.clip(month, 0, 12)] + ((month == 2) & leap)
    date_ok = (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
    today = int(dt.date.today().strftime("%Y%m%d"))
    date_ok &= (birth >= 18800101) & (birth <= today)
    valid: np.ndarray = keys[province_ok & date_ok]
    return valid


def _distinct(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct values by sort-and-compare (NumPy's hash-based unique is far slower on
    millions of 64-bit keys)."""
    keys = np.sort(keys)
    keep = np.ones(len(keys), dtype=bool)
    keep[1:] = keys[1:] != keys[:-1]
    out: np.ndarray = keys[keep]
    return out


def phone_keys(values: pa.Array) -> np.ndarray:
    """11-digit integers of the valid mainland mobile numbers among `values`."""
    values = values.drop_null()
    values = values.filter(pc.match_substring_regex(values, phone_number.RECOGNIZER.cell_pattern))
    digits = pc.replace_substring_regex(values, r"[^0-9]", "")
    digits = pc.utf8_slice_codeunits(digits, -11, 2**31 - 1)  # +86 / 0086 prefixes drop off
    segment_ok = pc.or_(
        pc.is_in(pc.utf8_slice_codeunits(digits, 0, 3), pa.array(sorted(phone_number.SEGMENTS))),
        pc.is_in(pc.utf8_slice_codeunits(digits, 0, 4), pa.array(sorted(phone_number.PREFIXES))),
    )
    kept = digits.filter(segment_ok)
    keys: np.ndarray = pc.cast(kept, pa.int64()).to_numpy(zero_copy_only=False)
    return keys


class DistinctCounter:
    """Exact count of distinct normalised keys of one entity type, fed batch by batch."""

    def __init__(self, type_: str) -> None:
        self.type = type_
        rec = registry.by_type(type_)
        if rec is None:
            raise ValueError(f"no recognizer for {type_!r}")
        self._rec: Recognizer | LexicalRecognizer = rec
        self._ints: list[np.ndarray] = []
        self._strings: list[pa.Array] = []
        self._pending = 0

    def add(self, values: pa.Array) -> None:
        if self.type == "cn_resident_id":
            self._ints.append(resident_id_keys(values))
        elif self.type == "phone_number":
            self._ints.append(phone_keys(values))
        else:
            self._strings.append(self._generic_keys(values))
        self._pending += len(values)
        if self._pending >= COMPACT_AT:
            self._compact()

    def _generic_keys(self, values: pa.Array) -> pa.Array:
        distinct = pc.unique(pc.utf8_trim_whitespace(values.drop_null())).to_pylist()
        rec = self._rec
        keys = set()
        for value in distinct:
            if not value:
                continue
            if isinstance(rec, Recognizer):
                if rec.check(value) is Validity.INVALID:
                    continue
            elif rec.score_value(value) < 0.5:
                continue
            keys.add(rec.normalize(value))
        return pa.array(sorted(keys), pa.string())

    def _compact(self) -> None:
        if self._ints:
            self._ints = [_distinct(np.concatenate(self._ints))]
        if self._strings:
            self._strings = [pc.unique(pa.concat_arrays(self._strings))]
        self._pending = 0

    def count(self) -> int:
        self._compact()
        return len(self._ints[0]) if self._ints else len(self._strings[0]) if self._strings else 0

    def keys(self) -> Iterator[str]:
        """Every distinct normalised key, in a canonical text form (resident IDs as their 17
        significant digits, phones as 11 digits): what the ledger hashes."""
        self._compact()
        if self._ints:
            width = 17 if self.type == "cn_resident_id" else 11
            yield from (f"{k:0{width}d}" for k in self._ints[0].tolist())
        elif self._strings:
            yield from self._strings[0].to_pylist()

    def minors(self, today: dt.date | None = None) -> int | None:
        """Distinct people under 14 on `today` by the birth date inside their ID number (PIPL
        Art. 28: all PI of a minor under 14 is sensitive); None if the key holds no birth date."""
        if self.type != "cn_resident_id":
            return None
        self._compact()
        if not self._ints:
            return 0
        today = today or dt.date.today()
        births = (self._ints[0] // 1000) % 10**8  # YYYYMMDD inside the 17-digit key
        try:
            cutoff = today.replace(year=today.year - MINOR_AGE)
        except ValueError:  # 29 February
            cutoff = today.replace(year=today.year - MINOR_AGE, day=28)
        return int(np.count_nonzero(births > int(cutoff.strftime("%Y%m%d"))))
