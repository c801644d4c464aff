"""Office Open XML documents (Word, Excel, PowerPoint and their macro and template variants): the
label is a custom document property.

The TC260 practice guide for office documents puts the label in `docProps/custom.xml` as a
property named `AIGC` whose `vt:lpwstr` value is the Annex E JSON: the place Word, Excel,
WPS, LibreOffice, openpyxl and exiftool all read as "custom properties". A file without custom
properties gets the part, its content type in `[Content_Types].xml` and its relationship in
`_rels/.rels`; a file with them keeps every other property.

The package is rewritten entry by entry, and every entry not edited is copied as it is stored
(the compressed bytes, name, date, method and attributes), so nothing is decompressed that is
not parsed and a document's content cannot change. The three parts edited are changed by
splicing bytes into them, not by re-serialising XML, so their namespaces, order and formatting
stay the author's. Hostile input is refused before it costs anything: XML with a DOCTYPE (the
entity tricks, XXE and billion laughs, need one), ZIP entries that overlap or claim sizes
deflate cannot produce, and archives beyond the limits below.
"""

from __future__ import annotations

import contextlib
import itertools
import posixpath
import re
import struct
import xml.etree.ElementTree as ET
import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import BinaryIO

from chinacomply.aigc import label
from chinacomply.aigc.formats.base import (
    EXPLICIT_RECORD_KEY,
    Carried,
    FormatError,
    Metadata,
    Update,
)

SUFFIXES = frozenset(
    {".docx", ".xlsx", ".pptx", ".docm", ".xlsm", ".pptm", ".dotx", ".xltx", ".potx"}
)
CARRIER = "custom property AIGC (vt:lpwstr) in docProps/custom.xml"

MAX_ENTRIES = 50_000
MAX_TOTAL_SIZE = 4 * 1024**3  # declared uncompressed bytes of all entries together
MAX_XML_PART = 8 * 1024 * 1024  # uncompressed bytes of a part this module parses
MAX_DEFLATE_RATIO = 1100  # deflate cannot expand more than about 1032 times
_ZIP32_LIMIT = 0xFFFFFFFF  # beyond this an archive needs ZIP64, which this writer does not do

CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELS = "_rels/.rels"
CUSTOM_PART = "docProps/custom.xml"
NS_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
NS_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
TYPE_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id every custom property has
FIRST_PID = 2  # property ids 0 and 1 are reserved

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
_END_RECORD = struct.Struct("<4s4H2LH")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_DATA_DESCRIPTOR_FLAG = 0x08
_ENCRYPTED_FLAG = 0x01
_UTF8_FLAG = 0x800
_ZIP64_EXTRA = 0x0001
_STORED, _DEFLATED = 0, 8
_COPY_CHUNK = 1024 * 1024
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


class OoxmlFormat:
    """DOCX, XLSX, PPTX and their variants: a ZIP package with a [Content_Types].xml part."""

    name = "ooxml"
    carrier = CARRIER

    def sniff(self, head: bytes, suffix: str) -> bool:
        """A ZIP signature and an Office extension; the content-types part is confirmed when the
        package is opened (it need not be the first entry: openpyxl writes it last)."""
        return head.startswith(_LOCAL_SIGNATURE) and suffix in SUFFIXES

    def read(self, stream: BinaryIO) -> Metadata:
        with _translated_errors(), _Package.open(stream) as package:
            part = package.custom_part()
            if package.entry(part) is None:
                return Metadata()
            properties = _Properties.parse(package.xml(part), part)
            labels = tuple(
                Carried(f"custom property {p.name} in {part}", p.value)
                for p in properties.named(label.KEY)
            )
            explicit = next((p.value for p in properties.named(EXPLICIT_RECORD_KEY)), None)
            return Metadata(labels=labels, explicit=explicit)

    def write(self, stream: BinaryIO, out: BinaryIO, update: Update) -> None:
        with _translated_errors(), _Package.open(stream) as package:
            if package.entry(PACKAGE_RELS) is None:
                raise FormatError(f"the package has no {PACKAGE_RELS} part")
            part = package.custom_part()
            edited = _edited_parts(package, part, update)
            package.write(out, edited)


