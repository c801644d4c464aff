"""Mainland fixed-line telephone number (固定电话号码 / 座机号码).

Rules from the national numbering plan (《电信网编号计划》, MIIT): a trunk prefix 0, then a
long-distance area code — 10 (Beijing) and 20-29 (the large cities) are two digits long and are
followed by an eight-digit local number; every other area code is three digits, 3-9 followed by
two digits, and is followed by a seven- or eight-digit local number. Local numbers never begin
with 0 (trunk prefix) or 1 (special services and mobile). Written forms accepted here: 010-
62345678, (010)62345678, 0755 8888 8888, +86 10 62345678 (international form drops the trunk
0), with an extension after 转 / 分机 / ext / a second dash. Whether a given three-digit area code
is actually assigned is not checked (no table ships), so shape and length rules decide.
"""

from __future__ import annotations

import re

from chinacomply.scan.recognizer import Recognizer, Validity

# Area codes without the trunk 0: two-digit (8-digit locals) and three-digit (7 or 8 digits).
_AREA2 = r"(?:10|2[0-9])"
_AREA3 = r"[3-9][0-9]{2}"
_LOCAL8 = r"[2-9][0-9]{3}[ -]?[0-9]{4}"
_LOCAL7OR8 = r"[2-9][0-9]{2,3}[ -]?[0-9]{4}"
_SEP = r"[ -]?"
_OPEN = r"[(（]"
_CLOSE = r"[)）]"
_EXT = r"(?:(?: ?(?:转|分机) ?| ?(?:ext|Ext|EXT)\.? ?|-)[0-9]{1,6})?"

SHAPE = (
    # Domestic form, area code with its trunk 0, optionally in (half- or full-width) brackets.
    rf"(?:0{_AREA2}|{_OPEN}0{_AREA2}{_CLOSE}){_SEP}{_LOCAL8}{_EXT}"
    rf"|(?:0{_AREA3}|{_OPEN}0{_AREA3}{_CLOSE}){_SEP}{_LOCAL7OR8}{_EXT}"
    # International form: +86 / 0086, then the area code without the trunk 0.
    rf"|(?:\+86|0086){_SEP}{_AREA2}{_SEP}{_LOCAL8}{_EXT}"
    rf"|(?:\+86|0086){_SEP}{_AREA3}{_SEP}{_LOCAL7OR8}{_EXT}"
)

# Python-only parser (groups allowed here: it never runs in RE2) splitting a matched value.
_PARTS = re.compile(
    r"(?:(?:\+86|0086)[ -]?|[(（]?0)"
    r"(?P<area>10|2[0-9]|[3-9][0-9]{2})[)）]?[ -]?"
    r"(?P<local>[0-9]{3,4}[ -]?[0-9]{4})"
    r"(?:(?: ?(?:转|分机) ?| ?(?:ext|Ext|EXT)\.? ?|-)(?P<ext>[0-9]{1,6}))?"
)


def _split(value: str) -> tuple[str, str, str] | None:
    """(area code with trunk 0, local number, extension) of a written number, or None."""
    m = _PARTS.fullmatch(value.strip())
    if m is None:
        return None
    local = m.group("local").replace(" ", "").replace("-", "")
    return "0" + m.group("area"), local, m.group("ext") or ""


def validate(value: str) -> Validity:
    """Area-code length decides the local-number length; locals cannot start with 0 or 1."""
    parts = _split(value)
    if parts is None:
        return Validity.INVALID
    area, local, _ext = parts
    if local[0] in "01":
        return Validity.INVALID
    wanted = (8,) if len(area) == 3 else (7, 8)
    return Validity.VALID if len(local) in wanted else Validity.INVALID


def normalize(value: str) -> str:
    """Area code (with the trunk 0) followed by the local number; the extension is dropped,
    so one line counts once however it is written."""
    parts = _split(value)
    if parts is None:
        return "".join(ch for ch in value if ch.isdigit())
    area, local, _ext = parts
    return area + local


def mask(value: str) -> str:
    """Area code and the last two digits: 0755******88."""
    digits = normalize(value)
    area_len = 3 if digits[:2] == "01" or digits[:2] == "02" else 4
    return digits[:area_len] + "*" * max(len(digits) - area_len - 2, 0) + digits[-2:]


RECOGNIZER = Recognizer(
    type="landline",
    shape=SHAPE,
    validate=validate,
    normalize=normalize,
    mask=mask,
    context=(
        "座机",
        "固话",
        "固定电话",
        "电话",
        "办公电话",
        "联系电话",
        "传真",
        "总机",
        "分机",
        "tel",
        "telephone",
        "phone",
        "fax",
        "landline",
    ),
    negative=("订单", "单号", "编号", "流水", "运单", "快递", "货号", "条码", "order", "sku"),
    base_score=0.6,
    left="0-9A-Za-z+",
    explain="area code and local-number lengths of the mainland numbering plan",
)
