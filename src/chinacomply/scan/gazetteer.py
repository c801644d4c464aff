"""The word lists behind the lexical recognizers (person names, addresses), read on first use.

Names and addresses have no checksum: they are recognised by vocabulary. The lists are small
UTF-8 tables in `data/`, each naming its source and licence in a header comment, rebuilt by
`scripts/build_lexicons.py`. Each loader reads its file once (`functools.cache`), never at
import time, so importing the scanner stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from chinacomply import datafiles

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


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


# Characters are looked up in numpy tables by code point; one beyond the Basic Multilingual Plane
# (emoji, rare Han of Extension B on: no list has one) reads as CODE_LIMIT, a slot of its own.
CODE_LIMIT = 0x10000


def slot(ch: str) -> int:
    """The index of a character in a table read with `codes`."""
    return min(ord(ch), CODE_LIMIT)


# Below this many characters numpy's fixed cost per call (some microseconds an operation)
# outweighs what it saves: the lexical recognizers then look at every position in Python.
SHORT_TEXT = 128  # measured: the two paths break even at about 90 (addresses) to 140 (names)


def codes(text: str) -> npt.NDArray[np.uint32]:
    """The code point of each character of the text, capped at CODE_LIMIT, for numpy look-ups.

    One encode and one minimum, in C: the lexical recognizers index their per-character tables
    with it to find, for the whole text at once, the few positions worth a look in Python.
    """
    import numpy as np

    raw = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    capped: npt.NDArray[np.uint32] = np.minimum(raw, np.uint32(CODE_LIMIT))
    return capped


@dataclass(frozen=True)
class Prefixes:
    """Listed names (two characters or more) by their first two characters.

    `names` is the dict `scan` and callers probe at a given position. The same character pairs
    are also a membership matrix, stored flat: `rows` gives a character's row offset in `pairs`
    and `cols` its column (0 for a character that starts or continues no pair), so `starts`
    tests every position of a text at once in numpy instead of slicing and probing the dict at
    each one in Python.
    """

    names: dict[str, tuple[str, ...]]
    rows: npt.NDArray[np.int32]  # capped code point -> offset of its row in `pairs`
    cols: npt.NDArray[np.int32]  # capped code point -> column in a row
    pairs: npt.NDArray[np.bool_]  # [row offset + column] -> some listed name starts so

    def starts(
        self, first: npt.NDArray[np.uint32], second: npt.NDArray[np.uint32]
    ) -> npt.NDArray[np.bool_]:
        """For each pair of characters (codes `first[k]`, `second[k]`), whether a listed name
        starts with it. (`np.take` on the flat table: about three times faster than indexing a
        two-dimensional one.)"""
        import numpy as np

        where = np.take(self.rows, first) + np.take(self.cols, second)
        found: npt.NDArray[np.bool_] = np.take(self.pairs, where)
        return found


def by_prefix(names: Iterable[str]) -> Prefixes:
    """The names (two characters or more) indexed by their first two characters, longest first
    under each pair."""
    import numpy as np

    table: dict[str, list[str]] = {}
    for name in names:
        if len(name) >= 2:
            table.setdefault(name[:2], []).append(name)
    firsts = sorted({slot(pair[0]) for pair in table})
    seconds = sorted({slot(pair[1]) for pair in table})
    width = len(seconds) + 1
    rows = np.zeros(CODE_LIMIT + 1, dtype=np.int32)
    cols = np.zeros(CODE_LIMIT + 1, dtype=np.int32)
    rows[firsts] = np.arange(1, len(firsts) + 1) * width
    cols[seconds] = np.arange(1, width)
    pairs = np.zeros((len(firsts) + 1) * width, dtype=np.bool_)
    for pair in table:
        pairs[rows[slot(pair[0])] + cols[slot(pair[1])]] = True
    return Prefixes(
        names={k: tuple(sorted(v, key=len, reverse=True)) for k, v in table.items()},
        rows=rows,
        cols=cols,
        pairs=pairs,
    )


def scan(
    table: Prefixes, text: str, code: npt.NDArray[np.uint32] | None = None
) -> Iterator[tuple[int, int]]:
    """(start, end) of the longest listed name at each position where one starts, in order.

    numpy marks the positions whose two characters start a listed name (a few per cent of a
    text); only there does Python compare names. A regex alternation of thousands of names is
    no alternative: `re` tries the branches one by one at every position. `code` is
    `codes(text)` when the caller has it already; a text shorter than SHORT_TEXT needs none.
    """
    starts: Iterable[int] = range(len(text) - 1)  # a short text: a dict probe at each position
    if len(text) >= SHORT_TEXT:
        import numpy as np

        code = codes(text) if code is None else code
        starts = np.flatnonzero(table.starts(code[:-1], code[1:])).tolist()
    get = table.names.get
    for i in starts:
        names = get(text[i : i + 2])  # None only if capping merged two characters
        if names:
            for name in names:
                if text.startswith(name, i):
                    yield i, i + len(name)
                    break
