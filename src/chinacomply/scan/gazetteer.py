"""The word lists behind the lexical recognizers (person names, addresses), read on first use.

Names and addresses have no checksum: they are recognised by vocabulary. The lists are small
UTF-8 tables in `data/`, each naming its source and licence in a header comment, rebuilt by
`scripts/build_lexicons.py`. Each loader reads its file once (`functools.cache`), never at
import time, so importing the scanner stays cheap.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


def _lines(filename: str) -> list[str]:
    """Data lines of a shipped table: comments, blank lines and the column header dropped."""
    text = resources.files("chinacomply.scan").joinpath(f"data/{filename}").read_text("utf-8")
    lines = [line for line in text.split("\n") if line and not line.startswith("#")]
    if lines and "\t" in lines[0] and filename.endswith(".tsv"):
        lines = lines[1:]  # column names
    return lines


def _rows(filename: str) -> list[list[str]]:
    return [line.split("\t") for line in _lines(filename)]


@cache
def surnames() -> dict[str, tuple[float, str]]:
    """Surname -> (share of the population in per cent, usual pinyin)."""
    return {row[0]: (float(row[1]), row[2]) for row in _rows("person_surnames.tsv")}


@cache
def name_chars() -> dict[str, tuple[float, float]]:
    """Han character -> (per million characters of given names, per million of general text)."""
    return {row[0]: (float(row[1]), float(row[2])) for row in _rows("person_name_chars.tsv")}


@cache
def known_names() -> frozenset[str]:
    """Person names frequent in a large web corpus (public figures, transliterated names)."""
    return frozenset(_lines("person_known_names.txt"))


@cache
def lookalike_words() -> dict[str, float]:
    """Ordinary words that begin or end with a surname character -> log10 per million words."""
    return {row[0]: float(row[1]) for row in _rows("person_lookalike_words.tsv")}


@cache
def pinyin_syllables() -> frozenset[str]:
    """Toneless pinyin syllables, lower case."""
    return frozenset(_lines("pinyin_syllables.txt"))


@cache
def regions() -> dict[str, tuple[int, str]]:
    """Division name, full or short form -> (level: 1 province, 2 prefecture, 3 county, code).

    A short form (广东, 深圳) is listed only for provinces and prefectures: county short forms
    (南山, 朝阳) are ordinary words far too often to stand for a place on their own.
    """
    found: dict[str, tuple[int, str]] = {}
    for name, short, level, code in _rows("address_regions.tsv"):
        entry = (int(level), code)
        found.setdefault(name, entry)
        if short and int(level) <= 2:
            found.setdefault(short, entry)
    return found


@cache
def world_places() -> dict[str, str]:
    """Country, capital or major city name (Chinese) -> 'country' or 'city'."""
    return {row[0]: row[1] for row in _rows("address_world_places.tsv")}


@cache
def address_words() -> dict[str, str]:
    """Address word (路, 号, 单元, 小区...) -> its kind (see data/address_words.tsv)."""
    return {row[0]: row[1] for row in _rows("address_words.tsv")}
