"""Context by character window, the way Chinese is written.

Word-based context (Presidio's) fails on Chinese because its tokenizer splits characters, so
"身份证号" never appears as a token. Here context is the text within a fixed number of
characters before and after a candidate, searched for context words as substrings.
"""

from __future__ import annotations

WINDOW = 16  # characters on each side; "身份证号码：" plus a little slack


def window(text: str, start: int, end: int, size: int = WINDOW) -> str:
    """The lower-cased characters around [start, end), the candidate itself left out."""
    return (text[max(0, start - size) : start] + " " + text[end : end + size]).lower()


def has_any(around: str, words: tuple[str, ...]) -> str | None:
    """The first context word found in the window, or None."""
    for word in words:
        if word in around:
            return word
    return None
