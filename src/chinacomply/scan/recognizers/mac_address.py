"""MAC address (MAC地址 / 物理地址): an IEEE 802 EUI-48 hardware address.

Written as six hex pairs separated by ':' (Unix) or '-' (Windows, IEEE 802 canonical form), or
as three dotted groups of four hex digits (Cisco, aabb.ccdd.eeff); either letter case. The
all-zero address and the broadcast address FF:FF:FF:FF:FF:FF belong to no device and are
INVALID; group (multicast) addresses, whose first octet has its lowest bit set, address a set of
receivers rather than one device and are only PLAUSIBLE.
"""

from __future__ import annotations

import re

from chinacomply.scan.recognizer import Recognizer, Validity

_X = "[0-9A-Fa-f]"
SHAPE = (
    rf"{_X}{{2}}(?::{_X}{{2}}){{5}}"
    rf"|{_X}{{2}}(?:-{_X}{{2}}){{5}}"
    rf"|{_X}{{4}}\.{_X}{{4}}\.{_X}{{4}}"
)

_FULL = re.compile(SHAPE)
_NOT_HEX = re.compile(r"[^0-9A-Fa-f]")


def normalize(value: str) -> str:
    """Twelve lower-case hex digits, whichever notation was used."""
    return _NOT_HEX.sub("", value).lower()


def validate(value: str) -> Validity:
    if _FULL.fullmatch(value.strip()) is None:
        return Validity.INVALID
    hexdigits = normalize(value)
    if hexdigits in ("000000000000", "ffffffffffff"):
        return Validity.INVALID
    if int(hexdigits[:2], 16) & 1:
        return Validity.PLAUSIBLE
    return Validity.VALID


def mask(value: str) -> str:
    """The first two octets (part of the vendor prefix) and the last: aabb******ff."""
    hexdigits = normalize(value)
    return hexdigits[:4] + "*" * 6 + hexdigits[-2:]


RECOGNIZER = Recognizer(
    type="mac_address",
    shape=SHAPE,
    validate=validate,
    normalize=normalize,
    mask=mask,
    context=(
        "mac",
        "mac地址",
        "物理地址",
        "硬件地址",
        "网卡地址",
        "无线mac",
        "蓝牙地址",
        "wifi mac",
        "bt mac",
        "mac address",
        "hwaddr",
        "ether",
        "bssid",
    ),
    negative=("版本", "version", "sku", "hash", "md5"),
    base_score=0.8,
    # A ':' or '-' after the sixth pair means a longer run (EUI-64, WWN), not a MAC address.
    right="0-9A-Za-z:-",
    case_insensitive=True,
    explain="EUI-48 hex pairs; all-zero and broadcast addresses rejected",
)
