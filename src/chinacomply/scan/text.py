"""Find PI spans in free text: one combined pass of every shape recognizer, validation, a
character-window context, then the lexical recognizers (names, addresses), overlaps resolved.

Offsets are Unicode code points of the input (Python string indices). Only masked values leave
this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from chinacomply.model import Span
from chinacomply.scan import context, registry
from chinacomply.scan.recognizer import Recognizer, Validity

CONTEXT_BOOST = 0.35  # a context word next to a plausible value
NEGATIVE_PENALTY = (
    0.5  # a look-alike word (订单号, 版本) and no context word: drop even a verified value
)
MIN_SCORE = 0.4
VERIFIED = 0.85  # score of a value that passed a checksum, before context


# Every identifier starts with one of these characters: ASCII letters and digits, + ( and :
# (phones, landlines, IPv6 "::"), - (negative coordinates), a province character (plates) or
# 使 (embassy plates). A look-ahead for them in front of the combined pattern lets the regex
# engine skip Chinese prose at C speed instead of trying every recognizer at every character;
# tests/test_text.py checks the guard loses nothing.
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
FIRST_CHARS = rf"0-9A-Za-z+(:\-{_PROVINCES}使"


@dataclass(frozen=True)
class _Combined:
    regex: re.Pattern[str]
    recognizers: tuple[Recognizer, ...]  # index i is named group g{i}


def combined_pattern() -> str:
    """Every recognizer's text pattern as one alternation with a named group each, in registry
    order, behind the first-character guard."""
    parts = []
    for i, rec in enumerate(registry.shape_recognizers()):
        pattern = f"(?i:{rec.text_pattern})" if rec.case_insensitive else rec.text_pattern
        parts.append(f"(?P<g{i}>{pattern})")
    return f"(?=[{FIRST_CHARS}])(?:{'|'.join(parts)})"


@cache
def _combined() -> _Combined:
    return _Combined(re.compile(combined_pattern()), registry.shape_recognizers())


def _score(rec: Recognizer, validity: Validity, text: str, start: int, end: int) -> float:
    """A verified value scores at least 0.85, a plausible one its base score; a context word
    adds, a look-alike word (订单号) next to it takes away."""
    around = context.window(text, start, end)
    positive = context.has_any(around, rec.context) is not None
    negative = not positive and context.has_any(around, rec.negative) is not None
    if rec.needs_context and not positive:
        return 0.0
    score = max(rec.base_score, VERIFIED) if validity is Validity.VALID else rec.base_score
    if positive:
        score = min(1.0, score + CONTEXT_BOOST)
    if negative and not positive:
        score -= NEGATIVE_PENALTY
    return score


def _shape_spans(text: str) -> Iterator[Span]:
    combined = _combined()
    recs = combined.recognizers
    for m in combined.regex.finditer(text):
        first = int(m.lastgroup[1:]) if m.lastgroup else 0
        value = m.group()
        start, end = m.span()
        # The first alternative that matched wins the position in the regex, but the same
        # characters may be another identifier too (18 digits: an ID, else a card or a USCC).
        # Unless the first one is fully verified, every later recognizer whose shape fits is
        # checked and the best score wins, ties going to registry order.
        best: tuple[float, Recognizer] | None = None
        for i in range(first, len(recs)):
            rec = recs[i]
            if i != first and not rec.cell_regex.match(value):
                continue
            validity = rec.validate(value)
            if validity is Validity.INVALID:
                continue
            score = _score(rec, validity, text, start, end)
            if score >= MIN_SCORE and (best is None or score > best[0]):
                best = (score, rec)
            if validity is Validity.VALID and i == first:
                break
        if best is not None:
            yield Span(start, end, best[1].type, best[0], best[1].mask(value))


def _lexical_spans(text: str) -> Iterator[Span]:
    for rec in registry.lexical_recognizers():
        for start, end, score in rec.find(text):
            if score >= MIN_SCORE:
                yield Span(start, end, rec.type, score, rec.mask(text[start:end]))


def _without_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Keep the better of overlapping spans: higher score, then longer, then earlier.

    Spans are swept in offset order into clusters of mutually reachable overlaps; only within
    a cluster (a handful of spans) is anything compared, so dense text stays linear.
    """
    kept: list[Span] = []
    cluster: list[Span] = []
    cluster_end = -1
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if span.start >= cluster_end and cluster:
            kept.extend(_resolve(cluster))
            cluster = []
        cluster.append(span)
        cluster_end = max(cluster_end, span.end) if len(cluster) > 1 else span.end
    kept.extend(_resolve(cluster))
    return kept


def _resolve(cluster: list[Span]) -> list[Span]:
    if len(cluster) <= 1:
        return cluster
    chosen: list[Span] = []
    for span in sorted(cluster, key=lambda s: (-s.score, -(s.end - s.start), s.start)):
        if all(span.end <= k.start or span.start >= k.end for k in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: (s.start, s.end))


def find_spans(text: str, lexical: bool = True) -> list[Span]:
    """Every PI span in the text, sorted by offset, overlaps resolved."""
    spans = list(_shape_spans(text))
    if not lexical:
        return spans  # one left-to-right regex pass: already ordered and disjoint
    spans.extend(_lexical_spans(text))
    return _without_overlaps(spans)