FORMAT = OoxmlFormat()


def _edited_parts(package: _Package, part: str, update: Update) -> dict[str, bytes]:
    """The new bytes of every part that changes: the custom properties, and, when they were
    not declared, the content type and the package relationship."""
    properties = {label.KEY: update.label_json}
    if update.explicit is not None:
        properties[EXPLICIT_RECORD_KEY] = update.explicit
    edited: dict[str, bytes] = {}
    if package.entry(part) is None:
        edited[part] = _new_custom_part(properties)
    else:
        edited[part] = _Properties.parse(package.xml(part, editing=True), part).with_values(
            properties
        )
    types = _content_types_with_override(package.xml(CONTENT_TYPES, editing=True), part)
    if types is not None:
        edited[CONTENT_TYPES] = types
    rels = _rels_with_custom(package.xml(PACKAGE_RELS, editing=True), part)
    if rels is not None:
        edited[PACKAGE_RELS] = rels
    return edited


@contextlib.contextmanager
def _translated_errors() -> Iterator[None]:
    """Whatever a damaged archive makes zipfile, zlib or struct raise becomes a FormatError."""
    try:
        yield
    except FormatError:
        raise
    except zlib.error:
        raise FormatError("the ZIP container is damaged (corrupt deflate data)") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, struct.error, EOFError) as err:
        raise FormatError(f"the ZIP container is damaged ({type(err).__name__})") from None
    except (OSError, ValueError, OverflowError, NotImplementedError, UnicodeError) as err:
        raise FormatError(f"the ZIP container cannot be read ({type(err).__name__})") from None


# --- the ZIP container --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Header:
    """The fields of a ZIP entry's headers that are copied to the output as they were."""

    create_version: int
    create_system: int
    extract_version: int
    extract_system: int
    flags: int
    method: int
    dos_time: int
    dos_date: int
    crc: int
    compressed_size: int
    size: int
    internal_attr: int
    external_attr: int

    @classmethod
    def of(cls, info: zipfile.ZipInfo) -> _Header:
        year, month, day, hour, minute, second = info.date_time
        return cls(
            info.create_version,
            info.create_system,
            info.extract_version,
            info.reserved,
            info.flag_bits & ~_DATA_DESCRIPTOR_FLAG,  # sizes go in the local header instead
            info.compress_type,
            hour << 11 | minute << 5 | second // 2,
            (year - 1980) << 9 | month << 5 | day,
            info.CRC,
            info.compress_size,
            info.file_size,
            info.internal_attr,
            info.external_attr,
        )

    def _shared(self) -> tuple[int, ...]:
        """The fields the local and the central header both hold, in their order."""
        return (
            self.extract_version,
            self.extract_system,
            self.flags,
            self.method,
            self.dos_time,
            self.dos_date,
            self.crc,
            self.compressed_size,
            self.size,
        )

    def local_record(self, name: bytes, extra: bytes) -> bytes:
        packed = _LOCAL_HEADER.pack(_LOCAL_SIGNATURE, *self._shared(), len(name), len(extra))
        return packed + name + extra

    def central_record(self, name: bytes, extra: bytes, comment: bytes, offset: int) -> bytes:
        packed = _CENTRAL_HEADER.pack(
            b"PK\x01\x02",
            self.create_version,
            self.create_system,
            *self._shared(),
            len(name),
            len(extra),
            len(comment),
            0,  # disk number
            self.internal_attr,
            self.external_attr,
            offset,
        )
        return packed + name + extra + comment


@dataclass(frozen=True, slots=True)
class _Entry:
    info: zipfile.ZipInfo
    index: int
    raw_name: bytes
    local_extra: bytes
    data_offset: int


