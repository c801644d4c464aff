"""WebP: the label is XMP (`TC260:AIGC`) in the RIFF `XMP ` chunk (TC260 image practice guide).

Metadata chunks exist only in the extended format, so a simple file (a lone `VP8 ` or `VP8L`
chunk) gains a `VP8X` header chunk with the canvas size read from the bitstream; an extended one
gets its XMP flag set. The XMP chunk is updated in place, or added after the image data and EXIF
as the container spec orders them. Every other chunk is copied byte for byte, in order.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

from chinacomply.aigc import xmp
from chinacomply.aigc.formats.base import Carried, FormatError, Metadata, Update

XMP_CHUNK = b"XMP "
IMAGE_CHUNKS = (b"VP8 ", b"VP8L")
# The last of these in the file is where a new XMP chunk goes (after image data and EXIF).
BEFORE_XMP = (b"VP8 ", b"VP8L", b"ALPH", b"ANMF", b"EXIF")
FLAG_ICC, FLAG_ALPHA, FLAG_EXIF, FLAG_XMP = 0x20, 0x10, 0x08, 0x04
MAX_RIFF = 2**32 - 1


@dataclass(frozen=True, slots=True)
class Chunk:
    """One RIFF chunk; `raw` is its header, data and pad byte as they were (a missing final pad
    byte restored)."""

    fourcc: bytes
    data: bytes
    offset: int
    raw: bytes


class WebpFormat:
    """The WebP carrier."""

    name = "webp"
    carrier = "XMP TC260:AIGC in the RIFF XMP chunk"

    def sniff(self, head: bytes, suffix: str) -> bool:
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"

    def read(self, stream: BinaryIO) -> Metadata:
        chunks, _ = parse(stream.read())
        labels: list[Carried] = []
        explicit: str | None = None
        traces: list[str] = []
        for chunk in chunks:
            if chunk.fourcc == XMP_CHUNK:
                values, record, found = xmp.read(chunk.data)
                labels.extend(Carried("XMP TC260:AIGC in XMP chunk", v) for v in values)
                explicit = explicit if explicit is not None else record
                traces.extend(t for t in found if t not in traces)
            elif chunk.fourcc == b"C2PA":
                trace = "C2PA manifest store (C2PA chunk)"
                traces.extend([trace] if trace not in traces else [])
        return Metadata(tuple(labels), explicit, tuple(traces))

    def write(self, stream: BinaryIO, out: BinaryIO, update: Update) -> None:
        chunks, trailer = parse(stream.read())
        body = [_header_chunk(chunks)]
        rest = [chunk for chunk in chunks if chunk.fourcc != b"VP8X"]
        has_xmp = any(chunk.fourcc == XMP_CHUNK for chunk in rest)
        insert_after = max(i for i, chunk in enumerate(rest) if chunk.fourcc in BEFORE_XMP)
        first_xmp = True
        for index, chunk in enumerate(rest):
            if chunk.fourcc == XMP_CHUNK:
                body.append(_updated_xmp(chunk, update, first=first_xmp))
                first_xmp = False
            else:
                body.append(chunk.raw)
            if not has_xmp and index == insert_after:
                body.append(
                    make_chunk(XMP_CHUNK, xmp.update(None, update.label_json, update.explicit))
                )
        size = 4 + sum(len(part) for part in body)
        if size > MAX_RIFF:
            raise FormatError("the labelled WebP would exceed the 4 GiB RIFF size limit")
        out.write(b"RIFF" + struct.pack("<I", size) + b"WEBP")
        for part in body:
            out.write(part)
        out.write(trailer)


def parse(data: bytes) -> tuple[list[Chunk], bytes]:
    """The chunks inside the RIFF container, and any bytes after it."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise FormatError("not a WebP file (no RIFF WEBP header)")
    (riff_size,) = struct.unpack_from("<I", data, 4)
    end = 8 + riff_size
    if end > len(data):
        raise FormatError(f"WebP truncated: the RIFF header promises {end} bytes, file has fewer")
    chunks: list[Chunk] = []
    offset = 12
    while offset < end:
        if offset + 8 > end:
            raise FormatError(f"WebP truncated: chunk header at offset {offset} is cut off")
        fourcc = data[offset : offset + 4]
        (size,) = struct.unpack_from("<I", data, offset + 4)
        if not all(0x20 <= byte < 0x7F for byte in fourcc):
            raise FormatError(f"WebP chunk at offset {offset} has an invalid FourCC")
        data_end = offset + 8 + size
        if data_end > end:
            raise FormatError(f"WebP truncated: chunk {_name(fourcc)} at offset {offset}")
        padded = data_end + (size & 1)
        raw = data[offset:padded] if padded <= end else data[offset:data_end] + b"\x00"
        chunks.append(Chunk(fourcc, data[offset + 8 : data_end], offset, raw))
        offset = padded
    _check_layout(chunks)
    return chunks, data[end:]


