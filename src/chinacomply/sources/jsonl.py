"""JSON Lines files: one object per line; nested objects flattened to dotted column names.

Parsed line by line rather than by Arrow's JSON reader, because real logs change a field's type
between lines (a phone number as a number here, a string there) and that must not be an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pyarrow as pa

from chinacomply.sources.base import SourceError, cell_text

BATCH_ROWS = 50_000


def flatten(obj: dict[str, Any], prefix: str = "") -> dict[str, str | None]:
    """{"a": {"b": 1}} -> {"a.b": "1"}; lists stay whole, as JSON text."""
    out: dict[str, str | None] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        else:
            out[name] = cell_text(value)
    return out


@dataclass
class JsonLinesFile:
    path: Path

    @property
    def source(self) -> str:
        return str(self.path)

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def size_bytes(self) -> int | None:
        return self.path.stat().st_size

    def _rows(self) -> Iterator[dict[str, str | None]]:
        try:
            fh = self.path.open("r", encoding="utf-8-sig")
        except OSError as err:
            raise SourceError(self.source, err.strerror or "cannot read") from None
        with fh:
            try:
                for number, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    try:
                        obj = json.loads(line)
                    except json.JSONDecodeError as err:
                        raise SourceError(
                            self.source, f"line {number}: not valid JSON ({err.msg})"
                        ) from None
                    if not isinstance(obj, dict):
                        raise SourceError(self.source, f"line {number}: expected a JSON object")
                    yield flatten(obj)
            except UnicodeDecodeError:
                raise SourceError(self.source, "not UTF-8 text") from None

    @cached_property
    def _head(self) -> list[dict[str, str | None]]:
        rows = []
        for row in self._rows():
            rows.append(row)
            if len(rows) >= 10_000:
                break
        return rows

    def columns(self) -> list[str]:
        return list(dict.fromkeys(k for row in self._head for k in row))

    def _batch(self, rows: list[dict[str, str | None]], columns: list[str]) -> pa.RecordBatch:
        return pa.record_batch(
            [pa.array([row.get(c) for row in rows], pa.string()) for c in columns], names=columns
        )

    def sample(self, rows: int) -> pa.Table:
        head: list[dict[str, str | None]] = []
        for row in self._rows():
            head.append(row)
            if len(head) >= rows:
                break
        return pa.Table.from_batches([self._batch(head, self.columns())])

    def batches(self, columns: list[str]) -> Iterator[pa.RecordBatch]:
        chunk: list[dict[str, str | None]] = []
        for row in self._rows():
            chunk.append(row)
            if len(chunk) >= BATCH_ROWS:
                yield self._batch(chunk, columns)
                chunk = []
        if chunk:
            yield self._batch(chunk, columns)
