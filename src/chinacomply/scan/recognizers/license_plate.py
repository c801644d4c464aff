"""Mainland motor-vehicle plate number (机动车号牌号码), GA 36 (《中华人民共和国机动车号牌》).

A province abbreviation (京, 沪, 粤…), the issuing authority's letter (A-Z without I and O), an
optional printed separator (·), then the serial: five characters from the digits and the
letters without I and O, at most two of them letters, for ordinary plates; six for new-energy
plates — a type letter then a letter or digit then four digits for small cars, five digits then
a type letter for large vehicles. The type letter was D (pure electric) or F (other new energy)
at first (PCauto explainer: "小型新能源汽车号牌的第一位必须使用字母D、F", "大型新能源汽车号牌的
第六位必须使用字母D、F"); later plates use D/A/B/C/E and F/G/H/J/K, for small and large
vehicles alike (any86/any-rule issue #149; the GA 36-2018 text itself was not seen). Trailer,
learner, police, Hong Kong/Macao and consulate plates replace the last serial character by
挂 / 学 / 警 / 港 / 澳 / 领; 港 and 澳 plates are only issued under 粤Z.

Embassy plates (使馆车辆号牌, black) carry no province or authority letter: 使, a 3-digit
country code and a 3-digit serial, printed as two groups, e.g. 使224-009 (autohome.com.cn
ask/5742898: "前三位是国家代码,后三位是编号顺序码"). 使 directly before six digits also occurs
in prose (即使100000元), so that form is a recognizer of its own and needs a context word in free
text.
"""

from __future__ import annotations

import re

from chinacomply.scan.recognizer import Recognizer, Validity, mask_middle

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_AUTH = "A-HJ-NP-Z"  # issuing-authority letters skip I and O
_SERIAL = "A-HJ-NP-Z0-9"
_SEP_CHARS = "·•・ -"
SUFFIXES = "挂学警港澳领"
_NE_TYPES = "ABCDEFGHJK"  # new-energy type letter: first of a small, last of a large serial

SHAPE = (
    rf"[{PROVINCES}][{_AUTH}][{_SEP_CHARS}]?"
    rf"(?:[{_SERIAL}]{{5}}"
    rf"|[{_NE_TYPES}][{_SERIAL}][0-9]{{4}}"
    rf"|[0-9]{{5}}[{_NE_TYPES}]"
    rf"|[{_SERIAL}]{{4}}[{SUFFIXES}])"
)
EMBASSY = "使"
EMBASSY_SHAPE = rf"{EMBASSY}[0-9]{{3}}[{_SEP_CHARS}]?[0-9]{{3}}"

_SEPARATORS = re.compile(rf"[\s{_SEP_CHARS}]")
_SERIAL_RE = re.compile(rf"[{_SERIAL}]+")


def normalize(value: str) -> str:
    """Separators removed and letters upper-cased: 京A·12345 and 京a 12345 are one plate."""
    return _SEPARATORS.sub("", value).upper()


def _letters(serial: str) -> int:
    return sum(ch.isalpha() for ch in serial)


def _digits(text: str) -> bool:
    """ASCII digits only (str.isdigit alone also accepts full-width and other digits)."""
    return text.isascii() and text.isdigit()


def _serial_ok(serial: str) -> bool:
    """The serial after province and authority letter, by plate kind."""
    if len(serial) == 5:
        body = serial[:4] if serial[4] in SUFFIXES else serial
        return _SERIAL_RE.fullmatch(body) is not None and _letters(body) <= 2
    if len(serial) == 6:
        small = serial[0] in _NE_TYPES and bool(_SERIAL_RE.fullmatch(serial[1]))
        return (small and _digits(serial[2:])) or (_digits(serial[:5]) and serial[5] in _NE_TYPES)
    return False


def validate(value: str) -> Validity:
    plate = normalize(value)
    if plate[:1] == EMBASSY:
        # Country code and serial; six zeros is a placeholder, not an issued plate.
        digits = plate[1:]
        ok = len(digits) == 6 and _digits(digits) and digits != "000000"
        return Validity.VALID if ok else Validity.INVALID
    if len(plate) < 7 or plate[0] not in PROVINCES or not re.fullmatch(f"[{_AUTH}]", plate[1]):
        return Validity.INVALID
    serial = plate[2:]
    if serial[-1] in "港澳" and plate[:2] != "粤Z":
        return Validity.INVALID
    return Validity.VALID if _serial_ok(serial) else Validity.INVALID


def mask(value: str) -> str:
    """The first two and the last two characters: 京A***45, 使2***09."""
    return mask_middle(normalize(value))


_CONTEXT = (
    "车牌",
    "车牌号",
    "车牌号码",
    "号牌",
    "号牌号码",
    "车辆",
    "机动车",
    "车主",
    "停车",
    "plate",
    "license plate",
    "vehicle",
    "cph",
)
_NEGATIVE = ("型号", "货号", "sku", "model")

RECOGNIZER = Recognizer(
    type="license_plate",
    shape=SHAPE,
    validate=validate,
    normalize=normalize,
    mask=mask,
    context=_CONTEXT,
    negative=_NEGATIVE,
    base_score=0.7,
    # The match starts with a Chinese province character, which cannot sit inside a run of
    # ASCII letters and digits, so no left boundary is needed: "车牌号京A12345" and
    # "plate:京A12345" are both found.
    left="",
    explain="GA 36 province, issuing-authority letter and serial structure",
)

EMBASSY_PLATE = Recognizer(
    type="license_plate",
    shape=EMBASSY_SHAPE,
    validate=validate,
    normalize=normalize,
    mask=mask,
    context=(*_CONTEXT, "使馆", "外交车辆"),
    negative=_NEGATIVE,
    base_score=0.7,
    # 使 plus six digits is also prose (即使100000元): report it only next to a context word.
    needs_context=True,
    left="",
    explain="embassy plate: 使, 3-digit country code, 3-digit serial",
)

RECOGNIZERS = (RECOGNIZER, EMBASSY_PLATE)
