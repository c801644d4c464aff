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
NEGATIVE_PENALTY = 0.5  # a look-alike word (订单号, 版本) and no context word: drop even a verified value
MIN_SCORE = 0.4
VERIFIED = 0.85  # score of a value that passed a checksum, before context


@dataclass(frozen=True)
class _Combined:
    regex: re.Pattern[str]
    recognizers: tuple[Recognizer, ...]  # index i is named group g{i}


@cache
def _combined() -> _Combined:
    recs = registry.shape_recognizers()
    parts = []
    for i, rec in enumerate(recs):
        pattern = rec.text_pattern
        if rec.case_insensitive:
            pattern = f"(?i:{pattern})"
        parts.append(f"(?P<g{i}>{pattern})")
    return _Combined(re.compile("|".join(parts)), recs)


def _score(rec: Recognizer, validity: Validity, text: str, start: int, end: int) -> float:
    """A verified value scores at least 0.85, a plausible one its base score; a context word
    adds, a look-alike word (订单号) next to it takes away."""
    around = context.window(text, start, end)
    positive = context.has_any(around, rec.context) is not None
    negative = context.has_any(around, rec.negative) is not None
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
        # characters may be another identifier too (18 digits: an ID, a card or a USCC):
        # every recognizer whose shape fits is checked and the best score wins, ties going
        # to registry order.
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
        if best is not None:
            yield Span(start, end, best[1].type, best[0], best[1].mask(value))


def _lexical_spans(text: str) -> Iterator[Span]:
    for rec in registry.lexical_recognizers():
        for start, end, score in rec.find(text):
            if score >= MIN_SCORE:
                yield Span(start, end, rec.type, score, rec.mask(text[start:end]))


def _without_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Keep the better of overlapping spans: higher score, then longer, then earlier."""
    ranked = sorted(spans, key=lambda s: (-s.score, -(s.end - s.start), s.start))
    kept: list[Span] = []
    for span in ranked:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: (s.start, s.end))


def find_spans(text: str, lexical: bool = True) -> list[Span]:
    """Every PI span in the text, sorted by offset, overlaps resolved."""
    spans = list(_shape_spans(text))
    if lexical:
        spans.extend(_lexical_spans(text))
    return _without_overlaps(spans)