class _Package:
    """A ZIP package whose entries have been checked against the limits and each other."""

    def __init__(self, stream: BinaryIO, archive: zipfile.ZipFile) -> None:
        self.stream = stream
        self.archive = archive
        self.entries = _checked_entries(stream, archive)
        self.by_name = {entry.info.filename.lower(): entry for entry in self.entries}
        if CONTENT_TYPES.lower() not in self.by_name:
            raise FormatError(f"not an Office Open XML package: no {CONTENT_TYPES} entry")

    @classmethod
    @contextlib.contextmanager
    def open(cls, stream: BinaryIO) -> Iterator[_Package]:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            yield cls(stream, archive)

    def entry(self, name: str) -> _Entry | None:
        """Part names are case-insensitive in OPC."""
        return self.by_name.get(name.lower())

    def xml(self, name: str, editing: bool = False) -> _Xml:
        entry = self.entry(name)
        if entry is None:
            raise FormatError(f"the package has no {name} part")
        if entry.info.file_size > MAX_XML_PART:
            raise FormatError(f"{name} is larger than {MAX_XML_PART // 2**20} MiB uncompressed")
        with self.archive.open(entry.info) as part:
            data = part.read(MAX_XML_PART + 1)
        if len(data) > MAX_XML_PART:
            raise FormatError(f"{name} is larger than {MAX_XML_PART // 2**20} MiB uncompressed")
        if editing:
            _require_utf8(data, name)
        return _Xml.parse(data, name)

    def custom_part(self) -> str:
        """Where the custom properties are: the target of the package relationship when there
        is one, docProps/custom.xml otherwise."""
        if self.entry(PACKAGE_RELS) is None:
            return CUSTOM_PART
        rels = self.xml(PACKAGE_RELS)
        if rels.root.tag != f"{{{NS_RELS}}}Relationships":
            raise FormatError(f"{PACKAGE_RELS} is not a relationships part")
        for child in rels.root:
            if child.get("Type") == REL_CUSTOM and child.get("TargetMode") != "External":
                return _package_path(child.get("Target", ""))
        return CUSTOM_PART

    def write(self, out: BinaryIO, edited: dict[str, bytes]) -> None:
        """The package with the edited parts' new bytes and every other entry copied as stored;
        [Content_Types].xml first, a new part last."""
        writer = _ZipWriter(out)
        types = self.by_name[CONTENT_TYPES.lower()]
        new = {name.lower(): (name, data) for name, data in edited.items()}
        for entry in [types, *(e for e in self.entries if e is not types)]:
            if entry.info.filename.lower() in new:
                writer.rewrite(entry, new.pop(entry.info.filename.lower())[1])
            else:
                writer.copy(self.stream, entry)
        for name, data in new.values():
            writer.add(name.encode("ascii"), data, _Header.of(types.info))
        writer.finish(self.archive.comment)


