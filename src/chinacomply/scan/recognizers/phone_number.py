"""Mainland mobile number (手机号码): 11 digits starting 1[3-9], with the carrier segments the
MIIT numbering plan assigns; accepts +86 / 0086 / 86 prefixes, spaces and dashes."""

from __future__ import annotations

from chinacomply.scan.recognizer import Recognizer, Validity, digits_only

# Segments of 11-digit numbers that reach a person: mobile, data-card and virtual-operator
# ranges. 146 and 148 (like 141 and 144) carry 13-digit IoT numbers and are left out; of 174,
# only the satellite ranges 1740x and 1749x serve subscribers; 1610 is China Broadnet's
# (docs/identifier-facts.md rows 3a-3f).
SEGMENTS = frozenset(
    [str(n) for n in range(130, 140)]
    + ["145", "147", "149"]
    + ["150", "151", "152", "153", "155", "156", "157", "158", "159"]
    + ["162", "165", "166", "167"]
    + ["170", "171", "172", "173", "175", "176", "177", "178"]
    + [str(n) for n in range(180, 190)]
    + ["190", "191", "192", "193", "195", "196", "197", "198", "199"]
)
PREFIXES = frozenset(["1610", "1740", "1749"])  # four-digit ranges inside otherwise unused segments

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
    assigned = digits[:3] in SEGMENTS or digits[:4] in PREFIXES
    return Validity.VALID if assigned else Validity.INVALID


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
        "拨打",
        "来电",
        "热线",
        "咨询",
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
