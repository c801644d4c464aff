"""PRC passport number (中华人民共和国护照号码).

Forms, as secondary sources give them (no National Immigration Administration text was found):
the ordinary electronic passport (普通电子护照, since 2012) is E + 8 digits, and from 2017-04-05,
once that series ran out, E + a letter (never I or O) + 7 digits (cwdbkk.com: "第二位改为顺序
使用英文字母(“I”、“O”除外)"). Older ordinary passports are G + 8 digits or, older still, 14 or
15 + 7 digits, e.g. 141234567 (cwdbkk.com; ywbk.net: "因私普通护照:14/15后接7位数,或者字母G后接
8位数"; any86/any-rule's passport rule); those booklets have expired but remain in historic data.
Official passports — diplomatic (外交护照, D), service (公务护照, S) and public-affairs ordinary
(因公普通护照, P) — are the letter + 7 or 8 digits, or, for their electronic versions, DE / SE /
PE + 7 digits. There is no published check digit, so a well-shaped number is only PLAUSIBLE, and
free text needs a context word (护照, passport) before one is reported.
"""

from __future__ import annotations

import re

from chinacomply.scan.recognizer import Recognizer, Validity, digits_only, mask_middle

_LETTER = "A-HJ-NP-Z"  # serial letters skip I and O
SHAPE = (
    rf"E[0-9]{{8}}|E[{_LETTER}][0-9]{{7}}|G[0-9]{{8}}|1[45][0-9]{{7}}"
    rf"|[DSP]E?[0-9]{{7}}|[DSP][0-9]{{8}}"
)

_FULL = re.compile(SHAPE)


def normalize(value: str) -> str:
    return "".join(value.split()).upper()


def _serial(value: str) -> str:
    """The digits after the series prefix (letters, or the 14/15 of the oldest form)."""
    return value[2:] if value[:1].isdigit() else digits_only(value)


def validate(value: str) -> Validity:
    """Structure only; a serial of all zeros is a placeholder, not an issued passport."""
    value = normalize(value)
    if _FULL.fullmatch(value) is None or set(_serial(value)) == {"0"}:
        return Validity.INVALID
    return Validity.PLAUSIBLE


def mask(value: str) -> str:
    return mask_middle(normalize(value))


RECOGNIZER = Recognizer(
    type="passport",
    shape=SHAPE,
    validate=validate,
    normalize=normalize,
    mask=mask,
    context=(
        "护照",
        "护照号",
        "护照号码",
        "因私护照",
        "因公护照",
        "出入境证件",
        "旅行证件",
        "passport",
        "passport no",
        "passport number",
        "hzh",
        "huzhao",
    ),
    negative=("订单", "单号", "型号", "货号", "批次", "sku", "order", "model", "part no"),
    base_score=0.5,
    needs_context=True,
    explain="PRC passport series letter and serial length (no check digit exists)",
)
