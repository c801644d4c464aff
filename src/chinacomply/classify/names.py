"""Evidence from a column's name: which entity type its name suggests, or that it names a
thing (an order, a SKU, an amount) rather than a person.

Names are one signal among several. Values decide when they are clear; a name lifts a weak
value signal (8-digit permit numbers, birth dates that look like any date) or breaks a tie.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from chinacomply import datafiles

_CJK = re.compile(r"[\u3400-\u9fff]")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[^0-9a-z\u3400-\u9fff]+")

EXACT = 1.0  # the whole name is an entry: "sfzh", "手机号"
TOKEN = 0.7  # one token is an entry: "customer_phone", "emp_sfzh"
CJK_PART = 0.9  # a Chinese entry inside the name: "客户手机号码"


@dataclass(frozen=True, slots=True)
class NameEvidence:
    """Types the name suggests with their strength, and whether it names a thing."""

    types: dict[str, float]
    negative: bool
    matched: dict[str, str]  # type -> the entry that matched, for the evidence text


@dataclass(frozen=True)
class _Vocabulary:
    exact: dict[str, tuple[str, ...]]  # compact entry -> types
    cjk: tuple[tuple[str, str], ...]  # (Chinese entry, type), longest first
    negative: frozenset[str]
    negative_cjk: tuple[str, ...]
    not_person: frozenset[str]
    not_person_cjk: tuple[str, ...]


def _compact(entry: str) -> str:
    return _SEPARATORS.sub("", entry.lower())


def tokens(name: str) -> list[str]:
    """Lower-case tokens of a column name: snake_case, kebab-case, camelCase and spaces."""
    return [t for t in _SEPARATORS.split(_CAMEL.sub("_", name).lower()) if t]


@cache
def _vocabulary() -> _Vocabulary:
    data = datafiles.load_yaml(
        datafiles.read_text("chinacomply.classify", "data/column_names.yaml")
    )
    exact: dict[str, list[str]] = {}
    cjk: list[tuple[str, str]] = []
    for type_, entries in data["types"].items():
        for raw in entries:
            entry = str(raw)
            exact.setdefault(_compact(entry), []).append(type_)
            if _CJK.search(entry):
                cjk.append((entry.lower(), type_))
    negative = [str(e) for e in data["negative"]]
    not_person = [str(e) for e in data["not_person"]]
    return _Vocabulary(
        exact={k: tuple(v) for k, v in exact.items()},
        cjk=tuple(sorted(cjk, key=lambda p: -len(p[0]))),
        negative=frozenset(_compact(e) for e in negative if not _CJK.search(e)),
        negative_cjk=tuple(e for e in negative if _CJK.search(e)),
        not_person=frozenset(e for e in not_person if not _CJK.search(e)),
        not_person_cjk=tuple(e for e in not_person if _CJK.search(e)),
    )


def _occurrences(text: str, entry: str) -> list[tuple[int, int]]:
    spans = []
    start = text.find(entry)
    while start >= 0:
        spans.append((start, start + len(entry)))
        start = text.find(entry, start + 1)
    return spans


def evidence(name: str) -> NameEvidence:
    """What the column name says, from the shipped vocabulary."""
    vocab = _vocabulary()
    lowered = name.lower()
    toks = tokens(name)
    found: dict[str, float] = {}
    matched: dict[str, str] = {}

    def note(type_: str, strength: float, entry: str) -> None:
        if strength > found.get(type_, 0.0):
            found[type_] = strength
            matched[type_] = entry

    for type_ in vocab.exact.get(_compact(name), ()):
        note(type_, EXACT, name)
    for tok in toks:
        for type_ in vocab.exact.get(tok, ()):
            note(type_, TOKEN, tok)
    for i in range(len(toks) - 1):  # two-token entries such as id_card inside emp_id_card
        pair = toks[i] + toks[i + 1]
        for type_ in vocab.exact.get(pair, ()):
            note(type_, TOKEN, f"{toks[i]}_{toks[i + 1]}")
    # Chinese entries, longest first; an entry found only inside a longer one that matched
    # says nothing of its own: 微信账号 is a WeChat ID, not the 账号 (account) inside it.
    claimed: list[tuple[int, int]] = []
    for entry, type_ in vocab.cjk:
        spans = _occurrences(lowered, entry)
        if not spans:
            continue
        if all(any(a <= s and e <= b for a, b in claimed) for s, e in spans):
            continue
        claimed.extend(spans)
        note(type_, CJK_PART, entry)

    about_thing = any(t in vocab.not_person for t in toks) or any(
        e in lowered for e in vocab.not_person_cjk
    )
    if about_thing:
        for type_ in ("person_name", "address"):
            found.pop(type_, None)
            matched.pop(type_, None)
    negative = (
        _compact(name) in vocab.negative
        or any(t in vocab.negative for t in toks)
        or any(e in lowered for e in vocab.negative_cjk)
    )
    return NameEvidence(found, negative, matched)