def _checked_entries(stream: BinaryIO, archive: zipfile.ZipFile) -> list[_Entry]:
    """Every entry, after refusing what OOXML never holds and what zip bombs are made of."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise FormatError(f"the package has {len(infos)} entries, more than {MAX_ENTRIES}")
    if len({info.filename.lower() for info in infos}) != len(infos):
        raise FormatError("the package has two entries with the same name")
    if sum(info.file_size for info in infos) > MAX_TOTAL_SIZE:
        raise FormatError(f"the entries claim more than {MAX_TOTAL_SIZE // 2**30} GiB in all")
    size = stream.seek(0, 2)
    entries = [_entry(stream, info, index, size) for index, info in enumerate(infos)]
    _refuse_overlaps(entries)
    return entries


def _entry(stream: BinaryIO, info: zipfile.ZipInfo, index: int, size: int) -> _Entry:
    where = f"ZIP entry {index} (offset {info.header_offset})"
    _check_sizes(info, where)
    stream.seek(info.header_offset)
    header = stream.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or not header.startswith(_LOCAL_SIGNATURE):
        raise FormatError(f"{where}: no local file header")
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    raw_name = stream.read(name_length)
    local_extra = stream.read(extra_length)
    if raw_name != _central_name(info):
        raise FormatError(f"{where}: the local and central names differ")
    data_offset = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
    if data_offset + info.compress_size > size:
        raise FormatError(f"{where}: the entry runs past the end of the file")
    return _Entry(info, index, raw_name, local_extra, data_offset)


def _check_sizes(info: zipfile.ZipInfo, where: str) -> None:
    if info.flag_bits & _ENCRYPTED_FLAG:
        raise FormatError(f"{where} is encrypted")
    if info.compress_type not in (_STORED, _DEFLATED):
        raise FormatError(
            f"{where} uses compression method {info.compress_type}; OOXML allows only "
            "stored and deflate"
        )
    if max(info.header_offset, info.compress_size, info.file_size) >= _ZIP32_LIMIT:
        raise FormatError(f"{where} needs ZIP64 (4 GiB or more), which is not supported")
    if info.compress_type == _STORED and info.compress_size != info.file_size:
        raise FormatError(f"{where} is stored but its two sizes differ")
    if info.file_size > max(2**20, info.compress_size * MAX_DEFLATE_RATIO):
        raise FormatError(
            f"{where} claims to expand {info.file_size // max(info.compress_size, 1)} times, "
            "more than deflate can (a zip bomb)"
        )


def _central_name(info: zipfile.ZipInfo) -> bytes:
    encoding = "utf-8" if info.flag_bits & _UTF8_FLAG else "cp437"
    return info.orig_filename.encode(encoding)


def _refuse_overlaps(entries: list[_Entry]) -> None:
    """Entries sharing bytes are how the most efficient zip bombs are built; no writer makes
    them."""
    ordered = sorted(entries, key=lambda e: e.info.header_offset)
    for current, following in itertools.pairwise(ordered):
        if current.data_offset + current.info.compress_size > following.info.header_offset:
            raise FormatError(
                f"ZIP entries {current.index} and {following.index} overlap (a zip bomb)"
            )


def _without_zip64(extra: bytes) -> bytes:
    """The extra fields without a ZIP64 one, whose sizes the rewritten headers hold directly; a
    block that does not parse as extra fields is kept as it is."""
    kept = []
    offset = 0
    while offset + 4 <= len(extra):
        kind, length = struct.unpack_from("<2H", extra, offset)
        if offset + 4 + length > len(extra):
            return extra
        if kind != _ZIP64_EXTRA:
            kept.append(extra[offset : offset + 4 + length])
        offset += 4 + length
    return extra if offset != len(extra) else b"".join(kept)


@dataclass(slots=True)
class _ZipWriter:
    """Writes entries one after another, then the central directory: no seeking back, so the
    output may be a pipe."""

    out: BinaryIO
    offset: int = 0
    central: list[bytes] = field(default_factory=list)

    def copy(self, stream: BinaryIO, entry: _Entry) -> None:
        """The entry's compressed bytes exactly as stored."""
        stream.seek(entry.data_offset)
        chunks = _chunks(stream, entry.info.compress_size, entry.index)
        self._entry(entry.raw_name, _Header.of(entry.info), entry, chunks)

    def rewrite(self, entry: _Entry, data: bytes) -> None:
        """New content for an entry, compressed with its own method; its other fields kept."""
        stored = _compressed(data, entry.info.compress_type)
        header = replace(
            _Header.of(entry.info),
            crc=zlib.crc32(data),
            compressed_size=len(stored),
            size=len(data),
        )
        self._entry(entry.raw_name, header, entry, iter((stored,)))

    def add(self, name: bytes, data: bytes, like: _Header) -> None:
        """A new deflated entry dated like `like`, so output depends on the input alone."""
        stored = _compressed(data, _DEFLATED)
        header = replace(
            like,
            create_version=20,
            create_system=0,
            extract_version=20,
            extract_system=0,
            flags=0,
            method=_DEFLATED,
            crc=zlib.crc32(data),
            compressed_size=len(stored),
            size=len(data),
            internal_attr=0,
            external_attr=0,
        )
        self._entry(name, header, None, iter((stored,)))

    def _entry(
        self, name: bytes, header: _Header, entry: _Entry | None, chunks: Iterator[bytes]
    ) -> None:
        local_extra = b"" if entry is None else _without_zip64(entry.local_extra)
        central_extra = b"" if entry is None else _without_zip64(entry.info.extra)
        comment = b"" if entry is None else entry.info.comment
        start = self.offset
        self._emit(header.local_record(name, local_extra))
        for chunk in chunks:
            self._emit(chunk)
        self.central.append(header.central_record(name, central_extra, comment, start))

    def finish(self, comment: bytes) -> None:
        start = self.offset
        for record in self.central:
            self._emit(record)
        count = len(self.central)
        if count > 0xFFFF:
            raise FormatError("the package would need ZIP64 (more than 65535 entries)")
        self._emit(
            _END_RECORD.pack(
                b"PK\x05\x06", 0, 0, count, count, self.offset - start, start, len(comment)
            )
            + comment
        )

    def _emit(self, data: bytes) -> None:
        self.out.write(data)
        self.offset += len(data)
        if self.offset >= _ZIP32_LIMIT:
            raise FormatError("the package would need ZIP64 (4 GiB or more)")


