"""What a recognizer is: the shape of one identifier, how to check it, and how to name it safely.

A recognizer is data plus three small functions. Its `shape` is a regular expression written
in the common subset of Python `re` and RE2 (no look-arounds, no back-references), so the same
expression can run vectorised over a column sample in Arrow (RE2, linear time) and, framed by
explicit boundary look-arounds, over free text. `\\b` is never used: it sees no boundary between
a Chinese character and a digit, which hides `银行卡6222…扣款` from `\\b`-anchored patterns.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

# Characters that may not touch a match on either side. A digit run inside a longer digit
# run, or a code inside a longer word, is not the identifier.
ALNUM_BOUNDARY = "0-9A-Za-z"


class Validity(enum.IntEnum):
    """How far a candidate value passed the identifier's own checks."""

    INVALID = 0  # fails a checksum, a calendar date or a structural rule: not this type
    PLAUSIBLE = 1  # right shape, but nothing more can be checked (or a part is unknown)
    VALID = 2  # passes every check the identifier defines (checksum, date, region...)


_NON_DIGITS = re.compile(r"[^0-9]+")


def digits_only(value: str) -> str:
    """Keep ASCII digits only: the canonical form of phone numbers, cards and IMEIs."""
    return _NON_DIGITS.sub("", value)


def strip_value(value: str) -> str:
    """Canonical form for identifiers whose separators carry no meaning."""
    return re.sub(r"[\s\-·.]", "", value).upper()


def mask_middle(value: str) -> str:
    """Keep a short prefix and suffix, star the rest; short values are starred whole.

    Only masked values ever leave the scanner, so reports stay useful ("1101********1234"
    shows region and tail) without carrying the value itself.
    """
    n = len(value)
    if n <= 4:
        return "*" * n
    keep_head = 4 if n >= 12 else 2 if n >= 7 else 1
    keep_tail = 4 if n >= 12 else 2 if n >= 7 else 1
    return value[:keep_head] + "*" * (n - keep_head - keep_tail) + value[n - keep_tail :]


@dataclass(frozen=True)
class Recognizer:
    """One identifier type.

    `shape`: the core expression (Python/RE2 common subset, no anchors, no groups that
    capture). `validate`: checksums and structural checks beyond the shape. `normalize`: the
    canonical value used to count one person once (15-digit IDs become 18 digits, phone
    prefixes dropped). `context`: words near a value that say it is this type; `negative`: words
    that say it is something else (订单号, SKU). `needs_context`: the shape alone is too weak
    to report in free text (8-digit permit numbers, passports) without a context word.
    """

    type: str
    shape: str
    validate: Callable[[str], Validity]
    normalize: Callable[[str], str] = strip_value
    mask: Callable[[str], str] = mask_middle
    context: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    base_score: float = 0.5
    needs_context: bool = False
    left: str = ALNUM_BOUNDARY
    right: str = ALNUM_BOUNDARY
    case_insensitive: bool = False
    explain: str = field(default="", compare=False)

    @cached_property
    def text_pattern(self) -> str:
        """The shape framed by explicit look-arounds, for free text (Python `re`)."""
        left = f"(?<![{self.left}])" if self.left else ""
        right = f"(?![{self.right}])" if self.right else ""
        return f"{left}(?:{self.shape}){right}"

    @cached_property
    def cell_pattern(self) -> str:
        """The shape matching a whole cell (surrounding spaces allowed), for RE2 in Arrow."""
        flags = "(?i)" if self.case_insensitive else ""
        return rf"{flags}^\s*(?:{self.shape})\s*$"

    @cached_property
    def cell_regex(self) -> re.Pattern[str]:
        return re.compile(self.cell_pattern)

    def check(self, value: str) -> Validity:
        """Validity of one whole cell value: shape first, then the identifier's own checks."""
        if not self.cell_regex.match(value):
            return Validity.INVALID
        return self.validate(value.strip())


@dataclass(frozen=True)
class LexicalRecognizer:
    """A type recognised by vocabulary rather than shape: person names and addresses.

    `score_value`: how strongly a whole cell looks like this type, 0..1 (a column is judged on
    the share of its sampled cells scoring at least 0.5). `find`: spans (start, end, score) in
    free text, code-point offsets, end exclusive. Both must be deterministic and offline.
    """

    type: str
    score_value: Callable[[str], float]
    find: Callable[[str], list[tuple[int, int, float]]]
    normalize: Callable[[str], str]
    mask: Callable[[str], str] = mask_middle
    explain: str = field(default="", compare=False)
