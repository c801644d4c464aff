"""Value objects that every layer shares: what a scan found, per text span, column and table.

They hold masked values only. Raw PI never enters these objects, so anything built from them
(JSON, tables, logs, reports) cannot leak it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Span:
    """One PI value found in free text; offsets are Unicode code points of the input."""

    start: int
    end: int
    type: str
    score: float
    text: str  # masked

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "type": self.type,
            "score": round(self.score, 3),
            "text": self.text,
        }

    def to_json(self, offset: int = 0) -> str:
        """The JSON line of the JSON contract in the README, written directly: `scan --text`
        emits one per finding, and json.dumps per span costs as much as finding it."""
        masked = json.dumps(self.text, ensure_ascii=False)
        return (
            f'{{"start": {self.start + offset}, "end": {self.end + offset}, "type": "{self.type}", '
            f'"score": {round(self.score, 3)}, "text": {masked}}}'
        )


@dataclass(frozen=True, slots=True)
class ColumnReport:
    """The classification of one column: its PI type (or None) and the evidence for it.

    `matched` counts sampled values that match the chosen type (validated where the type has
    a checksum); `checked` counts the non-empty values sampled. `found` lists PI types seen
    inside individual values of a free-text column (remarks, notes), with counts.

    `masked` says the values are masked or partly de-identified (`138****5678`, `王*`): still
    PI under PIPL, never counted as individuals. `damaged` counts sampled values of an
    identifier column that a spreadsheet rounded or wrote in scientific notation
    (`1.10105E+17`): the column keeps its type, those values identify nobody.
    """

    name: str
    type: str | None
    sensitive: bool
    confidence: float
    matched: int
    checked: int
    categories: tuple[str, ...]
    evidence: str
    found: dict[str, int] = field(default_factory=dict)
    examples: tuple[str, ...] = ()  # masked
    free_text: bool = False
    masked: bool = False
    damaged: int = 0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "sensitive": self.sensitive,
            "confidence": round(self.confidence, 3),
            "matched": self.matched,
            "checked": self.checked,
            "categories": list(self.categories),
            "evidence": self.evidence,
        }
        if self.free_text:
            out["free_text"] = True
        if self.masked:
            out["masked"] = True
        if self.damaged:
            out["damaged"] = self.damaged
        if self.found:
            out["found"] = dict(self.found)
        if self.examples:
            out["examples"] = list(self.examples)
        return out


@dataclass(frozen=True, slots=True)
class TableReport:
    """One scanned table: its columns, the column that identifies a person best, and how many
    distinct individuals that column holds after normalisation (exact, over every row)."""

    source: str
    name: str
    rows: int
    columns: tuple[ColumnReport, ...]
    subject_key: str | None
    individuals: int | None
    profile: str
    minors: int | None = None  # individuals under 14 by the birth date in their ID number

    @property
    def sensitive(self) -> bool:
        return bool(self.minors) or any(c.sensitive for c in self.columns)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "name": self.name,
            "rows": self.rows,
            "columns": [c.to_dict() for c in self.columns],
            "subject_key": self.subject_key,
            "individuals": self.individuals,
            "minors": self.minors,
            "sensitive": self.sensitive,
            "profile": self.profile,
        }
