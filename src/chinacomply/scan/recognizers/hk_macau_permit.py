"""Hong Kong and Macao travel permits: 往来港澳通行证 and 港澳居民来往内地通行证 (回乡证).

The card-type 往来港澳通行证 issued to mainland residents by the exit-entry administration since
2014 is C + 8 digits; later cards use C + a letter (never I or O) + 7 digits. The 港澳居民来往内地
通行证 (Home Return Permit) issued to Hong Kong and Macao residents is H (Hong Kong) or M (Macao)
+ 8 digits, the lifetime number, optionally followed by two more digits that count re-issues;
the two forms of one holder's permit therefore normalise to the same letter + 8 digits. No
check digit is published, so a well-shaped number is only PLAUSIBLE and free text needs a
context word (港澳通行证, 回乡证, permit) before one is reported.
"""

from __future__ import annotations

import re

from chinacomply.scan.recognizer import Recognizer, Validity, digits_only, mask_middle

_LETTER = "A-HJ-NP-Z"  # serial letters skip I and O
SHAPE = rf"C[0-9]{{8}}|C[{_LETTER}][0-9]{{7}}|[HM][0-9]{{8}}(?:[0-9]{{2}})?"

_FULL = re.compile(SHAPE)


def _compact(value: str) -> str:
    return "".join(value.split()).upper()


def normalize(value: str) -> str:
    """The permit's lifetime number: a Home Return Permit's trailing issue count is dropped."""
    value = _compact(value)
    if value[:1] in ("H", "M") and len(value) == 11:
        return value[:9]
    return value


def validate(value: str) -> Validity:
    """Structure only; an all-zero serial is a placeholder, not an issued permit."""
    value = _compact(value)
    if _FULL.fullmatch(value) is None or set(digits_only(normalize(value))) == {"0"}:
        return Validity.INVALID
    return Validity.PLAUSIBLE


def mask(value: str) -> str:
    return mask_middle(normalize(value))


RECOGNIZER = Recognizer(
    type="hk_macau_permit",
    shape=SHAPE,
    validate=validate,
    normalize=normalize,
    mask=mask,
    context=(
        "港澳通行证",
        "往来港澳通行证",
        "通行证",
        "回乡证",
        "来往内地通行证",
        "港澳居民",
        "出入境证件",
        "permit",
        "home return permit",
        "exit-entry permit",
        "gatxz",
    ),
    negative=("订单", "单号", "型号", "货号", "批次", "sku", "order", "model", "part no"),
    base_score=0.5,
    needs_context=True,
    explain="permit series letter and serial length (no check digit exists)",
)
