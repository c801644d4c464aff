"""Payment card number (银行卡号): 16-19 digits (15 for American Express), Luhn-valid, with the
issuer identification ranges of China UnionPay (62, 810-8171) and the international schemes.

Some UnionPay cards were issued without a valid Luhn digit (docs/identifier-facts.md row 9b);
they are a second recognizer that reports only next to a context word or under a card column
name, so 16-19-digit order numbers starting 62 are not taken for cards."""

from __future__ import annotations

from chinacomply.scan.recognizer import Recognizer, Validity, digits_only

SHAPE = r"[1-9][0-9]{3}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?|3[47][0-9]{13}"


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # digit * 2, digits summed


def luhn_ok(digits: str) -> bool:
    """ISO/IEC 7812 Luhn check, also used by IMEI numbers: from the right, every second digit
    is doubled (and its digits summed); the total is a multiple of ten."""
    backwards = digits[::-1]
    total = sum(map(int, backwards[0::2])) + sum(_DOUBLED[int(d)] for d in backwards[1::2])
    return total % 10 == 0


def scheme(digits: str) -> str | None:
    """The card scheme an issuer identification number belongs to, or None if unassigned."""
    two, four = int(digits[:2]), int(digits[:4])
    if two == 62 or digits[:3] == "810" or 8110 <= four <= 8171:
        return "unionpay"
    if digits[0] == "4":
        return "visa"
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return "mastercard"
    if two in (34, 37) and len(digits) == 15:
        return "amex"
    if 3528 <= four <= 3589:
        return "jcb"
    if two in (30, 36, 38, 39):
        return "diners"
    if two in (60, 64, 65):
        return "discover"
    return None


def validate(value: str) -> Validity:
    digits = digits_only(value)
    if not (15 <= len(digits) <= 19) or not luhn_ok(digits):
        return Validity.INVALID
    if len(digits) == 15 and digits[:2] not in ("34", "37"):
        return Validity.INVALID
    return Validity.VALID if scheme(digits) else Validity.PLAUSIBLE


def mask(value: str) -> str:
    digits = digits_only(value)
    return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]


RECOGNIZER = Recognizer(
    type="bank_card",
    shape=SHAPE,
    validate=validate,
    normalize=digits_only,
    mask=mask,
    context=("银行卡", "卡号", "信用卡", "借记卡", "储蓄卡", "账号", "银联", "card", "yhk", "yhkh"),
    negative=("订单", "单号", "流水", "运单", "快递", "编号", "order", "tracking", "sku"),
    base_score=0.6,
    explain="Luhn check digit and a card-scheme issuer range",
)


def validate_unionpay_unchecked(value: str) -> Validity:
    """UnionPay numbers that fail Luhn: some cards were issued that way (Braintree and Active
    Merchant exempt UnionPay from the check), so the shape and range are all there is."""
    digits = digits_only(value)
    if not (16 <= len(digits) <= 19) or scheme(digits) != "unionpay" or luhn_ok(digits):
        return Validity.INVALID
    return Validity.PLAUSIBLE


UNIONPAY_UNCHECKED = Recognizer(
    type="bank_card",
    shape=r"(?:62|81)[0-9]{2}(?:[ -]?[0-9]{4}){2}[ -]?[0-9]{4,7}",
    validate=validate_unionpay_unchecked,
    normalize=digits_only,
    mask=mask,
    context=RECOGNIZER.context,
    negative=RECOGNIZER.negative,
    base_score=0.5,
    needs_context=True,
    explain="UnionPay number without a Luhn check digit (some cards were issued so)",
)

RECOGNIZERS = (RECOGNIZER, UNIONPAY_UNCHECKED)
