"""CSV and TSV files, in any encoding a Chinese data set arrives in (UTF-8 with or without BOM,
GBK/GB2312 read as their superset GB18030, UTF-16), streamed through Arrow's CSV reader."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from chinacomply.sources.base import SourceError, unique_column_names

HEAD_BYTES = 256 * 1024
SAMPLE_BLOCK = 1 << 20
STREAM_BLOCK = 4 << 20  # Arrow reads blocks ahead: 16 MiB blocks peaked at 600 MB, 4 MiB at 150
_GB = {"gb2312", "gbk", "gb18030", "hz", "cp936"}


def detect_encoding(head: bytes) -> str:
    """The encoding of a file from its first bytes: BOMs, then strict UTF-8, then a guess."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        if err.start >= len(head) - 3:  # a character cut at the end of the head
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is None:
        raise ValueError("cannot tell the text encoding (binary file?)")
    name = best.encoding.lower().replace("_", "")
    return "gb18030" if name in _GB or name.startswith("gb") else best.encoding


def _decode_head(head: bytes, encoding: str) -> str:
    return head.decode(encoding, errors="ignore")


def _sniff_delimiter(lines: list[str], suffix: str) -> str:
    if suffix in (".tsv", ".tab"):
        return "\t"
    best, best_score = ",", -1
    for delim in (",", "\t", ";", "|"):
        counts = [line.count(delim) for line in lines if line.strip()]
        if not counts or counts[0] == 0:
            continue
        score = sum(1 for c in counts if c == counts[0]) * 10 + counts[0]
        if score > best_score:
            best, best_score = delim, score
    return best


_ROW_TEXT = re.compile(r"(Expected \d+ columns?, got \d+).*", re.S)


def _clean_error(err: Exception) -> str:
    """Arrow's CSV errors quote the offending row; that row may be PI, so it is cut."""
    message = str(err).splitlines()[0] if str(err) else type(err).__name__
    return _ROW_TEXT.sub(r"\1", message)


@dataclass
class DelimitedFile:
    """A delimited text file with a header row."""

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
    def layout(self) -> tuple[str, str, list[str], bool]:
        """(encoding, delimiter, column names, quoted newlines) read from the file's head."""
        try:
            with self.path.open("rb") as fh:
                head = fh.read(HEAD_BYTES)
        except OSError as err:
            raise SourceError(self.source, err.strerror or "cannot read") from None
        if not head.strip():
            raise SourceError(self.source, "empty file")
        if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise SourceError(self.source, "binary data, not a delimited text file")
        try:
            encoding = detect_encoding(head)
        except ValueError as err:
            raise SourceError(self.source, str(err)) from None
        text = _decode_head(head, encoding)
        lines = text.splitlines()[:50]
        delimiter = _sniff_delimiter(lines, self.path.suffix.lower())
        header = next(csv.reader(io.StringIO(lines[0]), delimiter=delimiter))
        quoted_newlines = '"' in text and _has_quoted_newline(text, delimiter)
        return encoding, delimiter, unique_column_names(header), quoted_newlines

    def columns(self) -> list[str]:
        return list(self.layout[2])

    def _reader(self, columns: list[str] | None, block: int) -> pacsv.CSVStreamingReader:
        encoding, delimiter, names, quoted_newlines = self.layout
        try:
            return pacsv.open_csv(
                self.path,
                read_options=pacsv.ReadOptions(
                    encoding="utf8" if encoding == "utf-8" else encoding,
                    block_size=block,
                    column_names=names,
                    skip_rows=1,
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter, newlines_in_values=quoted_newlines
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names},
                    include_columns=columns,
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
        except (pa.ArrowInvalid, OSError, LookupError) as err:
            raise SourceError(self.source, _clean_error(err)) from None

    def sample(self, rows: int) -> pa.Table:
        reader = self._reader(None, SAMPLE_BLOCK)
        batches = []
        seen = 0
        try:
            for batch in reader:
                batches.append(batch)
                seen += batch.num_rows
                if seen >= rows:
                    break
        except pa.ArrowInvalid as err:
            raise SourceError(self.source, _clean_error(err)) from None
        if not batches:
            return pa.table({n: pa.array([], pa.string()) for n in self.columns()})
        return pa.Table.from_batches(batches).slice(0, rows)

    def batches(self, columns: list[str]) -> Iterator[pa.RecordBatch]:
        reader = self._reader(columns, STREAM_BLOCK)
        try:
            yield from reader
        except pa.ArrowInvalid as err:
            raise SourceError(self.source, _clean_error(err)) from None


def _has_quoted_newline(text: str, delimiter: str) -> bool:
    """True if a quoted field in the head spans lines (Arrow then needs a slower mode)."""
    physical = text.count("\n")
    logical = sum(1 for _ in csv.reader(io.StringIO(text), delimiter=delimiter))
    return logical < physical
