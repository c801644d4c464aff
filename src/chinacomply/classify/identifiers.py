"""What identifies a person in one value: every identifier normalised to one canonical form,
vectorised over a whole Arrow column, one key per row (or none).

Normalisation is what makes counts right: "110105491231002", "11010519491231002X" and
a full-width "１１０１０５…２ｘ" are one person, as are "+86 138-1234-5678", "0138 1234 5678"
and "13812345678". Resident IDs and mainland mobiles, the usual identifiers, become 64-bit integers
(NumPy), so a data lake's worth of keys stays small and fast; every other identifier becomes a
canonical string prefixed with its type, so a QQ number and a card with the same digits never
meet. A value that fails the identifier's checks has no key: it identifies nobody.

Values are tried in their strict form first; only values that fail it are normalised
(Unicode NFKC for full-width characters, separators and Excel's leading apostrophe removed),
so clean columns pay nothing for messy ones.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chinacomply.scan import regions, registry
from chinacomply.scan.recognizer import LexicalRecognizer, Recognizer, Validity
from chinacomply.scan.recognizers import cn_resident_id, phone_number

NO_KEY = -1
MOBILE_BASE = 10**17  # integer keys: resident IDs below, mainland mobiles from here

# Identity documents: one person holds one of each, so two different numbers are two people.
DOCUMENTS = frozenset({"cn_resident_id", "passport", "hk_macau_permit", "taiwan_permit"})
# Contact and account identifiers that name one person (a mobile, a mailbox, a messaging or
# payment account): rows sharing one are one person.
CONTACTS = frozenset(
    {"phone_number", "email", "wechat_id", "wechat_openid", "qq_number", "alipay_account"}
)
# Identifiers that a household or an office may share (a card, a car, a device, a desk phone,
# an employee number reused across systems): they identify a row that has nothing better, and
# never link it to anyone else's row.
WEAK = frozenset(
    {
        "bank_card",
        "financial_account",
        "license_plate",
        "device_id",
        "mac_address",
        "landline",
        "employee_number",
    }
)
IDENTIFIERS = DOCUMENTS | CONTACTS | WEAK

_SEPARATORS = r"[\s\-'‘’_·.()（）]"
_EXCEL_DAMAGED = r"^(?:[0-9](?:\.[0-9]+)?[Ee]\+?[0-9]{1,2}|[0-9]{12,16}0{3,})$"
_ID_WEIGHTS = np.array(cn_resident_id.WEIGHTS, dtype=np.int64)
_ID_CHECK = np.frombuffer(cn_resident_id.CHECK_CHARS.encode(), dtype=np.uint8)
_POW10 = 10 ** np.arange(16, -1, -1, dtype=np.int64)
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
_PROVINCES = np.array(sorted(int(p) for p in regions.PROVINCE_PREFIXES), dtype=np.int64)
_CONTACT_SHAPES = {
    "email": re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}"),
    "qq_number": re.compile(r"[1-9][0-9]{4,11}"),
    "wechat_id": re.compile(r"[a-z][a-z0-9_\-]{5,19}|[0-9]{5,12}"),
    "wechat_openid": re.compile(r"[a-z0-9_\-]{16,64}"),
}


class RowKeys(NamedTuple):
    """One column's identifiers, row-aligned: an integer key (or NO_KEY) and a string key (or
    null) per row, the tier each belongs to, and the rows whose value a spreadsheet damaged."""

    ints: np.ndarray  # int64, NO_KEY where the row has no integer key
    strings: pa.Array  # string, null where the row has no string key
    weak_strings: pa.Array  # string keys of the weak tier (a desk phone in a phone column)
    damaged: np.ndarray  # bool


def normalized(values: pa.Array) -> pa.Array:
    """NFKC (full-width digits and letters to ASCII), separators and a leading apostrophe
    removed, upper-cased: the form every document and card number is compared in."""
    values = pc.utf8_normalize(values, "NFKC")
    return pc.utf8_upper(pc.replace_substring_regex(values, _SEPARATORS, ""))


def _fixed_width(strings: pa.Array, width: int) -> np.ndarray:
    """An (n, width) uint8 matrix of strings that are all `width` ASCII bytes long."""
    strings = pa.concat_arrays([strings]) if strings.offset else strings
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32)[: len(strings) + 1]
    data = np.frombuffer(strings.buffers()[2], dtype=np.uint8)
    return data[offsets[0] : offsets[-1]].reshape(-1, width)


def _mask(condition: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(condition, False).to_numpy(zero_copy_only=False), dtype=bool)


def resident_id_keys(values: pa.Array, today: dt.date | None = None) -> np.ndarray:
    """Per value, the 17 significant digits of a valid resident ID as an integer (the 18th
    character is implied; 15-digit IDs widened), else NO_KEY."""
    out = np.full(len(values), NO_KEY, dtype=np.int64)
    _resident_into(out, pc.utf8_upper(pc.utf8_trim_whitespace(values)), None, today)
    missing = (out == NO_KEY) & _mask(pc.is_valid(values))
    if missing.any():
        rows = np.flatnonzero(missing)
        _resident_into(out, normalized(values.take(pa.array(rows))), rows, today)
    return out


def _resident_into(
    out: np.ndarray, values: pa.Array, rows: np.ndarray | None, today: dt.date | None
) -> None:
    length = pc.utf8_length(values)
    modern = _mask(
        pc.and_(pc.equal(length, 18), pc.match_substring_regex(values, r"^[0-9]{17}[0-9X]$"))
    )
    legacy = _mask(pc.and_(pc.equal(length, 15), pc.match_substring_regex(values, r"^[0-9]{15}$")))
    at = np.arange(len(values)) if rows is None else rows
    if modern.any():
        matrix = _fixed_width(values.filter(pa.array(modern)), 18)
        digits = matrix[:, :17].astype(np.int64) - 48
        checked = _ID_CHECK[(digits @ _ID_WEIGHTS) % 11] == matrix[:, 17]
        keys = _first17_keys(matrix[:, :17], today)
        out[at[modern]] = np.where(checked, keys, NO_KEY)
    if legacy.any():
        part = values.filter(pa.array(legacy))
        widened = pc.binary_join_element_wise(
            pc.utf8_slice_codeunits(part, 0, 6), "19", pc.utf8_slice_codeunits(part, 6, 15), ""
        )
        out[at[legacy]] = _first17_keys(_fixed_width(widened, 17), today)


def _first17_keys(matrix: np.ndarray, today: dt.date | None) -> np.ndarray:
    """Keys of the rows whose province prefix and birth date are valid, NO_KEY elsewhere
    (region codes unknown to GB/T 2260 still count: the scalar validator calls them plausible,
    not invalid)."""
    digits = matrix.astype(np.int64) - 48
    keys = digits @ _POW10
    province_ok = np.isin(digits[:, 0] * 10 + digits[:, 1], _PROVINCES)
    birth = keys // 1000 % 10**8  # YYYYMMDD
    year, month, day = birth // 10**4, birth // 100 % 100, birth % 100
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_days = _DAYS_IN_MONTH[np.clip(month, 0, 12)] + ((month == 2) & leap)
    date_ok = (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
    last = int((today or dt.date.today()).strftime("%Y%m%d"))
    date_ok &= (birth >= 18800101) & (birth <= last)
    result: np.ndarray = np.where(province_ok & date_ok, keys, NO_KEY)
    return result


def mobile_keys(values: pa.Array) -> np.ndarray:
    """Per value, a mainland mobile number as MOBILE_BASE + its 11 digits, else NO_KEY. Country
    code (+86, 0086, 86), trunk 0, spaces, dashes and full-width digits drop off."""
    digits = pc.replace_substring_regex(pc.utf8_normalize(values, "NFKC"), r"[^0-9]", "")
    length = pc.utf8_length(digits)
    national = pc.case_when(
        pc.make_struct(
            pc.equal(length, 11),
            pc.and_(pc.equal(length, 13), pc.starts_with(digits, "86")),
            pc.and_(pc.equal(length, 15), pc.starts_with(digits, "0086")),
            pc.and_(pc.equal(length, 12), pc.starts_with(digits, "01")),
        ),
        digits,
        pc.utf8_slice_codeunits(digits, 2, 13),
        pc.utf8_slice_codeunits(digits, 4, 15),
        pc.utf8_slice_codeunits(digits, 1, 12),
    )
    assigned = pc.or_(
        pc.is_in(pc.utf8_slice_codeunits(national, 0, 3), pa.array(sorted(phone_number.SEGMENTS))),
        pc.is_in(pc.utf8_slice_codeunits(national, 0, 4), pa.array(sorted(phone_number.PREFIXES))),
    )
    keep = _mask(pc.and_(assigned, pc.equal(pc.utf8_length(national), 11)))
    out = np.full(len(values), NO_KEY, dtype=np.int64)
    if keep.any():
        kept = pc.cast(national.filter(pa.array(keep)), pa.int64())
        out[keep] = kept.to_numpy(zero_copy_only=False) + MOBILE_BASE
    return out


def damaged(values: pa.Array) -> np.ndarray:
    """Rows holding a number a spreadsheet wrote in scientific notation (`1.10105E+17`) or
    rounded to 15 significant digits (`110105194912310000`): an identifier once, nobody now."""
    return _mask(pc.match_substring_regex(pc.utf8_trim_whitespace(values), _EXCEL_DAMAGED))


def row_keys(type_: str, values: pa.Array) -> RowKeys:
    """The identifiers one column of `type_` holds, row by row."""
    n = len(values)
    ints = np.full(n, NO_KEY, dtype=np.int64)
    strings = pa.nulls(n, pa.string())
    weak = pa.nulls(n, pa.string())
    if type_ in DOCUMENTS:
        ints = resident_id_keys(values)
        strings = _by_distinct(values, ints == NO_KEY, partial(_document_key, type_))
    elif type_ in ("phone_number", "alipay_account"):
        ints = mobile_keys(values)
        rest = ints == NO_KEY
        if type_ == "alipay_account":
            strings = _by_distinct(values, rest, _email_key)
        else:
            strings = _by_distinct(values, rest, _international_key)
            weak = _by_distinct(values, rest, _landline_key)
    elif type_ in CONTACTS:
        strings = _by_distinct(values, np.ones(n, dtype=bool), partial(_contact_key, type_))
    elif type_ in WEAK:
        weak = _by_distinct(values, np.ones(n, dtype=bool), partial(_weak_key, type_))
    return RowKeys(
        ints, strings, weak, damaged(values) if type_ in DOCUMENTS else np.zeros(n, bool)
    )


def _by_distinct(values: pa.Array, rows: np.ndarray, key: Callable[[str], str | None]) -> pa.Array:
    """`key` applied once per distinct value among `rows` (Python per distinct value, not per
    row: a column of a million rows has far fewer distinct non-integer identifiers to check)."""
    out = pa.nulls(len(values), pa.string())
    if not rows.any():
        return out
    chosen = pc.if_else(pa.array(rows), values, pa.scalar(None, pa.string()))
    distinct = pc.unique(chosen.drop_null())
    if not len(distinct):
        return out
    mapped = pa.array([key(v) for v in distinct.to_pylist()], pa.string())
    return pc.take(mapped, pc.index_in(chosen, value_set=distinct))


def _nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


def _clean(value: str) -> str:
    return re.sub(_SEPARATORS, "", _nfkc(value)).upper()


def _document_key(type_: str, value: str) -> str | None:
    """A passport, permit or foreign document number (a resident ID has an integer key).
    Documents have no common shape, so any plausible number (5 to 20 letters and digits, one
    digit at least) under a document column identifies a person; a number a spreadsheet
    damaged, or a run of one repeated character, identifies nobody. All non-resident
    documents share one namespace: the same number in a passport column and a 证件号码
    column is one person."""
    clean = _clean(value)
    if re.fullmatch(_EXCEL_DAMAGED, value.strip()) or len(set(clean)) < 2:
        return None
    if not re.fullmatch(r"(?=.*[0-9])[A-Z0-9]{5,20}", clean):
        return None
    return f"identity_document\0{clean}"


def _email_key(value: str) -> str | None:
    clean = _nfkc(value).strip().lower()
    return f"email\0{clean}" if _CONTACT_SHAPES["email"].fullmatch(clean) else None


def _international_key(value: str) -> str | None:
    """A phone number written with a country code other than +86 (a Hong Kong, Macao or
    foreign mobile): mostly a personal number, so a contact identifier."""
    clean = _nfkc(value).strip()
    digits = re.sub(r"[^0-9]", "", clean)
    if clean.startswith("+") or clean.startswith("00"):
        digits = digits[2:] if clean.startswith("00") else digits
        if not digits.startswith("86") and 7 <= len(digits) <= 15:
            return f"phone_number\0+{digits}"
    return None


def _landline_key(value: str) -> str | None:
    """Any other number of 7 to 12 digits in a phone column: a desk or family phone, shared,
    so a weak identifier."""
    clean = _nfkc(value).strip()
    if clean.startswith("+") or clean.startswith("00"):
        return None
    digits = re.sub(r"[^0-9]", "", clean)
    return f"landline\0{digits}" if 7 <= len(digits) <= 12 else None


def _contact_key(type_: str, value: str) -> str | None:
    if type_ == "email":
        return _email_key(value)
    clean = _nfkc(value).strip().lower()
    shape = _CONTACT_SHAPES.get(type_)
    if not clean or (shape is not None and not shape.fullmatch(clean)):
        return None
    return f"{type_}\0{clean}"


def _weak_key(type_: str, value: str) -> str | None:
    """A card, account, plate or device number in its canonical form; the recognizer's own
    check where the type has one (a card failing Luhn is a typo, not an identifier)."""
    rec = registry.by_type(type_)
    clean = _clean(value)
    if not clean:
        return None
    if isinstance(rec, Recognizer):
        if rec.check(clean) is Validity.INVALID and rec.check(value) is Validity.INVALID:
            return None
        return f"{type_}\0{rec.normalize(clean)}"
    if isinstance(rec, LexicalRecognizer) and rec.score_value(value) < 0.5:
        return None
    return f"{type_}\0{clean}"


def canonical(node: int | str) -> tuple[str, str]:
    """(entity type, canonical text) of a key: what the ledger hashes. Resident IDs are their
    17 significant digits and mobiles their 11 digits, as they always were, so ledgers written
    before person linking keep matching."""
    if isinstance(node, str):
        type_, _, text = node.partition("\0")
        return type_, text
    if node >= MOBILE_BASE:
        return "phone_number", f"{node - MOBILE_BASE:011d}"
    return "cn_resident_id", f"{node:017d}"


def minors_mask(keys: np.ndarray, today: dt.date, age: int) -> np.ndarray:
    """Which resident-ID keys belong to people under `age` on `today` (the birth date is
    inside the number)."""
    births = (keys // 1000) % 10**8
    try:
        cutoff = today.replace(year=today.year - age)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - age, day=28)
    result: np.ndarray = (keys >= 0) & (keys < MOBILE_BASE) & (births > int(f"{cutoff:%Y%m%d}"))
    return result
