"""Unified social credit code (统一社会信用代码), GB 32100-2015: the identifier of companies and
other organisations. Not personal information, but reported so tables of counterparties are
told apart from tables of people."""

from __future__ import annotations

from chinacomply.scan.recognizer import Recognizer, Validity

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_C = "0-9A-HJ-NPQRTUWXY"
SHAPE = rf"[1-9A-HJ-NPQRTUWY][1-9][0-9]{{6}}[{_C}]{{10}}"


def check_char(first17: str) -> str:
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def validate(value: str) -> Validity:
    value = value.strip().upper()
    if len(value) != 18 or any(c not in CHARSET for c in value):
        return Validity.INVALID
    return Validity.VALID if check_char(value[:17]) == value[17] else Validity.INVALID


RECOGNIZER = Recognizer(
    type="uscc",
    shape=SHAPE,
    validate=validate,
    normalize=lambda v: v.strip().upper(),
    context=("统一社会信用代码", "信用代码", "社会信用", "纳税人识别号", "uscc", "tyshxydm"),
    base_score=0.6,
    explain="GB 32100 check character",
)