def _chunks(stream: BinaryIO, length: int, index: int) -> Iterator[bytes]:
    left = length
    while left:
        chunk = stream.read(min(left, _COPY_CHUNK))
        if not chunk:
            raise FormatError(f"ZIP entry {index} is truncated")
        left -= len(chunk)
        yield chunk


def _compressed(data: bytes, method: int) -> bytes:
    if method == _STORED:
        return data
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _package_path(target: str) -> str:
    """A relationship target of the package root as a ZIP entry name."""
    path = posixpath.normpath(target.lstrip("/")) if target else ""
    if not path or path.startswith("..") or path == ".":
        raise FormatError(f"{PACKAGE_RELS} points the custom properties outside the package")
    return path


# --- XML parts ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Xml:
    """A parsed part (ElementTree, for what it says) and the byte spans of its root and the
    root's children (for splicing new children in without re-serialising the rest)."""

    data: bytes
    root: ET.Element
    root_name: str  # the root's qualified name as written: "Properties", "op:Properties"
    root_attributes: dict[str, str]
    root_start: int
    root_tag_end: int
    root_close: int | None  # where `</root>` starts; None when the root is `<root/>`
    children: tuple[tuple[int, int], ...]

    @classmethod
    def parse(cls, data: bytes, part: str) -> _Xml:
        scan = _Scan(data, part)
        try:
            root = ET.fromstring(data)
        except ET.ParseError:
            raise FormatError(f"{part} is not well-formed XML") from None
        if scan.root_start < 0 or len(scan.children) != len(root):
            raise FormatError(f"{part} is not well-formed XML")
        return cls(
            data,
            root,
            scan.root_name,
            scan.root_attributes,
            scan.root_start,
            _tag_end(data, scan.root_start, part),
            scan.root_close,
            tuple(scan.children),
        )

    def prefix(self) -> str:
        """The prefix of the root's namespace ("" or "op:"), for new children in it."""
        prefix, colon, _ = self.root_name.rpartition(":")
        return prefix + colon

    def prefix_for(self, namespace: str) -> str | None:
        for name, value in self.root_attributes.items():
            if name.startswith("xmlns:") and value == namespace:
                return name.removeprefix("xmlns:")
        return None

    def edited(self, changes: list[tuple[int, int, bytes]], appended: bytes) -> bytes:
        """The part with spans replaced and `appended` added as the root's last children."""
        if appended:
            changes = [*changes, self._append(appended)]
        data = self.data
        for start, end, new in sorted(changes, reverse=True):
            data = data[:start] + new + data[end:]
        return data

    def _append(self, fragment: bytes) -> tuple[int, int, bytes]:
        if self.root_close is not None:
            return (self.root_close, self.root_close, fragment)
        # `<root .../>` becomes `<root ...>fragment</root>`.
        opening = self.data[self.root_start : self.root_tag_end - 2].rstrip() + b">"
        closing = b"</" + self.root_name.encode("utf-8") + b">"
        return (self.root_start, self.root_tag_end, opening + fragment + closing)


