"""Turn what a user names on the command line (files, folders, database URLs) into table
sources, in a stable order: folders are walked sorted, hidden files skipped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from chinacomply.sources import delimited, excel, folders, jsonl, parquet, sql
from chinacomply.sources.base import SourceError, TableSource

DELIMITED = {".csv", ".tsv", ".tab"}
JSONL = {".jsonl", ".ndjson"}
PARQUET = {".parquet", ".pq"}
EXCEL = {".xlsx", ".xlsm"}
SQLITE = {".db", ".sqlite", ".sqlite3"}
KNOWN = DELIMITED | JSONL | PARQUET | EXCEL | SQLITE


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
    if suffix in SQLITE:
        with path.open("rb") as fh:
            if not fh.read(16).startswith(b"SQLite format 3"):
                raise SourceError(str(path), "not an SQLite database")
        return list(sql.open_database(f"sqlite:///{path.resolve()}"))
    known = ", ".join(sorted(KNOWN))
    raise SourceError(str(path), f"unsupported file type {suffix or '(none)'} (known: {known})")


def _walk(folder: Path) -> Iterator[Path]:
    return (path for path in folders.walk(folder) if path.suffix.lower() in KNOWN)


def open_tables(targets: list[str]) -> Iterator[TableSource]:
    """Every table the targets hold; raises SourceError naming the first bad target."""
    for target in targets:
        if "://" in target:
            yield from sql.open_database(target)
            continue
        path = Path(target)
        if path.is_dir():
            for file in _walk(path):
                yield from _file_tables(file)
        elif path.is_file():
            yield from _file_tables(path)
        else:
            raise SourceError(target, "no such file or directory")


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
