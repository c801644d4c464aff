"""GB/T 2260 administrative division codes, shipped as data (`data/gb2260_regions.tsv`).

A resident ID number starts with the code of the county where it was issued, and codes change
over time: a number issued in 1985 may carry a code that has since been merged away. The table
keeps every code with the years it was in use, so "unknown region" means never seen at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from chinacomply import datafiles

# Province-level prefixes (first two digits) of GB/T 2260, plus 71 Taiwan, 81 Hong Kong,
# 82 Macao and 83 (residence permits of Taiwan residents).
PROVINCE_PREFIXES = frozenset(
    str(code)
    for block in (range(11, 16), range(21, 24), range(31, 38), range(41, 47), range(50, 55))
    for code in block
) | frozenset(str(code) for code in (*range(61, 66), 71, 81, 82, 83))


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    start_year: int | None  # None: in the first (1980) table
    end_year: int | None  # None: still in use


@cache
def regions() -> dict[str, tuple[Region, ...]]:
    """Every code with each name it has carried, loaded once from the shipped table."""
    table: dict[str, list[Region]] = {}
    text = datafiles.read_text("chinacomply.scan", "data/gb2260_regions.tsv")
    for line in text.splitlines():
        if not line or line.startswith("#") or line.startswith("code\t"):
            continue
        code, name, start, end = line.split("\t")
        region = Region(code, name, int(start) if start else None, int(end) if end else None)
        table.setdefault(code, []).append(region)
    return {code: tuple(spans) for code, spans in table.items()}


def is_known_region(code: str) -> bool:
    """True if the six-digit code appears in any edition of GB/T 2260 in the table."""
    return code in regions()


def region_name(code: str) -> str | None:
    """The most recent name of a code, or None if the code is unknown."""
    spans = regions().get(code)
    return spans[-1].name if spans else None
