"""Excel workbooks (.xlsx, .xlsm): every sheet is a table named file:sheet, its header the first
row (or the first row after a report title, see `header_index`). Read with openpyxl in read-only
mode, row by row, so a large sheet is never held whole."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from chinacomply.sources.base import (
    MAX_TITLE_ROWS,
    SourceError,
    cell_text,
    header_index,
    unique_column_names,
)

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
    """One sheet of an .xlsx/.xlsm workbook; subclasses change only how rows are read."""

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
        """Every row of the sheet as cell values. A workbook whose index opens but whose sheet
        data is damaged fails here, mid-read; that too is a SourceError naming the file."""
        workbook = _open(self.path)
        try:
            yield from workbook[self.sheet].iter_rows(values_only=True)
        except SourceError:
            raise
        except Exception as err:  # zip, XML and value errors from a damaged sheet
            raise SourceError(
                self.source, f"not a readable Excel sheet ({type(err).__name__})"
            ) from None
        finally:
            workbook.close()

    def _header_and_rows(self) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
        """The column names and an iterator over the data rows after them: a title row (and
        blank rows) above the header are read past, never reported as data."""
        rows = self._rows()
        first = list(itertools.islice(rows, MAX_TITLE_ROWS + 1))
        texts = [[cell_text(v) for v in row] for row in first]
        at = header_index(texts)
        header = unique_column_names([t or "" for t in texts[at]]) if texts else []
        return header, itertools.chain(first[at + 1 :], rows)

    def columns(self) -> list[str]:
        return self._header_and_rows()[0]

    def _chunks(self, columns: list[str] | None, size: int) -> Iterator[pa.RecordBatch]:
        header, rows = self._header_and_rows()
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
