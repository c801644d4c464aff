"""CSV and TSV files, in any encoding a Chinese data set arrives in (UTF-8 with or without BOM,
GBK/GB2312 read as their superset GB18030, UTF-16), streamed through Arrow's CSV reader."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from chinacomply.sources.base import (
    MAX_TITLE_ROWS,
    SourceError,
    header_index,
    unique_column_names,
)

HEAD_BYTES = 256 * 1024
SAMPLE_BLOCK = 1 << 20
STREAM_BLOCK = 4 << 20  # Arrow reads blocks ahead: 16 MiB blocks peaked at 600 MB, 4 MiB at 150
_GB = {"gb2312", "gbk", "gb18030", "hz", "cp936"}


def _complete_lines(head: bytes) -> bytes:
    """The head up to its last line break. The head is cut at a fixed byte count, which can fall
    inside a double-byte character; detectors judge a cut character as an invalid byte and then
    guess wrong (or give up). A line break (0x0A) is never part of a GBK/GB18030 character, so
    cutting there leaves only whole characters."""
    end = head.rfind(b"\n")
    return head[: end + 1] if end > 0 else head


def _strict_gb18030(head: bytes) -> str | None:
    """The head decoded as GB18030 with no invalid byte, or None. Decoded incrementally, so a
    character cut at the very end stays pending instead of failing the decode."""
    try:
        return codecs.getincrementaldecoder("gb18030")("strict").decode(head, final=False)
    except UnicodeDecodeError:
        return None


_HANZI = re.compile(r"[\u4e00-\u9fff]")


def _reads_as_simplified_chinese(text: str) -> bool:
    """True when the Chinese characters of `text` are nearly all common GB2312 hanzi, as real
    GBK text is. Big5 or Latin-1 bytes that happen to decode as GBK give rare characters."""
    hanzi = "".join(_HANZI.findall(text))
    if not hanzi:
        return False
    missing = hanzi.encode("gb2312", errors="replace").count(b"?")
    return missing <= len(hanzi) * 0.1


def detect_encoding(head: bytes) -> str:
    """The encoding of a file from its first bytes: BOMs, then strict UTF-8, then GB18030 when
    the head decodes as common Simplified Chinese (the usual non-UTF-8 export), then a guess."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    whole = _complete_lines(head)
    gb_text = _strict_gb18030(whole)
    if gb_text is not None and _reads_as_simplified_chinese(gb_text):
        return "gb18030"
    from charset_normalizer import from_bytes

    best = from_bytes(whole).best()
    if best is None:
        if gb_text is not None:
            return "gb18030"
        raise ValueError("cannot tell the text encoding (binary file?)")
    name = best.encoding.lower().replace("_", "")
    return "gb18030" if name in _GB or name.startswith("gb") else best.encoding


def _decode_head(head: bytes, encoding: str) -> str:
    return head.decode(encoding, errors="ignore")


def _sniff_delimiter(lines: list[str], suffix: str) -> str:
    """The delimiter whose count is steady over the head's lines. Leading lines without it (a
    report title above the header, a blank line) are left out of the count."""
    if suffix in (".tsv", ".tab"):
        return "\t"
    best, best_score = ",", -1
    for delim in (",", "\t", ";", "|"):
        counts = [line.count(delim) for line in lines if line.strip()]
        first = next((i for i, c in enumerate(counts[: MAX_TITLE_ROWS + 1]) if c), None)
        if first is None:
            continue
        counts = counts[first:]
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
    def layout(self) -> tuple[str, str, list[str], bool, int]:
        """(encoding, delimiter, column names, quoted newlines, rows up to and including the
        header) read from the file's head."""
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
        try:
            # Blank lines are rows here as in Arrow's skip_rows, so the header index matches.
            rows = csv.reader(io.StringIO(text), delimiter=delimiter)
            first_rows = list(itertools.islice(rows, MAX_TITLE_ROWS + 2))
            quoted_newlines = '"' in text and _has_quoted_newline(text, delimiter)
        except csv.Error:
            raise SourceError(self.source, "not a readable delimited text file") from None
        at = header_index([list(row) for row in first_rows])
        header = first_rows[at] if first_rows else []
        return encoding, delimiter, unique_column_names(header), quoted_newlines, at + 1

    def columns(self) -> list[str]:
        return list(self.layout[2])

    def _reader(self, columns: list[str] | None, block: int) -> pacsv.CSVStreamingReader:
        encoding, delimiter, names, quoted_newlines, skip = self.layout
        try:
            return pacsv.open_csv(
                self.path,
                read_options=pacsv.ReadOptions(
                    encoding="utf8" if encoding == "utf-8" else encoding,
                    block_size=block,
                    column_names=names,
                    skip_rows=skip,
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
        except UnicodeDecodeError:  # Arrow decodes the first block when it opens the file
            raise self._undecodable() from None

    def _undecodable(self) -> SourceError:
        """A byte later in the file that the encoding read from the head cannot decode. The
        codec's own message is not passed on: one line naming the file and encoding is enough."""
        return SourceError(self.source, f"not {self.layout[0]} text past the head of the file")

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
        except UnicodeDecodeError:
            raise self._undecodable() from None
        if not batches:
            return pa.table({n: pa.array([], pa.string()) for n in self.columns()})
        return pa.Table.from_batches(batches).slice(0, rows)

    def batches(self, columns: list[str]) -> Iterator[pa.RecordBatch]:
        reader = self._reader(columns, STREAM_BLOCK)
        try:
            yield from reader
        except pa.ArrowInvalid as err:
            raise SourceError(self.source, _clean_error(err)) from None
        except UnicodeDecodeError:
            raise self._undecodable() from None


def _has_quoted_newline(text: str, delimiter: str) -> bool:
    """True if a quoted field in the head spans lines (Arrow then needs a slower mode)."""
    physical = text.count("\n")
    logical = sum(1 for _ in csv.reader(io.StringIO(text), delimiter=delimiter))
    return logical < physical
