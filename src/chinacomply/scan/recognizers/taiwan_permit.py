"""Taiwan travel permits: 台湾居民来往大陆通行证 (台胞证) and 大陆居民往来台湾通行证.

台胞证: from 1992 the booklet number was 10 digits, the holder's 8-digit lifetime number
(台胞终身号) then 2 digits counting issues, then in brackets a letter or digit naming the
issuing office, e.g. 0123456789(B); from 2006-06 Fujian, Jiangsu and Shanghai dropped the
bracket. Since 2008-09-25 the number is the 8-digit lifetime number alone ("一人一号、终身
不变"), kept on the card-type permit issued since 2015 (chinanews 2008-09-12, via a mirror;
NIA magazine 《中国出入境观察》 2020, p. 36). An old number is normalised to its first 8 digits, so
that one holder's old and new permits count once. The 大陆居民往来台湾通行证 issued to mainland
residents is taken to be T or L + 8 digits; no source was found for these prefixes. An 8- or
10-digit number is far too generic to report without a context word (台胞证, 台湾通行证), and no
check digit is published: a well-shaped number is only PLAUSIBLE.
"""

from __future__ import annotations

import re

from chinacomply.scan.recognizer import Recognizer, Validity, digits_only, mask_middle

SHAPE = r"[0-9]{8}|[0-9]{10}(?:\([A-Z0-9]\)|（[A-Z0-9]）)?|[TL][0-9]{8}"

_FULL = re.compile(SHAPE)


def _compact(value: str) -> str:
    return "".join(value.split()).upper()


def normalize(value: str) -> str:
    """台胞证: the 8-digit lifetime number, so 0123456789(B) and 01234567 are one holder (the
    issue count and the issuing office are dropped); T/L permits: the compact number."""
    value = _compact(value)
    if value[:1] in ("T", "L"):
        return value
    return digits_only(value)[:8]


def validate(value: str) -> Validity:
    """Structure only; an all-zero (lifetime) number is a placeholder, not an issued permit."""
    value = _compact(value)
    if _FULL.fullmatch(value) is None or set(digits_only(normalize(value))) == {"0"}:
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
