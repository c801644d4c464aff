"""Taiwan travel permits: 台湾居民来往大陆通行证 (台胞证) and 大陆居民往来台湾通行证.

The card-type 台胞证 issued since 2015 carries an 8-digit lifetime number; the older booklet
carried 10 digits, optionally followed by a bracketed letter counting re-issues, e.g.
0123456789(B). The 大陆居民往来台湾通行证 issued to mainland residents is T or L (the
booklet and card series) + 8 digits. An 8- or 10-digit number is far too generic to report
without a context word (台胞证, 台湾通行证), and no check digit is published: a well-shaped
number is only PLAUSIBLE.
"""

from __future__ import annotations

import re

from chinacomply.scan.recognizer import Recognizer, Validity, digits_only, mask_middle

SHAPE = r"[0-9]{8}|[0-9]{10}(?:\([A-Z]\)|（[A-Z]）)?|[TL][0-9]{8}"

_FULL = re.compile(SHAPE)


def _compact(value: str) -> str:
    return "".join(value.split()).upper()


def normalize(value: str) -> str:
    """The permit number without the re-issue letter of the old 10-digit booklet form."""
    value = _compact(value)
    if value[:1] in ("T", "L"):
        return value
    return digits_only(value)


def validate(value: str) -> Validity:
    """Structure only; an all-zero number is a placeholder, not an issued permit."""
    value = _compact(value)
    if _FULL.fullmatch(value) is None or set(digits_only(value)) == {"0"}:
        return Validity.INVALID
    return Validity.PLAUSIBLE


def mask(value: str) -> str:
    return mask_middle(normalize(value))


RECOGNIZER = Recognizer(
    type="taiwan_permit",
    shape=SHAPE,
    validate=validate,
    normalize=normalize,
    mask=mask,
    context=(
        "台胞证",
        "台湾通行证",
        "台湾居民来往大陆通行证",
        "大陆居民往来台湾通行证",
        "往来台湾通行证",
        "来往大陆通行证",
        "mtp",
        "taiwan permit",
        "taibaozheng",
        "tbz",
    ),
    negative=(
        "订单",
        "单号",
        "编号",
        "流水",
        "日期",
        "邮编",
        "电话",
        "工号",
        "学号",
        "金额",
        "order",
        "date",
        "sku",
        "zip",
    ),
    base_score=0.4,
    needs_context=True,
    explain="permit number length and series letter (no check digit exists)",
)
