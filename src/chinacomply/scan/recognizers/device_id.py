"""Mobile device identifiers (设备标识符): IMEI (国际移动设备识别码, 串号), Apple's IDFA
(广告标识符) and the Android ID.

IMEI (3GPP TS 23.003): 15 digits — an 8-digit type allocation code, a 6-digit serial and a Luhn
check digit — often printed as AA-BBBBBB-CCCCCC-D. The Luhn digit is checked (same algorithm as
payment cards); the reporting-body prefix of the TAC is not. IDFA: an upper-case UUID
(8-4-4-4-12 hex), all zeros when the user limits ad tracking. Android ID (Settings.Secure.
ANDROID_ID, "a 64-bit number (expressed as a hexadecimal string)"): 13-16 lower-case hex digits.
Since Android 8 it is 16 digits cut from an HMAC; before, AOSP's SettingsProvider wrote
Long.toHexString(new SecureRandom().nextLong()), which is not zero-padded, so about one ID in 16
is shorter than 16 digits and never starts with 0 (12 digits or fewer, once in 65,536, are not
matched). IDFA and Android ID have no check digit, so
they are PLAUSIBLE and need a context word in free text; an Android ID of decimal digits only,
the all-zero placeholders and the one ID that a platform bug gave many Android 2.2 devices
(9774d56d682e549c) identify no single device and are INVALID.
"""

from __future__ import annotations

import re

from chinacomply.scan.recognizer import Recognizer, Validity, digits_only, mask_middle
from chinacomply.scan.recognizers.bank_card import luhn_ok

IMEI_SHAPE = r"[0-9]{2}[ -]?[0-9]{6}[ -]?[0-9]{6}[ -]?[0-9]"
IDFA_SHAPE = r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}"
ANDROID_ID_SHAPE = r"[0-9a-f]{13,16}"

_IMEI = re.compile(IMEI_SHAPE)
_IDFA = re.compile(IDFA_SHAPE)
_ANDROID_ID = re.compile(ANDROID_ID_SHAPE)
_SHARED_ANDROID_ID = "9774d56d682e549c"


def normalize(value: str) -> str:
    """IMEI: 15 digits; IDFA: upper-case UUID; Android ID: lower-case hex.

    Shared by the three recognizers, because a subject key of type device_id may be any of
    them (the registry looks a type up by name and finds the IMEI recognizer first).
    """
    value = value.strip()
    if _IMEI.fullmatch(value):
        return digits_only(value)
    if len(value) == 36 and value.count("-") == 4:
        return value.upper()
    return value.lower()


def validate_imei(value: str) -> Validity:
    digits = digits_only(value)
    if _IMEI.fullmatch(value.strip()) is None or len(digits) != 15:
        return Validity.INVALID
    if set(digits) == {"0"} or not luhn_ok(digits):
        return Validity.INVALID
    return Validity.VALID


def validate_idfa(value: str) -> Validity:
    value = value.strip()
    if _IDFA.fullmatch(value) is None or set(value) <= {"0", "-"}:
        return Validity.INVALID
    return Validity.PLAUSIBLE


def validate_android_id(value: str) -> Validity:
    value = value.strip()
    if _ANDROID_ID.fullmatch(value) is None or value == _SHARED_ANDROID_ID:
        return Validity.INVALID
    # Unpadded (pre-Android 8) IDs are short only because their leading hex digits are zero,
    # so a short one cannot start with 0.
    if len(value) < 16 and value[0] == "0":
        return Validity.INVALID
    # A random 64-bit value is all decimal digits once in ~1,800 draws (~450 for 13 digits); a
    # 13-16 digit decimal number is far more likely a card, account, phone or order number.
    if value.isdigit():
        return Validity.INVALID
    return Validity.PLAUSIBLE


def mask(value: str) -> str:
    return mask_middle(normalize(value))


_COMMON_CONTEXT = (
    "设备号",
    "设备标识",
    "设备id",
    "设备识别码",
    "终端标识",
    "device",
    "device id",
    "device_id",
    "deviceid",
)
_NEGATIVE = (
    "订单",
    "单号",
    "流水",
    "运单",
    "快递",
    "卡号",
    "order",
    "tracking",
    "sku",
    "hash",
    "md5",
    "sha1",
    "sha256",
    "token",
    "trace",
    "request",
    "commit",
)

IMEI = Recognizer(
    type="device_id",
    shape=IMEI_SHAPE,
    validate=validate_imei,
    normalize=normalize,
    mask=mask,
    context=("imei", "串号", "国际移动设备识别码", "meid", "imei号", "手机串号", *_COMMON_CONTEXT),
    negative=_NEGATIVE,
    base_score=0.5,
    explain="15-digit IMEI with a Luhn check digit",
)

IDFA = Recognizer(
    type="device_id",
    shape=IDFA_SHAPE,
    validate=validate_idfa,
    normalize=normalize,
    mask=mask,
    context=("idfa", "广告标识", "广告标识符", "advertising id", "ad id", *_COMMON_CONTEXT),
    negative=_NEGATIVE,
    base_score=0.4,
    needs_context=True,
    left="0-9A-Za-z-",
    right="0-9A-Za-z-",
    explain="upper-case UUID in an IDFA context (no check digit exists)",
)

ANDROID_ID = Recognizer(
    type="device_id",
    shape=ANDROID_ID_SHAPE,
    validate=validate_android_id,
    normalize=normalize,
    mask=mask,
    context=("android id", "android_id", "androidid", "安卓id", "安卓设备", *_COMMON_CONTEXT),
    negative=_NEGATIVE,
    base_score=0.4,
    needs_context=True,
    explain="13-16 lower-case hex digits in an Android ID context (no check digit exists)",
)

RECOGNIZERS = (IMEI, IDFA, ANDROID_ID)
