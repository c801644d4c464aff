"""The explicit label of text (GB 45438-2025 §5.1, LBL25 Art. 4(1)): a prompt readers see, made
of an AI element ("人工智能" or "AI") and a generation/synthesis element ("生成" or "合成"), placed
at the beginning or the end of the text.

The standard also allows "a suitable middle position" and labels in the interface around the
text; neither can be judged from the text alone, so this module only looks where a reader looks
first and last: the first and last `WINDOW` characters of the content (after any byte-order mark
and YAML front matter). The two elements must stand close together (`MAX_GAP` characters), so
a sentence that mentions AI and, much later, synthesis is not taken for a label. "AI" counts only
as a word of its own ("MAIL", "AIR" and "AIGC" do not contain it), in any case, full-width
letters included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from chinacomply.rules import law

WINDOW = 200  # characters read at each end of the content
MAX_GAP = 20  # characters allowed between the AI element and the generation element
BOM = "\ufeff"
POSITIONS = ("prefix", "suffix")
DEFAULT_WORDING = "本内容由人工智能生成"

# Where a phrase ends: a line break or a sentence's end punctuation, Chinese or Latin.
_PHRASE_ENDS = "\n\r。！？；!?;"
# Full-width ASCII (U+FF01-FF5E) read as ASCII, one character for one, so offsets stay valid.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_OPENING = re.compile(r"---[ \t]*\r?\n")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Found:
    """An explicit label in a text: the phrase holding both elements and its offsets."""

    start: int
    end: int
    phrase: str


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """Offsets of a YAML front-matter block at the very top of a text: the opening `---` line
    starts at `start`, the YAML runs from `content_start` to `content_end` (where the closing
    `---` or `...` line starts), and the content after the block begins at `end`."""

    start: int
    content_start: int
    content_end: int
    end: int


def front_matter(text: str) -> FrontMatter | None:
    """The front-matter block, if the text (after a byte-order mark) opens with a `---` line and
    a later line closes it. Only the very top counts: a `---` further down is a Markdown rule."""
    start = 1 if text.startswith(BOM) else 0
    opening = _OPENING.match(text, start)
    if opening is None:
        return None
    closing = _CLOSING.search(text, opening.end())
    if closing is None:
        return None
    return FrontMatter(start, opening.end(), closing.start(), closing.end())


def body_start(text: str) -> int:
    """Where the content a reader sees begins: after the byte-order mark and front matter."""
    block = front_matter(text)
    if block is not None:
        return block.end
    return 1 if text.startswith(BOM) else 0


def find_label(text: str, on: date) -> Found | None:
    """The explicit label at the beginning or else the end of the text, or None.

    Raises LawDataError for a date before the labelling rules took effect."""
    ai, generation = _element_patterns(on)
    first = body_start(text)
    content = text[first:]
    lead = first + len(content) - len(content.lstrip())
    stop = first + len(content.rstrip())
    if lead >= stop:
        return None
    for window in ((lead, min(stop, lead + WINDOW)), (max(lead, stop - WINDOW), stop)):
        found = _find_in(text, window, ai, generation)
        if found is not None:
            return found
    return None


def add_label(
    text: str,
    on: date,
    position: str = "prefix",
    wording: str = DEFAULT_WORDING,
) -> str:
    """The text with an explicit label line at its beginning ("prefix", after any front matter,
    which must stay first for Markdown tools) or its end ("suffix"). A text that already has a
    label is returned unchanged, so labelling twice never stacks labels.

    Raises ValueError when the wording lacks an element or the position is unknown."""
    if position not in POSITIONS:
        raise ValueError(f"position must be 'prefix' or 'suffix', not {position!r}")
    check_wording(wording, on)
    if find_label(text, on) is not None:
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    first = body_start(text)
    if not text[first:].strip():
        labelled = text[:first] + wording + newline
    elif position == "prefix":
        # A blank line keeps the label its own paragraph in Markdown.
        labelled = text[:first] + wording + newline + newline + text[first:]
    else:
        ending = "" if text.endswith("\n") else newline
        labelled = text + ending + newline + wording + newline
    if find_label(labelled, on) is None:
        raise ValueError("the wording's elements are too far from its start and end to be found")
    return labelled


def check_wording(wording: str, on: date) -> None:
    """Refuse a wording that is not a valid label by itself: one line, both elements, close
    together. Raises ValueError naming what is missing."""
    if "\n" in wording or "\r" in wording:
        raise ValueError("the wording must be a single line")
    ai, generation = _element_patterns(on)
    ai_words, generation_words = _elements(on)
    if ai.search(_folded(wording)) is None:
        raise ValueError(f"the wording has no AI element (one of {', '.join(ai_words)})")
    if generation.search(_folded(wording)) is None:
        raise ValueError(
            f"the wording has no generation element (one of {', '.join(generation_words)})"
        )
    if _find_in(wording, (0, len(wording)), ai, generation) is None:
        raise ValueError(
            f"the wording's AI and generation elements are more than {MAX_GAP} characters apart"
        )


def _elements(on: date) -> tuple[tuple[str, ...], tuple[str, ...]]:
    ai = law.parameter("aigc.explicit.ai_elements", on).value
    generation = law.parameter("aigc.explicit.generation_elements", on).value
    return tuple(ai), tuple(generation)


def _element_patterns(on: date) -> tuple[re.Pattern[str], re.Pattern[str]]:
    ai, generation = _elements(on)
    return _pattern(ai), _pattern(generation)


@cache
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a set of element words; a Latin word ("AI") matches in any case and only
    where no Latin letter touches it, so it is never a piece of a longer word."""
    parts = []
    for word in words:
        escaped = re.escape(word)
        if word.isascii() and word.isalpha():
            escaped = f"(?<![A-Za-z]){escaped}(?![A-Za-z])"
        parts.append(escaped)
    return re.compile("|".join(parts), re.IGNORECASE)


def _folded(text: str) -> str:
    return text.translate(_HALF_WIDTH)


def _find_in(
    text: str, window: tuple[int, int], ai: re.Pattern[str], generation: re.Pattern[str]
) -> Found | None:
    """The first pair of elements close together inside text[window], widened to its phrase."""
    ai_hits = _hits(text, window, ai)
    generation_hits = _hits(text, window, generation)
    pairs = [
        (min(a[0], g[0]), max(a[1], g[1]))
        for a in ai_hits
        for g in generation_hits
        if max(a[0], g[0]) - min(a[1], g[1]) <= MAX_GAP
    ]
    if not pairs:
        return None
    first, last = min(pairs)
    return _phrase(text, first, last, window)


def _hits(text: str, window: tuple[int, int], pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of the pattern inside the window; one character each side is read too, so "AIR"
    cut by the window's edge is still seen as a longer word."""
    start, stop = window
    left = max(0, start - 1)
    segment = _folded(text[left : stop + 1])
    spans = ((m.start() + left, m.end() + left) for m in pattern.finditer(segment))
    return [(a, b) for a, b in spans if start <= a and b <= stop]


def _phrase(text: str, first: int, last: int, window: tuple[int, int]) -> Found:
    """Widen the elements' span to the clause around them, within the window: what a reader
    sees as the label ("——以上内容由AI生成", "(AI 合成)")."""
    start, stop = window
    while first > start and text[first - 1] not in _PHRASE_ENDS:
        first -= 1
    while last < stop and text[last] not in _PHRASE_ENDS:
        last += 1
    if last < stop and text[last] not in "\r\n":
        last += 1  # keep the sentence's own full stop
    while text[first].isspace():
        first += 1
    while text[last - 1].isspace():
        last -= 1
    return Found(first, last, text[first:last])
