"""Postal addresses (地址) in cells and in running Chinese text.

An address that locates a person is a chain of parts from coarse to fine: province, prefecture
and county (广东省深圳市南山区, names and short forms from the GB/T 2260 table), then town or
street (科技园路), a number (1号) and perhaps a building, unit and room (3栋2单元501室). A
part alone is weak: "北京" names a place, not anyone's home, and scores below 0.5 in a cell;
a street with a number scores high. The chain is read left to right by small regexes built
once from the shipped word lists, and divisions must nest (深圳 inside 广东, not 北京上海).

`find` reports chains that locate an individual (a street, a numbered building, or at least
two nested divisions). `find_with_places` also reports bare place names (北京, 美国) with a low
score: that is what CLUENER's `address` label counts, and what a benchmark against it needs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from chinacomply.scan import gazetteer
from chinacomply.scan.recognizer import LexicalRecognizer

HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
DIGIT = "0-9０-９"
CN_DIGIT = "一二三四五六七八九十百千零〇两"
SEPARATOR = r"[ \u3000,，]?"  # one space or comma may sit between parts of a written address

# Scores by the finest part a chain reaches.
PLACE_SCORE = 0.3  # one division or a country: a place, not an address
REGION_SCORE = 0.55  # nested divisions only: 上海市浦东新区
STREET_SCORE = 0.75  # a street, a town or a compound: 杭州市西湖区文三路
STREET_ALONE_SCORE = 0.6  # a street name and nothing else: 文三路
NUMBER_SCORE = 0.9  # a street or compound with a number: 科技园路1号
ROOM_SCORE = 0.97  # down to a building, unit or room: 3栋2单元501室


def _char_class(ranges: tuple[tuple[int, int], ...], without: str, extra: str = "") -> str:
    """A regex character class of the ranges minus the characters `without`."""
    holes = sorted({ord(c) for c in without})
    parts: list[str] = []
    for low, high in ranges:
        start = low
        for hole in holes:
            if low <= hole <= high and hole >= start:
                if hole > start:
                    parts.append(f"{chr(start)}-{chr(hole - 1)}")
                start = hole + 1
        if start <= high:
            parts.append(f"{chr(start)}-{chr(high)}")
    return "[" + "".join(parts) + extra + "]"


def _alternation(words: tuple[str, ...]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) + ")"


@dataclass(frozen=True)
class _Patterns:
    start: re.Pattern[str]  # the end of a numbered street or compound (路1号)
    name_char: re.Pattern[str]  # a character a street or compound name may have
    parts: tuple[tuple[str, re.Pattern[str]], ...]  # (kind, pattern) tried in order
    region_starts: gazetteer.Prefixes  # division names by their first two characters
    place_starts: gazetteer.Prefixes  # the same for divisions and world places
    negative: tuple[str, ...]  # organisation endings (公司, 医院)
    regions: dict[str, tuple[tuple[int, str], ...]]


@cache
def _patterns() -> _Patterns:
    words = gazetteer.address_words()
    regions = {
        name: entries
        for name, entries in gazetteer.regions().items()
        if len(name) >= 2 and not name.endswith("辖区") and "直辖" not in name
    }
    name = _char_class(HAN_RANGES, "".join(words["stop"]))
    admin = _alternation(words["admin"])
    road = _alternation(words["road"])
    unit = _alternation(words["unit"])
    estate = _alternation(words["estate"])
    digits = f"[{DIGIT}]{{1,6}}(?:[-－—][{DIGIT}]{{1,6}}){{0,3}}"
    number = f"(?:{digits}|[{CN_DIGIT}]{{1,4}}|[A-Za-zＡ-Ｚａ-ｚ])"
    numbered = f"{number}{unit}"
    parts = (
        ("numbered", re.compile(numbered)),
        ("admin", re.compile(f"{name}{{1,6}}?{admin}")),
        ("road", re.compile(f"{name}{{1,8}}{road}")),
        ("estate", re.compile(f"{name}{{1,8}}?{estate}")),
        ("number", re.compile(f"[{DIGIT}]{{1,6}}(?:[-－—][{DIGIT}]{{1,6}}){{0,3}}")),
    )
    # A chain starts at a division name or at a street or compound name followed by a number.
    # Division names are looked up by their first two characters (`gazetteer.scan`, far faster
    # than a regex of thousands of names); a numbered street is found by the last
    # character of its street word and the number after it, and its name read backwards.
    last_chars = "".join(sorted({w[-1] for w in (*words["road"], *words["estate"])}))
    start = re.compile(f"[{last_chars}]{SEPARATOR}{numbered}")
    places = {*regions, *gazetteer.world_places()}
    return _Patterns(
        start,
        re.compile(name),
        parts,
        gazetteer.by_prefix(regions),
        gazetteer.by_prefix(places),
        words["negative"],
        regions,
    )


@dataclass(frozen=True)
class _Part:
    kind: str
    start: int
    end: int


def _nests(
    patterns: _Patterns, previous: list[tuple[int, str]], name: str
) -> list[tuple[int, str]]:
    """Entries of `name` that sit inside one of `previous` (empty list: they do not nest)."""
    entries = list(patterns.regions.get(name, ()))
    if not previous:
        return entries
    fitting = []
    for level, code in entries:
        for prev_level, prev_code in previous:
            if level > prev_level and code[: 2 * prev_level] == prev_code[: 2 * prev_level]:
                fitting.append((level, code))
                break
    return fitting


def _region_at(patterns: _Patterns, text: str, at: int, limit: int) -> int:
    """End of the longest division name starting at `at`, or -1."""
    for name in patterns.region_starts.names.get(text[at : at + 2], ()):
        if at + len(name) <= limit and text.startswith(name, at):
            return at + len(name)
    return -1


def _region_part(
    patterns: _Patterns,
    text: str,
    at: int,
    end: int,
    limit: int,
    regions_so_far: list[tuple[int, str]],
) -> _Part | None:
    """The division at [at, end) as a part, a street that merely starts with a division's name
    (中山路), or None when it does not nest in the divisions before it (北京上海)."""
    if not _nests(patterns, regions_so_far, text[at:end]):
        return None
    follows = _region_at(patterns, text, end, limit) > 0 or any(
        p.match(text, end, limit) for k, p in patterns.parts if k != "number"
    )
    if not follows:
        longer = [p.match(text, at, limit) for k, p in patterns.parts if k in ("road", "estate")]
        best = max((m for m in longer if m), key=lambda m: m.end(), default=None)
        if best is not None and best.end() > end:
            return _Part("road", at, best.end())
    return _Part("region", at, end)


def _chain(patterns: _Patterns, text: str, pos: int, limit: int) -> list[_Part]:
    """Parts of the address starting at `pos`, read as far as they go."""
    parts: list[_Part] = []
    regions_so_far: list[tuple[int, str]] = []
    while pos < limit:
        at = pos
        if parts and text[pos] in " \u3000,，" and pos + 1 < limit:
            at = pos + 1
        found: _Part | None = None
        region_end = _region_at(patterns, text, at, limit)
        if region_end > 0:
            found = _region_part(patterns, text, at, region_end, limit, regions_so_far)
            if found is not None:
                if found.kind == "region":
                    regions_so_far = _nests(patterns, regions_so_far, text[at:region_end])
                parts.append(found)
                pos = found.end
                continue
        for kind, pattern in patterns.parts:
            if kind == "number" and (not parts or parts[-1].kind not in ("numbered", "number")):
                continue  # a bare number only after a numbered part: 2单元501
            if kind in ("admin", "estate", "number") and not parts:
                continue
            match = pattern.match(text, at, limit)
            if not match:
                continue
            found = _Part(kind, at, match.end())
            break
        if found is None:
            break
        parts.append(found)
        pos = found.end
    return parts


def _score(parts: list[_Part]) -> float:
    kinds = [p.kind for p in parts]
    if not kinds:
        return 0.0
    numbered = kinds.count("numbered") + kinds.count("number")
    has_street = any(k in ("road", "estate", "admin") for k in kinds)
    if has_street and numbered >= 2:
        return ROOM_SCORE
    if has_street and numbered:
        return NUMBER_SCORE
    if numbered >= 2:
        return STREET_SCORE  # 3栋2单元501室 without a street: a fragment of an address
    if has_street:
        return STREET_SCORE if "region" in kinds or len(kinds) > 1 else STREET_ALONE_SCORE
    if kinds.count("region") >= 2:
        return REGION_SCORE
    return PLACE_SCORE


def _trim(patterns: _Patterns, text: str, parts: list[_Part]) -> list[_Part]:
    """Drop a trailing part that is an organisation's name (北京市朝阳区人民医院 -> region only)."""
    while parts and text[parts[-1].start : parts[-1].end].endswith(patterns.negative):
        parts = parts[:-1]
    return parts