class _Scan:
    """One expat pass over a part: refuses DOCTYPE and ENTITY declarations, and records the
    byte offsets of the root and its children."""

    def __init__(self, data: bytes, part: str) -> None:
        self.data = data
        self.part = part
        self.depth = 0
        self.root_name = ""
        self.root_attributes: dict[str, str] = {}
        self.root_start = -1
        self.root_close: int | None = None
        self.child_start = 0
        self.children: list[tuple[int, int]] = []
        self.parser = xml.parsers.expat.ParserCreate()
        self.parser.StartDoctypeDeclHandler = self._refuse_doctype
        self.parser.EntityDeclHandler = self._refuse_entity
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        try:
            self.parser.Parse(data, True)
        except xml.parsers.expat.ExpatError as err:
            raise FormatError(f"{part} is not well-formed XML (line {err.lineno})") from None

    def _refuse_doctype(self, *_: object) -> None:
        raise FormatError(f"{self.part} has a DOCTYPE declaration, which OOXML never has")

    def _refuse_entity(self, *_: object) -> None:
        raise FormatError(f"{self.part} declares an XML entity, which OOXML never does")

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        if self.depth == 0:
            self.root_name = name
            self.root_attributes = attributes
            self.root_start = self.parser.CurrentByteIndex
        elif self.depth == 1:
            self.child_start = self.parser.CurrentByteIndex
        self.depth += 1

    def _end(self, _name: str) -> None:
        self.depth -= 1
        if self.depth > 1:
            return
        start = self.root_start if self.depth == 0 else self.child_start
        tag_end = _tag_end(self.data, start, self.part)
        empty = self.data[tag_end - 2 : tag_end] == b"/>"
        close = None if empty else self.parser.CurrentByteIndex
        if self.depth == 0:
            self.root_close = close
        else:
            end = tag_end if close is None else _tag_end(self.data, close, self.part)
            self.children.append((self.child_start, end))


def _tag_end(data: bytes, start: int, part: str) -> int:
    """The offset just after the tag starting at `start`: its first `>` outside quotes."""
    quote = 0
    for offset in range(start, len(data)):
        byte = data[offset]
        if quote:
            quote = 0 if byte == quote else quote
        elif byte in b"\"'":
            quote = byte
        elif byte == 0x3E:  # >
            return offset + 1
    raise FormatError(f"{part} has an unterminated tag at byte {start}")


def _require_utf8(data: bytes, part: str) -> None:
    """Splicing bytes needs an ASCII-compatible encoding; Office writes UTF-8 (OPC also allows
    UTF-16, which is read but not edited)."""
    declared = _DECLARED_ENCODING.match(data.removeprefix(b"\xef\xbb\xbf"))
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or encoding not in ("utf-8", "utf8"):
        raise FormatError(f"{part} is not UTF-8; only UTF-8 parts can be edited")


def _escaped(value: str, attribute: bool = False) -> str:
    """Text for XML content (or a double-quoted attribute), exactly as given: line breaks and
    tabs as references (a parser would normalise them), and refused where XML 1.0 has no way
    to carry a character."""
    escapes = _ATTRIBUTE_ESCAPES if attribute else _TEXT_ESCAPES
    parts = []
    for char in value:
        if not _is_xml_char(ord(char)):
            raise FormatError(f"the value has U+{ord(char):04X}, which XML 1.0 cannot carry")
        parts.append(escapes.get(char, char))
    return "".join(parts)


def _is_xml_char(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


_TEXT_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "\t": "&#9;",
    "\n": "&#10;",
    "\r": "&#13;",
}
_ATTRIBUTE_ESCAPES = _TEXT_ESCAPES | {'"': "&quot;"}


# --- the three parts ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Property:
    index: int  # position among the root's children
    name: str
    pid: str
    value: str


