"""The word lists behind the lexical recognizers (person names, addresses), read on first use.

Names and addresses have no checksum: they are recognised by vocabulary. The lists are small
UTF-8 tables in `data/`, each naming its source and licence in a header comment, rebuilt by
`scripts/build_lexicons.py`. Each loader reads its file once (`functools.cache`), never at
import time, so importing the scanner stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from chinacomply import datafiles


def _lines(filename: str) -> list[str]:
    """Data lines of a shipped table: comments, blank lines and the column header dropped."""
    text = datafiles.read_text("chinacomply.scan", f"data/{filename}")
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
def translit_chars() -> dict[str, str]:
    """Han character of transliterated foreign names -> 'strong' (斯, 尔: rare elsewhere) or
    'weak' (安, 马: common in ordinary words too)."""
    found: dict[str, str] = {}
    for kind, chars in _rows("person_translit_chars.txt"):
        for ch in chars:
            found.setdefault(ch, kind)
    return found


@cache
def not_names() -> dict[str, str]:
    """Clubs, bookmakers and foreign places that read like transliterated names (桑德兰, 立博,
    夏威夷) -> 'club', 'bookmaker' or 'place'."""
    return {row[0]: row[1] for row in _rows("person_not_names.tsv")}


@cache
def common_words() -> dict[str, float]:
    """Ordinary words (方面, 高兴, 生活) -> log10 of occurrences per million words."""
    return {row[0]: float(row[1]) for row in _rows("common_words.tsv")}


@cache
def pinyin_syllables() -> frozenset[str]:
    """Toneless pinyin syllables, lower case."""
    return frozenset(_lines("pinyin_syllables.txt"))


@cache
def regions() -> dict[str, tuple[tuple[int, str], ...]]:
    """Division name, full or short form -> every (level, GB/T 2260 code) it names.

    Levels: 1 province, 2 prefecture, 3 county. One name can be several divisions (朝阳区 is in
    Beijing and in Changchun). A short form (广东, 深圳) is listed only for provinces and
    prefectures: county short forms (南山, 朝阳) are ordinary words too often to stand alone.
    """
    found: dict[str, list[tuple[int, str]]] = {}
    for name, short, level, code in _rows("address_regions.tsv"):
        entry = (int(level), code)
        found.setdefault(name, []).append(entry)
        if short and int(level) <= 2 and short != name:
            found.setdefault(short, []).append(entry)
    return {name: tuple(entries) for name, entries in found.items()}


@cache
def world_places() -> dict[str, str]:
    """Country, capital or major city name (Chinese) -> 'country' or 'city'."""
    return {row[0]: row[1] for row in _rows("address_world_places.tsv")}


@cache
def address_words() -> dict[str, tuple[str, ...]]:
    """Kind (admin, road, unit, estate, stop, negative) -> its words, longest listed first."""
    found: dict[str, list[str]] = {}
    for word, kind in _rows("address_words.tsv"):
        found.setdefault(kind, []).append(word)
    return {kind: tuple(words) for kind, words in found.items()}


def by_prefix(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """First two characters -> the names (two characters or more) starting with them, longest
    first: the index `scan` reads, one dict probe per text position."""
    table: dict[str, list[str]] = {}
    for name in names:
        if len(name) >= 2:
            table.setdefault(name[:2], []).append(name)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in table.items()}


def scan(table: dict[str, tuple[str, ...]], text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the longest listed name at each position where one starts.

    A dict probe per position runs several times faster in CPython than a regex alternation
    (even a trie) of thousands of names, which `re` tries branch by branch.
    """
    get = table.get
    for i in range(len(text) - 1):
        names = get(text[i : i + 2])
        if names:
            for name in names:
                if text.startswith(name, i):
                    yield i, i + len(name)
                    break