def _check_layout(chunks: list[Chunk]) -> None:
    if not chunks or chunks[0].fourcc not in (*IMAGE_CHUNKS, b"VP8X"):
        raise FormatError("WebP does not start with a VP8, VP8L or VP8X chunk")
    if chunks[0].fourcc == b"VP8X" and len(chunks[0].data) < 10:
        raise FormatError("WebP VP8X chunk at offset 12 is too short")
    if not any(chunk.fourcc in (*IMAGE_CHUNKS, b"ANMF") for chunk in chunks):
        raise FormatError("WebP has no image data (no VP8, VP8L or ANMF chunk)")


def _header_chunk(chunks: list[Chunk]) -> bytes:
    """The VP8X chunk with its XMP flag set: the file's own, or a new one for a simple file."""
    first = chunks[0]
    if first.fourcc == b"VP8X":
        return make_chunk(b"VP8X", bytes([first.data[0] | FLAG_XMP]) + first.data[1:])
    width, height, alpha = canvas(first)
    present = {chunk.fourcc for chunk in chunks}
    flags = FLAG_XMP
    flags |= FLAG_ALPHA if alpha or b"ALPH" in present else 0
    flags |= FLAG_ICC if b"ICCP" in present else 0
    flags |= FLAG_EXIF if b"EXIF" in present else 0
    size = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return make_chunk(b"VP8X", bytes([flags, 0, 0, 0]) + size)


def canvas(chunk: Chunk) -> tuple[int, int, bool]:
    """Width, height and whether alpha is used, from a VP8 key frame or a VP8L header."""
    data = chunk.data
    if chunk.fourcc == b"VP8 ":
        if len(data) < 10 or data[3:6] != b"\x9d\x01\x2a" or data[0] & 1:
            raise FormatError(f"WebP VP8 chunk at offset {chunk.offset} is not a key frame")
        width, height = struct.unpack_from("<HH", data, 6)
        width, height, alpha = width & 0x3FFF, height & 0x3FFF, False
    else:
        if len(data) < 5 or data[0] != 0x2F:
            raise FormatError(f"WebP VP8L chunk at offset {chunk.offset} has no VP8L signature")
        (bits,) = struct.unpack_from("<I", data, 1)
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        alpha = bool((bits >> 28) & 1)
    if not width or not height:
        raise FormatError(f"WebP {_name(chunk.fourcc)} chunk at offset {chunk.offset}: zero size")
    return width, height, alpha


def _updated_xmp(chunk: Chunk, update: Update, *, first: bool) -> bytes:
    """The first XMP chunk takes the label; a further one only loses any label it held."""
    if first:
        return make_chunk(XMP_CHUNK, xmp.update(chunk.data, update.label_json, update.explicit))
    cleaned = xmp.without_label(chunk.data)
    return chunk.raw if cleaned == chunk.data else make_chunk(XMP_CHUNK, cleaned)


def make_chunk(fourcc: bytes, data: bytes) -> bytes:
    """A chunk with its size and, for an odd size, the pad byte."""
    return fourcc + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) & 1 else b"")


def _name(fourcc: bytes) -> str:
    return fourcc.decode("ascii", "replace").strip()


FORMAT = WebpFormat()
