"""Mainland mobile number (手机号码): 11 digits starting 1[3-9], with the carrier segments the
MIIT numbering plan assigns; accepts +86 / 0086 / 86 prefixes, spaces and dashes."""

from __future__ import annotations

from chinacomply.scan.recognizer import Recognizer, Validity, digits_only

# Three-digit segments in use for mobile, data-card and virtual-operator numbers.
SEGMENTS = frozenset(
    [str(n) for n in range(130, 140)]
    + ["145", "146", "147", "148", "149"]
    + ["150", "151", "152", "153", "155", "156", "157", "158", "159"]
    + ["162", "165", "166", "167"]
    + [str(n) for n in range(170, 179)]
    + [str(n) for n in range(180, 190)]
    + ["190", "191", "192", "193", "195", "196", "197", "198", "199"]
)

SHAPE = r"(?:(?:\+|00)?86[ -]?|\(\+?86\)[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}"


def normalize(value: str) -> str:
    """The bare 11-digit number: one subscriber counts once however the number was written."""
    return digits_only(value)[-11:]


def validate(value: str) -> Validity:
    digits = digits_only(value)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    elif len(digits) == 15 and digits.startswith("0086"):
        digits = digits[4:]
    if len(digits) != 11:
        return Validity.INVALID
    return Validity.VALID if digits[:3] in SEGMENTS else Validity.INVALID


def mask(value: str) -> str:
    digits = normalize(value)
    return digits[:3] + "****" + digits[-4:]


RECOGNIZER = Recognizer(
    type="phone_number",
    shape=SHAPE,
    validate=validate,
    normalize=normalize,
    mask=mask,
    context=(
        "手机",
        "电话",
        "联系方式",
        "联系电话",
        "致电",
        "短信",
        "mobile",
        "phone",
        "tel",
        "sjh",
    ),
    negative=("订单", "单号", "编号", "商品", "货号", "条码", "sku", "order", "barcode", "qq"),
    base_score=0.7,
    left="0-9A-Za-z+",
    explain="mainland mobile number with an assigned carrier segment",
)
