"""Resident identity card number (居民身份证号码), GB 11643-1999.

18 characters: a six-digit GB/T 2260 region code, the birth date YYYYMMDD, a three-digit
sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character (0-9 or X).
The legacy 15-digit form (before 1999) has a two-digit year and no check character; it is
normalised to 18 digits so one person counts once whichever form a table holds.
"""

from __future__ import annotations

import datetime as dt

from chinacomply.scan import regions
from chinacomply.scan.recognizer import Recognizer, Validity, mask_middle

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

_MONTH_DAY = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
SHAPE = (
    rf"[1-9][0-9]{{5}}(?:18|19|20)[0-9]{{2}}{_MONTH_DAY}[0-9]{{3}}[0-9Xx]"
    rf"|[1-9][0-9]{{5}}[0-9]{{2}}{_MONTH_DAY}[0-9]{{3}}"
)


def check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def to_18(value: str) -> str:
    """Canonical 18-character form: upper-case X; 15-digit numbers gain '19' and a check char."""
    value = value.strip().upper()
    if len(value) == 15:
        first17 = value[:6] + "19" + value[6:]
        return first17 + check_char(first17)
    return value


def _birth_date_ok(yyyymmdd: str) -> bool:
    try:
        born = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return dt.date(1880, 1, 1) <= born <= dt.date.today()


def validate(value: str) -> Validity:
    """Checksum and birth date decide; an unknown region code lowers validity but does not
    reject, because GB/T 2260 codes are renamed and retired (python-stdnum's strictness here
    rejects real numbers)."""
    value = value.strip().upper()
    if len(value) == 18:
        if value[:17].isdigit() is False or check_char(value[:17]) != value[17]:
            return Validity.INVALID
    elif len(value) != 15 or not value.isdigit():
        return Validity.INVALID
    canonical = to_18(value)
    if canonical[:2] not in regions.PROVINCE_PREFIXES or not _birth_date_ok(canonical[6:14]):
        return Validity.INVALID
    if not regions.is_known_region(canonical[:6]):
        return Validity.PLAUSIBLE
    # A 15-digit number has no checksum: shape, date and region are all that can be checked.
    return Validity.VALID if len(value) == 18 else Validity.PLAUSIBLE


def mask(value: str) -> str:
    return mask_middle(value.strip())


RECOGNIZER = Recognizer(
    type="cn_resident_id",
    shape=SHAPE,
    validate=validate,
    normalize=to_18,
    mask=mask,
    context=(
        "身份证",
        "身份证号",
        "证件号",
        "公民身份",
        "居民身份",
        "sfz",
        "id card",
        "id_no",
        "idcard",
    ),
    negative=("订单", "单号", "流水", "运单", "快递", "编号", "order", "tracking", "sku"),
    base_score=0.6,
    explain="GB 11643 check digit, birth date and GB/T 2260 region code",
)