@dataclass(frozen=True, slots=True)
class _Properties:
    """A custom-properties part: its properties, and how to write new ones into it."""

    xml: _Xml
    properties: tuple[_Property, ...]

    @classmethod
    def parse(cls, xml: _Xml, part: str) -> _Properties:
        if xml.root.tag != f"{{{NS_CUSTOM}}}Properties":
            raise FormatError(f"{part} is not a custom-properties part")
        found = []
        for index, child in enumerate(xml.root):
            if child.tag != f"{{{NS_CUSTOM}}}property":
                continue
            value = next(iter(child), None)
            text = "" if value is None else "".join(value.itertext())
            found.append(_Property(index, child.get("name", ""), child.get("pid", ""), text))
        return cls(xml, tuple(found))

    def named(self, name: str) -> list[_Property]:
        """Office compares property names without regard to case."""
        return [p for p in self.properties if p.name.lower() == name.lower()]

    def with_values(self, values: dict[str, str]) -> bytes:
        """The part with each named property set: the first of that name replaced where it
        stands (keeping its pid when that is sound), any other of that name removed, a missing
        one added last."""
        pids = [p.pid for p in self.properties]
        fresh = _fresh_pids(pids)
        changes: list[tuple[int, int, bytes]] = []
        appended = b""
        for name, value in values.items():
            same = self.named(name)
            if not same:
                appended += self._element(next(fresh), name, value)
                continue
            first = same[0]
            sound = (
                first.pid.isdigit() and int(first.pid) >= FIRST_PID and pids.count(first.pid) == 1
            )
            pid = int(first.pid) if sound else next(fresh)
            start, end = self.xml.children[first.index]
            changes.append((start, end, self._element(pid, name, value)))
            changes += [(*self.xml.children[p.index], b"") for p in same[1:]]
        return self.xml.edited(changes, appended)

    def _element(self, pid: int, name: str, value: str) -> bytes:
        vt = self.xml.prefix_for(NS_VT)
        declaration = "" if vt else f' xmlns:vt="{NS_VT}"'
        vt = vt or "vt"
        prefix = self.xml.prefix()
        return _property_element(prefix, vt, declaration, pid, name, value)


def _property_element(
    prefix: str, vt: str, declaration: str, pid: int, name: str, value: str
) -> bytes:
    return (
        f'<{prefix}property fmtid="{FMTID}" pid="{pid}" name="{_escaped(name, attribute=True)}">'
        f"<{vt}:lpwstr{declaration}>{_escaped(value)}</{vt}:lpwstr></{prefix}property>"
    ).encode()


def _fresh_pids(pids: list[str]) -> Iterator[int]:
    """Property ids after every id in use, so none is shared."""
    used = [int(pid) for pid in pids if pid.isdigit()]
    following = max([FIRST_PID - 1, *used]) + 1
    while True:
        yield following
        following += 1


def _new_custom_part(values: dict[str, str]) -> bytes:
    body = b"".join(
        _property_element("", "vt", "", pid, name, value)
        for pid, (name, value) in enumerate(values.items(), start=FIRST_PID)
    )
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        + f'<Properties xmlns="{NS_CUSTOM}" xmlns:vt="{NS_VT}">'.encode()
        + body
        + b"</Properties>"
    )


def _content_types_with_override(xml: _Xml, part: str) -> bytes | None:
    """[Content_Types].xml declaring the custom part's type, or None when it already does."""
    if xml.root.tag != f"{{{NS_TYPES}}}Types":
        raise FormatError(f"{CONTENT_TYPES} is not a content-types part")
    part_name = "/" + part
    overrides = [
        index
        for index, child in enumerate(xml.root)
        if child.tag == f"{{{NS_TYPES}}}Override"
        and child.get("PartName", "").lower() == part_name.lower()
    ]
    if len(overrides) == 1 and xml.root[overrides[0]].get("ContentType") == TYPE_CUSTOM:
        return None
    element = (
        f'<{xml.prefix()}Override PartName="{_escaped(part_name, attribute=True)}" '
        f'ContentType="{TYPE_CUSTOM}"/>'
    ).encode()
    if not overrides:
        return xml.edited([], element)
    changes = [(*xml.children[overrides[0]], element)]
    changes += [(*xml.children[index], b"") for index in overrides[1:]]
    return xml.edited(changes, b"")


def _rels_with_custom(xml: _Xml, part: str) -> bytes | None:
    """_rels/.rels with a relationship to the custom part, or None when it already has one."""
    if xml.root.tag != f"{{{NS_RELS}}}Relationships":
        raise FormatError(f"{PACKAGE_RELS} is not a relationships part")
    relationships = list(xml.root)
    if any(
        child.get("Type") == REL_CUSTOM and child.get("TargetMode") != "External"
        for child in relationships
    ):
        return None
    ids = {child.get("Id") for child in relationships}
    number = len(relationships) + 1
    while f"rId{number}" in ids:
        number += 1
    element = (
        f'<{xml.prefix()}Relationship Id="rId{number}" Type="{REL_CUSTOM}" '
        f'Target="{_escaped(part, attribute=True)}"/>'
    ).encode()
    return xml.edited([], element)
