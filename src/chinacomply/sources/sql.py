"""SQL tables through a SQLAlchemy URL (sqlite:///file.db, postgresql://…): every table and
view is a table source. Samples use LIMIT; the subject-key pass streams one column with a
server-side cursor, so a large table is never fetched whole."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from chinacomply.sources.base import SourceError, cell_text

BATCH_ROWS = 50_000


def _sqlalchemy() -> Any:
    """SQLAlchemy, imported when an SQL source is opened (not when the scanner loads)."""
    import sqlalchemy

    return sqlalchemy


def open_database(url: str) -> list[SqlTable]:
    """One source per table and view in the database at `url`."""
    sa = _sqlalchemy()
    try:
        engine = sa.create_engine(url)
        shown = engine.url.render_as_string(hide_password=True)
        inspector = sa.inspect(engine)
        names = sorted(inspector.get_table_names()) + sorted(inspector.get_view_names())
    except sa.exc.ArgumentError:
        raise SourceError(url.rsplit("@", maxsplit=1)[-1], "not a valid database URL") from None
    except sa.exc.SQLAlchemyError as err:
        raise SourceError(
            url.rsplit("@", maxsplit=1)[-1], f"cannot open database ({type(err).__name__})"
        ) from None
    return [SqlTable(engine, shown, name) for name in names]


@dataclass
class SqlTable:
    engine: Any
    url: str
    table: str

    @property
    def source(self) -> str:
        return f"{self.url}#{self.table}"

    @property
    def name(self) -> str:
        return self.table

    @property
    def size_bytes(self) -> int | None:
        return None

    def _table(self) -> Any:
        sa = _sqlalchemy()
        return sa.Table(self.table, sa.MetaData(), autoload_with=self.engine)

    def columns(self) -> list[str]:
        return [c.name for c in self._table().columns]

    def _query(self, columns: list[str] | None, limit: int | None) -> Iterator[pa.RecordBatch]:
        sa = _sqlalchemy()
        table = self._table()
        wanted = columns if columns is not None else [c.name for c in table.columns]
        query = sa.select(*[table.c[name] for name in wanted])
        if limit is not None:
            query = query.limit(limit)
        try:
            with self.engine.connect() as conn:
                result = conn.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(
                    query
                )
                for part in result.partitions():
                    cols = list(zip(*part, strict=True)) if part else [() for _ in wanted]
                    yield pa.record_batch(
                        [pa.array([cell_text(v) for v in col], pa.string()) for col in cols],
                        names=wanted,
                    )
        except sa.exc.SQLAlchemyError as err:
            raise SourceError(self.source, f"query failed ({type(err).__name__})") from None

    def sample(self, rows: int) -> pa.Table:
        batches = list(self._query(None, rows))
        if not batches:
            return pa.table({c: pa.array([], pa.string()) for c in self.columns()})
        return pa.Table.from_batches(batches)

    def batches(self, columns: list[str]) -> Iterator[pa.RecordBatch]:
        yield from self._query(columns, None)
