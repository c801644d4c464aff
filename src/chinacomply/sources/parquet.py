"""Parquet files, read column-wise in row-group batches; typed columns are read as text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from chinacomply.sources.base import SourceError, as_strings

BATCH_ROWS = 131_072


@dataclass
class ParquetFile:
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

    @cached_property
    def _file(self) -> pq.ParquetFile:
        try:
            return pq.ParquetFile(self.path)
        except (pa.ArrowInvalid, OSError) as err:
            raise SourceError(
                self.source, f"not a readable Parquet file ({str(err).splitlines()[0]})"
            ) from None

    def columns(self) -> list[str]:
        return list(self._file.schema_arrow.names)

    def sample(self, rows: int) -> pa.Table:
        for batch in self._file.iter_batches(batch_size=rows):
            return as_strings(batch)
        return as_strings(self._file.schema_arrow.empty_table())

    def batches(self, columns: list[str]) -> Iterator[pa.RecordBatch]:
        try:
            for batch in self._file.iter_batches(batch_size=BATCH_ROWS, columns=columns):
                yield from as_strings(batch).to_batches()
        except (pa.ArrowInvalid, OSError) as err:
            raise SourceError(self.source, str(err).splitlines()[0]) from None
