"""What a table source is: somewhere rows come from, as Arrow record batches of strings.

Classification reads a small sample of every column; counting individuals then streams only
the subject-key column over every row. Sources therefore offer both, and never load a whole
file: memory stays flat however large the input is.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc

from chinacomply.sources.errors import SourceError

__all__ = [
    "SourceError",
    "TableSource",
    "as_strings",
    "cell_text",
    "header_index",
    "unique_column_names",
]

MAX_TITLE_ROWS = 5


class TableSource(Protocol):
    """One table: a CSV file, a Parquet file, an Excel sheet, an SQL table."""

    @property
    def source(self) -> str:
        """Where the table lives (file path or URL without password), for reports."""
        ...

    @property
    def name(self) -> str:
        """The table's own name (file stem, sheet or SQL table name)."""
        ...

    @property
    def size_bytes(self) -> int | None:
        """Bytes to read, for progress; None when unknown."""
        ...

    def columns(self) -> list[str]: ...

    def sample(self, rows: int) -> pa.Table:
        """Up to `rows` rows of every column, as strings."""
        ...

    def batches(self, columns: list[str]) -> Iterator[pa.RecordBatch]:
        """Every row of the named columns, as strings, in bounded-size batches."""
        ...


def cell_text(value: Any) -> str | None:
    """One cell as the text classification reads: the same rule for every source, so a phone
    stored as 13812345678.0 in Excel, JSON or SQL reads as 13812345678 everywhere."""
    if value is None or isinstance(value, bytes):
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def as_strings(table: pa.Table | pa.RecordBatch) -> pa.Table:
    """Every column cast to string: classification reads values as text. Nested values
    (lists, structs) become their JSON-like text; binary columns are dropped to null."""
    arrays = []
    for col in table.columns:
        typ = col.type
        if pa.types.is_string(typ) or pa.types.is_large_string(typ):
            arrays.append(col.cast(pa.string()))
        elif pa.types.is_binary(typ) or pa.types.is_large_binary(typ):
            arrays.append(pa.nulls(len(col), pa.string()))
        elif pa.types.is_nested(typ):
            arrays.append(
                pa.array([None if v is None else str(v) for v in col.to_pylist()], pa.string())
            )
        elif pa.types.is_floating(typ):
            # 13812345678.0 from a numeric phone column must read as the number it is.
            ints = pc.if_else(
                pc.equal(pc.floor(col), col), pc.cast(col, pa.int64(), safe=False), None
            )
            arrays.append(
                pc.if_else(pc.is_null(ints), pc.cast(col, pa.string()), pc.cast(ints, pa.string()))
            )
        else:
            arrays.append(pc.cast(col, pa.string()))
    return pa.table(arrays, names=list(table.column_names))


def unique_column_names(header: list[str]) -> list[str]:
    """Column names as the reader will use them: blanks named by position, duplicates suffixed."""
    seen: dict[str, int] = {}
    out = []
    for i, raw in enumerate(header):
        name = raw.strip() or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        out.append(name)
    return out


def header_index(rows: list[list[str | None]]) -> int:
    """Which of the first rows is the header. Excel reports put a title ("客户信息导出
    2026-03-01") and perhaps a blank row above the real header: rows with at most one non-empty
    cell are skipped when a row with two or more follows within MAX_TITLE_ROWS. A one-column table
    has no such row, so its first row stays the header."""
    for index, row in enumerate(rows[: MAX_TITLE_ROWS + 1]):
        filled = sum(1 for cell in row if cell is not None and cell.strip())
        if filled >= 2:
            return index
    return 0