def _street_start(patterns: _Patterns, text: str, anchor: int) -> int:
    """Where the name of a numbered street begins: two to six name characters before the
    character at `anchor` (the last of 路, 大街, 小区...), or -1."""
    begin = anchor
    while begin > 0 and anchor - begin < 6 and patterns.name_char.match(text, begin - 1):
        begin -= 1
    return begin if anchor - begin >= 1 else -1


def _starts(patterns: _Patterns, text: str) -> list[int]:
    """Positions where an address chain may begin, in order."""
    found = {start for start, _ in gazetteer.scan(patterns.region_starts, text)}
    for match in patterns.start.finditer(text):
        begin = _street_start(patterns, text, match.start())
        if begin >= 0:
            found.add(begin)
    return sorted(found)


def _spans(text: str, places: bool) -> list[tuple[int, int, float]]:
    patterns = _patterns()
    found: list[tuple[int, int, float]] = []
    pos = 0
    limit = len(text)
    for begin in _starts(patterns, text):
        if begin < pos:
            continue
        parts = _chain(patterns, text, begin, limit)
        if not parts:
            continue
        end = parts[-1].end
        # The chain must not stop inside an organisation's name (北京大学, 上海银行).
        tail = text[end : end + 4]
        score = _score(_trim(patterns, text, parts))
        if tail.startswith(patterns.negative) and score <= REGION_SCORE:
            score = 0.0
        if score >= 0.5 or (places and score > 0.0):
            found.append((parts[0].start, end, score))
        pos = end
    if places:
        taken = {i for s, e, _ in found for i in range(s, e)}
        for s, e in gazetteer.scan(patterns.place_starts, text):
            if s not in taken and not any(i in taken for i in range(s, e)):
                found.append((s, e, PLACE_SCORE))
                taken.update(range(s, e))
        found.sort()
    return found


