"""Mainland motor-vehicle plate number (机动车号牌号码), GA 36 (《中华人民共和国机动车号牌》).

A province abbreviation (京, 沪, 粤…), the issuing authority's letter (A-Z without I and O), an
optional printed separator (·), then the serial: five characters from the digits and the
letters without I and O, at most two of them letters, for ordinary plates; six for new-energy
plates — a type letter then a letter or digit then four digits for small cars (D/A/B/C/E pure
electric, F/G/H/J/K other new energy), five digits then D or F for large vehicles. Trailer,
learner, police, Hong Kong/Macao, consulate and embassy plates replace the last serial character
by 挂 / 学 / 警 / 港 / 澳 / 领 / 使; 港 and 澳 plates are only issued under 粤Z.
"""

from __future__ import annotations

import re

from chinacomply.scan.recognizer import Recognizer, Validity, mask_middle

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_AUTH = "A-HJ-NP-Z"  # issuing-authority letters skip I and O
_SERIAL = "A-HJ-NP-Z0-9"
_SEP_CHARS = "·•・ -"
SUFFIXES = "挂学警港澳领使"
_NE_SMALL = "ABCDEFGHJK"  # first serial letter of small new-energy plates
_NE_LARGE = "DF"  # last serial letter of large new-energy plates

SHAPE = (
    rf"[{PROVINCES}][{_AUTH}][{_SEP_CHARS}]?"
    rf"(?:[{_SERIAL}]{{5}}"
    rf"|[{_NE_SMALL}][{_SERIAL}][0-9]{{4}}"
    rf"|[0-9]{{5}}[{_NE_LARGE}]"
    rf"|[{_SERIAL}]{{4}}[{SUFFIXES}])"
)

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
        small = serial[0] in _NE_SMALL and bool(_SERIAL_RE.fullmatch(serial[1]))
        return (small and _digits(serial[2:])) or (_digits(serial[:5]) and serial[5] in _NE_LARGE)
    return False


def validate(value: str) -> Validity:
    plate = normalize(value)
    if len(plate) < 7 or plate[0] not in PROVINCES or not re.fullmatch(f"[{_AUTH}]", plate[1]):
        return Validity.INVALID
    serial = plate[2:]
    if serial[-1] in "港澳" and plate[:2] != "粤Z":
        return Validity.INVALID
    return Validity.VALID if _serial_ok(serial) else Validity.INVALID


def mask(value: str) -> str:
    """Province, authority letter and the last two characters: 京A***45."""
    return mask_middle(normalize(value))


RECOGNIZER = Recognizer(
    type="license_plate",
    shape=SHAPE,
    validate=validate,
    normalize=normalize,
    mask=mask,
    context=(
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
    ),
    negative=("型号", "货号", "sku", "model"),
    base_score=0.7,
    # The match starts with a Chinese province character, which cannot sit inside a run of
    # ASCII letters and digits, so no left boundary is needed: "车牌号京A12345" and
    # "plate:京A12345" are both found.
    left="",
    explain="GA 36 province, issuing-authority letter and serial structure",
)
