"""Turn what a user names on the command line (files, folders, database URLs) into table
sources, in a stable order: folders are walked sorted, hidden files skipped."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path

from chinacomply.sources import delimited, excel, folders, jsonl, parquet, sql, xls
from chinacomply.sources.base import SourceError, TableSource

DELIMITED = {".csv", ".tsv", ".tab"}
JSONL = {".jsonl", ".ndjson"}
PARQUET = {".parquet", ".pq"}
EXCEL = {".xlsx", ".xlsm"}
XLS = {".xls"}
SQLITE = {".db", ".sqlite", ".sqlite3"}
KNOWN = DELIMITED | JSONL | PARQUET | EXCEL | XLS | SQLITE


def _file_tables(path: Path) -> list[TableSource]:
    suffix = path.suffix.lower()
    if suffix in DELIMITED:
        return [delimited.DelimitedFile(path)]
    if suffix in JSONL:
        return [jsonl.JsonLinesFile(path)]
    if suffix in PARQUET:
        return [parquet.ParquetFile(path)]
    if suffix in EXCEL:
        return [excel.ExcelSheet(path, sheet) for sheet in excel.sheets(path)]
    if suffix in XLS:
        return [xls.XlsSheet(path, sheet) for sheet in xls.sheets(path)]
    if suffix in SQLITE:
        with path.open("rb") as fh:
            if not fh.read(16).startswith(b"SQLite format 3"):
                raise SourceError(str(path), "not an SQLite database")
        return list(sql.open_database(f"sqlite:///{path.resolve()}"))
    known = ", ".join(sorted(KNOWN))
    raise SourceError(str(path), f"unsupported file type {suffix or '(none)'} (known: {known})")


def _walk(folder: Path) -> Iterator[Path]:
    return (path for path in folders.walk(folder) if path.suffix.lower() in KNOWN)


OnError = Callable[[SourceError], None]


def open_tables(targets: list[str], on_error: OnError | None = None) -> Iterator[TableSource]:
    """Every table the targets hold. Without `on_error`, raises SourceError naming the first bad
    target. With it, a bad target or file (corrupt workbook, unreadable database, missing path)
    goes to `on_error` and the other files, and the other targets, are still opened: one broken
    export must not hide a folder's worth of tables."""
    for target in targets:
        if "://" in target:
            yield from _guarded(target, partial(sql.open_database, target), on_error)
            continue
        path = Path(target)
        if path.is_dir():
            files = list(_walk(path))
        elif path.is_file():
            files = [path]
        else:
            _report(SourceError(target, "no such file or directory"), on_error)
            continue
        for file in files:
            yield from _guarded(str(file), partial(_file_tables, file), on_error)


def _guarded(
    where: str, open_: Callable[[], Sequence[TableSource]], on_error: OnError | None
) -> Sequence[TableSource]:
    """The tables `open_` finds, or none when it fails and `on_error` takes the failure."""
    try:
        return open_()
    except OSError as err:  # a file that vanished or is not readable: still one line
        _report(SourceError(where, err.strerror or "cannot read"), on_error)
    except SourceError as err:
        _report(err, on_error)
    return []


def _report(err: SourceError, on_error: OnError | None) -> None:
    if on_error is None:
        raise err
    on_error(err)


def open_source(source: str) -> TableSource:
    """The one table whose `source` is exactly this string (as a scan reported it): a file, an
    Excel sheet "file:sheet", or an SQL table "url#table"."""
    if "#" in source and "://" in source:
        target = source.rsplit("#", 1)[0]
    elif Path(source).is_file():
        target = source
    else:
        target = source.rsplit(":", 1)[0]  # an Excel sheet: file.xlsx:Sheet
    for table in open_tables([target]):
        if table.source == source:
            return table
    raise SourceError(source, "no longer found; scan it again")
