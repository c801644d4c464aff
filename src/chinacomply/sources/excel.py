"""Excel workbooks (.xlsx, .xlsm): every sheet with a header row is a table named file:sheet.
Read with openpyxl in read-only mode, row by row, so a large sheet is never held whole."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from chinacomply.sources.base import SourceError, cell_text, unique_column_names

BATCH_ROWS = 20_000


def _open(path: Path) -> Any:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - the excel extra is part of every install we ship
        raise SourceError(str(path), "reading Excel needs the 'excel' extra (openpyxl)") from None
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a damaged workbook
        raise SourceError(
            str(path), f"not a readable Excel workbook ({type(err).__name__})"
        ) from None


def sheets(path: Path) -> list[str]:
    workbook = _open(path)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


@dataclass
class ExcelSheet:
    path: Path
    sheet: str

    @property
    def source(self) -> str:
        return f"{self.path}:{self.sheet}"

    @property
    def name(self) -> str:
        return f"{self.path.stem}:{self.sheet}"

    @property
    def size_bytes(self) -> int | None:
        return None

    def _rows(self) -> Iterator[tuple[Any, ...]]:
        workbook = _open(self.path)
        try:
            yield from workbook[self.sheet].iter_rows(values_only=True)
        finally:
            workbook.close()

    def columns(self) -> list[str]:
        for header in self._rows():
            return unique_column_names([cell_text(v) or "" for v in header])
        return []

    def _chunks(self, columns: list[str] | None, size: int) -> Iterator[pa.RecordBatch]:
        rows = self._rows()
        header = unique_column_names([cell_text(v) or "" for v in next(rows, ())])
        wanted = header if columns is None else columns
        index = [header.index(c) for c in wanted]
        chunk: list[tuple[Any, ...]] = []

        def emit() -> pa.RecordBatch:
            cols = [
                pa.array([cell_text(r[i]) if i < len(r) else None for r in chunk], pa.string())
                for i in index
            ]
            return pa.record_batch(cols, names=wanted)

        for row in rows:
            chunk.append(row)
            if len(chunk) >= size:
                yield emit()
                chunk = []
        if chunk:
            yield emit()

    def sample(self, rows: int) -> pa.Table:
        for batch in self._chunks(None, rows):
            return pa.Table.from_batches([batch])
        return pa.table({c: pa.array([], pa.string()) for c in self.columns()})

    def batches(self, columns: list[str]) -> Iterator[pa.RecordBatch]:
        yield from self._chunks(columns, BATCH_ROWS)
