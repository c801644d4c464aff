"""IP address (IP地址): IPv4 dotted quads and IPv6 in full, compressed ("::") and IPv4-embedded
forms (RFC 4291 section 2.2, RFC 5952). The stdlib `ipaddress` module is the validator.

An address identifies a subscriber or a device at a point in time, which PIPL treats as personal
information when it can be linked to a person. Loopback, unspecified, multicast and reserved
addresses are addresses but identify nobody, so they are only PLAUSIBLE. IPv4-mapped IPv6
addresses (::ffff:1.2.3.4) normalise to the IPv4 address they carry, so one host counts once.
"""

from __future__ import annotations

import ipaddress

from chinacomply.scan.recognizer import Recognizer, Validity

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
IPV4_SHAPE = rf"{_OCTET}(?:\.{_OCTET}){{3}}"

# Every hex group is delimited by ':' so each repetition can match in one way only; the "::"
# junction is written once per branch. Group counts are left to `ipaddress` (validate), which
# keeps the expression small and linear instead of enumerating every compression position.
_H = r"[0-9A-Fa-f]{1,4}"
_GROUPS = rf"{_H}(?::{_H}){{0,6}}"
IPV6_SHAPE = (
    rf"(?:{_H}:){{7}}{_H}"  # full form
    rf"|{_GROUPS}::(?:{_GROUPS})?"  # compressed, groups before "::"
    rf"|::{_GROUPS}"  # compressed, leading "::" (the bare "::" is not matched)
    rf"|(?:{_H}:){{6}}{IPV4_SHAPE}"  # full form with embedded IPv4
    rf"|(?:{_GROUPS})?::(?:{_H}:){{0,5}}{IPV4_SHAPE}"  # compressed with embedded IPv4
)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _ipv4_validity(value: str) -> Validity:
    """IPv4 without the `ipaddress` module (ten times slower): the shape already bounds each
    octet to 0-255, so only the special ranges are left to tell apart."""
    octets = [int(o) for o in value.split(".")]
    first = octets[0]
    special = first in (0, 127) or first >= 224  # this-network, loopback, multicast, reserved
    return Validity.PLAUSIBLE if special else Validity.VALID


def validate(value: str) -> Validity:
    value = value.strip()
    if ":" not in value:
        return _ipv4_validity(value) if value.count(".") == 3 else Validity.INVALID
    addr = _parse(value)
    if addr is None:
        return Validity.INVALID
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    special = (
        addr.is_loopback
        or addr.is_unspecified
        or addr.is_multicast
        or addr.is_reserved
        or addr == ipaddress.IPv4Address("255.255.255.255")
    )
    return Validity.PLAUSIBLE if special else Validity.VALID


def normalize(value: str) -> str:
    """RFC 5952 text for IPv6 (lower case, longest zero run compressed); IPv4-mapped IPv6
    becomes the plain IPv4 address."""
    addr = _parse(value)
    if addr is None:
        return value.strip().lower()
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return str(addr.ipv4_mapped)
    return str(addr)


def mask(value: str) -> str:
    """Network prefix only: 192.168.*.* for IPv4, the first two groups for IPv6."""
    text = normalize(value)
    if ":" in text:
        return ":".join(text.split(":")[:2]) + ":*"
    return ".".join(text.split(".")[:2]) + ".*.*"


_CONTEXT = (
    "ip",
    "ip地址",
    "ipv4",
    "ipv6",
    "登录ip",
    "客户端ip",
    "来源ip",
    "访问ip",
    "公网ip",
    "网络地址",
    "ip address",
    "client ip",
    "remote_addr",
    "src_ip",
    "host",
)
# Dotted version numbers look like addresses. Context words are matched as substrings of a
# lower-cased window, so a bare "v" is deliberately not listed: it would hit "ipv4", "server"
# and "dev"; "v1.2.3.4" is already excluded by the left boundary. Likewise "oid" would hit
# "android"; OIDs (1.3.6.1.4.1...) are longer dotted runs that the boundaries already exclude.
_NEGATIVE = ("版本", "版本号", "固件", "version", "firmware", "build", "sku")

IPV4 = Recognizer(
    type="ip_address",
    shape=IPV4_SHAPE,
    validate=validate,
    normalize=normalize,
    mask=mask,
    context=_CONTEXT,
    negative=_NEGATIVE,
    base_score=0.6,
    # A dot on either side means a longer dotted run (version 1.2.3.4.5, OID 1.3.6.1.4.1).
    left="0-9A-Za-z.",
    right="0-9A-Za-z.",
    explain="IPv4 dotted quad accepted by the ipaddress module",
)

IPV6 = Recognizer(
    type="ip_address",
    shape=IPV6_SHAPE,
    validate=validate,
    normalize=normalize,
    mask=mask,
    context=_CONTEXT,
    negative=_NEGATIVE,
    base_score=0.7,
    # ':' and '.' on either side mean a longer colon or dotted run, not one address; this also
    # keeps the scan linear on long runs such as "a:a:a:...".
    left="0-9A-Za-z:.",
    right="0-9A-Za-z:.",
    explain="IPv6 address accepted by the ipaddress module",
)

RECOGNIZERS = (IPV4, IPV6)
