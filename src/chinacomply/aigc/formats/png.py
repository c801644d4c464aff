"""PNG: the label is XMP (`TC260:AIGC`) in an uncompressed `iTXt` chunk keyed
`XML:com.adobe.xmp`, placed before the image data (TC260 image practice guide).

Files in the wild also carry the label as a text chunk keyed `AIGC` (`tEXt`, `zTXt` or `iTXt`);
each is read as a label of its own, so a file holding both shows two. Writing leaves one: the
XMP chunk is updated in place (or added), and `AIGC` text chunks are dropped. Every other chunk
is copied byte for byte, CRC included.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from chinacomply.aigc import xmp
from chinacomply.aigc.formats.base import Carried, FormatError, Metadata, Update
from chinacomply.aigc.label import KEY

SIGNATURE = b"\x89PNG\r\n\x1a\n"
XMP_KEYWORD = b"XML:com.adobe.xmp"
TEXT_CHUNKS = (b"tEXt", b"zTXt", b"iTXt")
# Chunks the XMP chunk must precede when it is added: the image data and, in APNG, the animation
# control chunks that come before it.
IMAGE_START = (b"IDAT", b"acTL", b"fcTL")
MAX_CHUNK = 2**31 - 1
MAX_TEXT = 64 * 1024 * 1024  # a compressed text larger than this unpacked is a zip bomb


@dataclass(frozen=True, slots=True)
class Chunk:
    """One chunk: its type, data, and where it sits in the file (offset of its length field)."""

    kind: bytes
    data: bytes
    offset: int
    raw: bytes  # length, type, data and CRC as they were


@dataclass(frozen=True, slots=True)
class TextChunk:
    """A decoded tEXt, zTXt or iTXt chunk."""

    keyword: bytes
    text: bytes  # decompressed; UTF-8 for iTXt, Latin-1 by the standard for tEXt/zTXt


class PngFormat:
    """The PNG carrier."""

    name = "png"
    carrier = "XMP TC260:AIGC in an iTXt chunk (XML:com.adobe.xmp)"

    def sniff(self, head: bytes, suffix: str) -> bool:
        return head.startswith(SIGNATURE)

    def read(self, stream: BinaryIO) -> Metadata:
        chunks, _ = parse(stream.read())
        labels: list[Carried] = []
        explicit: str | None = None
        traces: list[str] = []
        for chunk in chunks:
            if chunk.kind == b"caBX":
                _add(traces, "C2PA manifest store (caBX chunk)")
            if chunk.kind not in TEXT_CHUNKS:
                continue
            text = decode_text(chunk)
            if chunk.kind == b"iTXt" and text.keyword == XMP_KEYWORD:
                values, record, found = xmp.read(text.text)
                labels.extend(Carried("XMP TC260:AIGC in iTXt chunk", v) for v in values)
                explicit = explicit if explicit is not None else record
                for xmp_trace in found:
                    _add(traces, xmp_trace)
            elif text.keyword == KEY.encode():
                value = _text_value(text.text, chunk.kind)
                labels.append(Carried(f"{chunk.kind.decode()} chunk {KEY}", value))
            else:
                trace = _generator_trace(text)
                if trace:
                    _add(traces, trace)
        return Metadata(tuple(labels), explicit, tuple(traces))

    def write(self, stream: BinaryIO, out: BinaryIO, update: Update) -> None:
        chunks, trailer = parse(stream.read())
        xmp_chunks = [c for c in chunks if _is_xmp(c)]
        out.write(SIGNATURE)
        written = False
        for chunk in chunks:
            if chunk.kind in TEXT_CHUNKS and _keyword(chunk) == KEY.encode():
                continue  # a legacy label would be a second one
            if not written and not xmp_chunks and chunk.kind in IMAGE_START:
                out.write(_xmp_chunk(xmp.update(None, update.label_json, update.explicit)))
                written = True
            if _is_xmp(chunk):
                out.write(_updated_xmp(chunk, update, first=not written))
                written = True
                continue
            out.write(chunk.raw)
        out.write(trailer)


def parse(data: bytes) -> tuple[list[Chunk], bytes]:
    """The chunks from IHDR to IEND, CRCs checked, and whatever bytes follow IEND."""
    if not data.startswith(SIGNATURE):
        raise FormatError("not a PNG file (no PNG signature)")
    chunks: list[Chunk] = []
    offset = len(SIGNATURE)
    while True:
        if offset + 12 > len(data):
            raise FormatError(f"PNG truncated: chunk header at offset {offset} is cut off")
        length, kind = struct.unpack_from(">I4s", data, offset)
        if length > MAX_CHUNK or not kind.isalpha() or not kind.isascii():
            raise FormatError(f"PNG chunk at offset {offset} has an invalid length or type")
        end = offset + 12 + length
        if end > len(data):
            raise FormatError(f"PNG truncated: chunk {_name(kind)} at offset {offset} is cut off")
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack_from(">I", data, end - 4)
        if zlib.crc32(kind + body) != crc:
            raise FormatError(f"PNG chunk {_name(kind)} at offset {offset} fails its CRC check")
        if not chunks and kind != b"IHDR":
            raise FormatError("PNG does not start with an IHDR chunk")
        chunks.append(Chunk(kind, body, offset, data[offset:end]))
        offset = end
        if kind == b"IEND":
            if not any(chunk.kind == b"IDAT" for chunk in chunks):
                raise FormatError("PNG has no IDAT chunk (no image data)")
            return chunks, data[offset:]


def decode_text(chunk: Chunk) -> TextChunk:
    """Keyword and text of a tEXt, zTXt or iTXt chunk (decompressing as needed)."""
    keyword, sep, rest = chunk.data.partition(b"\x00")
    where = f"PNG {_name(chunk.kind)} chunk at offset {chunk.offset}"
    if not sep or not 1 <= len(keyword) <= 79:
        raise FormatError(f"{where} has no valid keyword")
    if chunk.kind == b"tEXt":
        return TextChunk(keyword, rest)
    if chunk.kind == b"zTXt":
        if not rest or rest[0] != 0:
            raise FormatError(f"{where} uses an unknown compression method")
        return TextChunk(keyword, _inflate(rest[1:], where))
    if len(rest) < 2 or rest[0] not in (0, 1) or rest[1] != 0:
        raise FormatError(f"{where} has an invalid compression flag or method")
    fields = rest[2:].split(b"\x00", 2)
    if len(fields) != 3:
        raise FormatError(f"{where} is missing its language tag or translated keyword")
    text = fields[2]
    return TextChunk(keyword, _inflate(text, where) if rest[0] == 1 else text)


def _inflate(data: bytes, where: str) -> bytes:
    decompressor = zlib.decompressobj()
    try:
        text = decompressor.decompress(data, MAX_TEXT)
    except zlib.error:
        raise FormatError(f"{where} holds corrupt compressed text") from None
    if decompressor.unconsumed_tail:
        raise FormatError(f"{where} unpacks to more than {MAX_TEXT} bytes (refused)")
    if not decompressor.eof:
        raise FormatError(f"{where} holds truncated compressed text")
    return text


def _text_value(text: bytes, kind: bytes) -> str:
    """The label text. tEXt/zTXt are Latin-1 by the standard, but writers in the wild put UTF-8
    JSON (with Chinese) in them, so UTF-8 is tried first; iTXt must be UTF-8."""
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        if kind == b"iTXt":
            raise FormatError("PNG iTXt chunk AIGC is not valid UTF-8") from None
        return text.decode("latin-1")


def _generator_trace(text: TextChunk) -> str | None:
    """Generation settings that image generators leave in text chunks: Stable Diffusion web UIs
    write `parameters` ("Steps: ..., Sampler: ..."), ComfyUI writes its `prompt`/`workflow`."""
    if text.keyword == b"parameters" and b"Steps: " in text.text and b"Sampler: " in text.text:
        return "Stable Diffusion generation parameters (text chunk 'parameters')"
    if text.keyword in (b"prompt", b"workflow") and text.text.lstrip().startswith(b"{"):
        return f"ComfyUI workflow (text chunk '{text.keyword.decode()}')"
    return None


def _keyword(chunk: Chunk) -> bytes:
    return chunk.data.partition(b"\x00")[0]


def _is_xmp(chunk: Chunk) -> bool:
    return chunk.kind == b"iTXt" and _keyword(chunk) == XMP_KEYWORD


def _updated_xmp(chunk: Chunk, update: Update, *, first: bool) -> bytes:
    """The first XMP chunk takes the label; a further one (two packets is already wrong) only
    loses any label it held, so it cannot be a second label."""
    packet = decode_text(chunk).text
    if first:
        return _xmp_chunk(xmp.update(packet, update.label_json, update.explicit))
    cleaned = xmp.without_label(packet)
    return chunk.raw if cleaned == packet else _xmp_chunk(cleaned)


def _xmp_chunk(packet: bytes) -> bytes:
    """An uncompressed iTXt chunk, no language tag, holding the packet."""
    return make_chunk(b"iTXt", XMP_KEYWORD + b"\x00\x00\x00\x00\x00" + packet)


def make_chunk(kind: bytes, data: bytes) -> bytes:
    """A chunk with its length and CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _name(kind: bytes) -> str:
    return kind.decode("latin-1") if kind.isascii() and kind.isalpha() else repr(kind)


def _add(found: list[str], trace: str) -> None:
    if trace not in found:
        found.append(trace)


FORMAT = PngFormat()
