"""Geographic coordinate pair (经纬度坐标): a latitude and a longitude in one value.

Two decimal degrees with at least four fractional digits (about 11 m, precise enough to place a
home), separated by a comma (half- or full-width) or a space, in either order, each optionally
followed by a degree sign and a hemisphere letter (N/S/E/W). Latitudes lie in [-90, 90] and
longitudes in [-180, 180] (WGS-84, and the GCJ-02/BD-09 offsets used by Chinese map services do
not change that). A pair is VALID when it places the point inside mainland China's bounding box
(latitude 3.8-53.6, longitude 73.4-135.1), PLAUSIBLE when it is a point elsewhere on Earth, and
INVALID when neither order gives a latitude and a longitude. The precise location of a person
is sensitive personal information under PIPL art. 28.
"""

from __future__ import annotations

import re

from chinacomply.scan.recognizer import Recognizer, Validity

_NUMBER = r"-?[0-9]{1,3}\.[0-9]{4,12}°?[NSEW]?"
_SEP = r" {0,2}[,，] {0,2}| {1,2}"
SHAPE = rf"{_NUMBER}(?:{_SEP}){_NUMBER}"

# Python-only parser (named groups never reach RE2).
_PART = r"(-?)([0-9]{1,3}\.[0-9]{4,12})°?([NSEW]?)"
_PAIR = re.compile(rf"{_PART}(?:{_SEP}){_PART}")

CHINA_LAT = (3.8, 53.6)
CHINA_LNG = (73.4, 135.1)


def _degrees(sign: str, number: str, hemisphere: str) -> float | None:
    """Signed degrees; a minus sign together with a hemisphere letter is contradictory."""
    if sign and hemisphere:
        return None
    value = float(number)
    return -value if sign or hemisphere in ("S", "W") else value


def _orders(value: str) -> list[tuple[float, float]]:
    """Every (latitude, longitude) reading of the pair that is in range, given order first."""
    m = _PAIR.fullmatch(value.strip())
    if m is None:
        return []
    first = (_degrees(m[1], m[2], m[3]), m[3])
    second = (_degrees(m[4], m[5], m[6]), m[6])
    readings = []
    for (lat, lat_h), (lng, lng_h) in ((first, second), (second, first)):
        if lat is None or lng is None or lat_h in ("E", "W") or lng_h in ("N", "S"):
            continue
        if -90 <= lat <= 90 and -180 <= lng <= 180:
            readings.append((lat, lng))
    return readings


def _in_china(lat: float, lng: float) -> bool:
    return CHINA_LAT[0] <= lat <= CHINA_LAT[1] and CHINA_LNG[0] <= lng <= CHINA_LNG[1]


def _best(value: str) -> tuple[float, float] | None:
    """The reading inside China if there is one, else the first reading in range."""
    readings = _orders(value)
    for lat, lng in readings:
        if _in_china(lat, lng):
            return lat, lng
    return readings[0] if readings else None


def validate(value: str) -> Validity:
    best = _best(value)
    if best is None:
        return Validity.INVALID
    return Validity.VALID if _in_china(*best) else Validity.PLAUSIBLE


def normalize(value: str) -> str:
    """The value as "lat,lng" with six decimals, latitude first whatever order was used."""
    best = _best(value)
    if best is None:
        return value.strip()
    lat, lng = best
    return f"{lat:.6f},{lng:.6f}"


def mask(value: str) -> str:
    """One decimal per axis (about 11 km): 39.9***,116.4***."""
    best = _best(value)
    if best is None:
        return "***"
    return ",".join(f"{int(v * 10) / 10:.1f}***" for v in best)


RECOGNIZER = Recognizer(
    type="geo_coordinate",
    shape=SHAPE,
    validate=validate,
    normalize=normalize,
    mask=mask,
    context=(
        "经纬度",
        "坐标",
        "位置",
        "定位",
        "经度",
        "纬度",
        "gps",
        "location",
        "coordinate",
        "coordinates",
        "latlng",
        "lat",
        "lng",
        "lon",
        "latitude",
        "longitude",
    ),
    negative=(
        "价格",
        "金额",
        "汇率",
        "单价",
        "版本",
        "price",
        "amount",
        "exchange rate",
        "version",
    ),
    base_score=0.6,
    # A '.' before the first number means a longer dotted run (1.39.9042 ...).
    left="0-9A-Za-z.",
    explain="latitude/longitude ranges and mainland China's bounding box",
)