def find(text: str) -> list[tuple[int, int, float]]:
    """Address spans that locate an individual (street, number, or nested divisions)."""
    return _spans(text, places=False)


def find_with_places(text: str) -> list[tuple[int, int, float]]:
    """Addresses plus bare place names (北京, 美国) scored 0.3, as CLUENER labels them."""
    return _spans(text, places=True)


def score_value(cell: str) -> float:
    """How strongly a whole cell looks like a postal address, 0..1."""
    value = unicodedata.normalize("NFKC", cell).strip()
    if not 2 <= len(value) <= 120:
        return 0.0
    patterns = _patterns()
    if value.endswith(patterns.negative):
        return 0.1  # 北京字节跳动科技有限公司, 深圳市人民医院: an organisation
    parts = _chain(patterns, value, 0, len(value))
    if not parts:
        return 0.0
    covered = parts[-1].end if parts else 0
    score = _score(parts)
    rest = value[covered:].strip(" ,，;；()（）")
    if rest:
        share = 1.0 - len(rest) / len(value)
        # A numbered street then a name the lists lack (18号国际贸易大厦A座) is still an address;
        # anything less followed by something else is not (北京欢迎你).
        numbered = score >= NUMBER_SCORE
        score = max(0.6, score * share) if numbered else min(score * share**2, 0.45)
    return round(score, 4)


def normalize(value: str) -> str:
    """NFKC (full-width digits to ASCII), no spaces: one address written two ways counts once."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))


def mask(value: str) -> str:
    """Keep the province and prefecture, star the rest: 广东省深圳市****."""
    value = value.strip()
    patterns = _patterns()
    parts = _chain(patterns, value, 0, len(value)) if value else []
    keep = 0
    for part in parts:
        if part.kind != "region":
            break
        levels = [lvl for lvl, _ in patterns.regions.get(value[part.start : part.end], ())]
        if not levels or min(levels) > 2:
            break
        keep = part.end
    if keep >= len(value):
        keep = 0  # the whole value is a place: keep none of it
    head = value[:keep] if keep else value[:1] if len(value) > 1 else ""
    masked = head + "****" if head else "*"
    return masked if masked != value else "*" * (len(value) + 1)


RECOGNIZER = LexicalRecognizer(
    type="address",
    score_value=score_value,
    find=find,
    normalize=normalize,
    mask=mask,
    explain="GB/T 2260 divisions nesting into street, number, building and room",
)
