"""JPEG: the label is XMP (`TC260:AIGC`) in an APP1 segment (TC260 image practice guide).

Files in the wild also carry the label in EXIF text tags (UserComment, ImageDescription,
XPComment), as bare JSON or prefixed with `AIGC`; they are read as labels of their own. Writing
makes the XMP value *the* label: the XMP segment is updated in place or added after SOI, APP0
and an EXIF APP1; an EXIF tag that held a label is blanked in place (spaces of the same byte
length, so every TIFF offset stays valid and nothing else in the EXIF moves). Parsing stops at
the first SOS: the entropy-coded image and everything after it is copied verbatim.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import BinaryIO

from chinacomply.aigc import xmp
from chinacomply.aigc.formats.base import Carried, FormatError, Metadata, Update
from chinacomply.aigc.label import FIELDS, KEY

SOI = b"\xff\xd8"
APP0, APP1, APP11, SOS, EOI = 0xE0, 0xE1, 0xEB, 0xDA, 0xD9
STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RSTn carry no length
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
EXIF_HEADER = b"Exif\x00"
MAX_PAYLOAD = 65533  # a segment's 16-bit length counts itself

# EXIF tags that hold labels in the wild, and the IFD pointer to the Exif sub-IFD.
IMAGE_DESCRIPTION, XP_COMMENT, EXIF_IFD, USER_COMMENT = 0x010E, 0x9C9C, 0x8769, 0x9286
TAG_NAMES = {
    IMAGE_DESCRIPTION: "ImageDescription",
    XP_COMMENT: "XPComment",
    USER_COMMENT: "UserComment",
}
TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
USER_COMMENT_ASCII = b"ASCII\x00\x00\x00"
USER_COMMENT_UNICODE = b"UNICODE\x00"
USER_COMMENT_CODES = (USER_COMMENT_ASCII, USER_COMMENT_UNICODE, b"JIS\x00\x00\x00\x00\x00")


@dataclass(frozen=True, slots=True)
class Segment:
    """A marker segment before SOS: `start` is its first 0xFF (fill bytes included)."""

    marker: int
    start: int
    end: int
    payload: bytes


@dataclass(frozen=True, slots=True)
class ExifText:
    """An EXIF text value, where its text bytes sit in the segment payload, and what a blank
    of the same length looks like in its encoding."""

    tag: int
    text: str
    start: int
    end: int
    space: bytes  # one blank character: b" ", or UTF-16 b" \x00" / b"\x00 "


class JpegFormat:
    """The JPEG carrier."""

    name = "jpeg"
    carrier = "XMP TC260:AIGC in an APP1 segment"

    def sniff(self, head: bytes, suffix: str) -> bool:
        return head.startswith(b"\xff\xd8\xff")

    def read(self, stream: BinaryIO) -> Metadata:
        segments, _ = parse(stream.read())
        labels: list[Carried] = []
        explicit: str | None = None
        traces: list[str] = []
        for segment in segments:
            if is_xmp(segment):
                values, record, found = xmp.read(segment.payload[len(XMP_HEADER) :])
                labels.extend(Carried("XMP TC260:AIGC in APP1 segment", v) for v in values)
                explicit = explicit if explicit is not None else record
                traces.extend(t for t in found if t not in traces)
            elif is_exif(segment):
                for item, value in exif_labels(segment):
                    labels.append(Carried(f"EXIF {TAG_NAMES[item.tag]}", value))
            elif is_c2pa(segment):
                trace = "C2PA manifest store (APP11 JUMBF)"
                traces.extend([trace] if trace not in traces else [])
        return Metadata(tuple(labels), explicit, tuple(traces))

    def write(self, stream: BinaryIO, out: BinaryIO, update: Update) -> None:
        data = stream.read()
        segments, scan = parse(data)
        has_xmp = any(is_xmp(s) for s in segments)
        insert_after = _leading_run(segments)
        out.write(SOI)
        if not has_xmp and insert_after < 0:
            out.write(_xmp_segment(xmp.update(None, update.label_json, update.explicit)))
        first_xmp = True
        for index, segment in enumerate(segments):
            if is_xmp(segment):
                out.write(_updated_xmp(segment, data, update, first=first_xmp))
                first_xmp = False
            elif is_exif(segment):
                out.write(_blanked_exif(segment, data))
            else:
                out.write(data[segment.start : segment.end])
            if not has_xmp and index == insert_after:
                out.write(_xmp_segment(xmp.update(None, update.label_json, update.explicit)))
        out.write(data[scan:])


def parse(data: bytes) -> tuple[list[Segment], int]:
    """The marker segments from SOI up to the first SOS (or EOI), and where that SOS starts."""
    if not data.startswith(SOI):
        raise FormatError("not a JPEG file (no SOI marker)")
    segments: list[Segment] = []
    offset = 2
    while True:
        if offset >= len(data):
            raise FormatError(f"JPEG truncated at offset {offset}: no SOS marker before the end")
        if data[offset] != 0xFF:
            raise FormatError(f"JPEG has no marker where one is expected, at offset {offset}")
        start = offset
        while offset < len(data) and data[offset] == 0xFF:
            offset += 1  # fill bytes
        if offset >= len(data):
            raise FormatError(f"JPEG truncated at offset {offset}: a marker is cut off")
        marker = data[offset]
        offset += 1
        if marker in (SOS, EOI):
            return segments, start
        if marker in (0x00, 0xD8):
            raise FormatError(f"JPEG has an invalid marker 0xFF{marker:02X} at offset {start}")
        if marker in STANDALONE:
            segments.append(Segment(marker, start, offset, b""))
            continue
        if offset + 2 > len(data):
            raise FormatError(f"JPEG truncated: segment 0xFF{marker:02X} at offset {start}")
        (length,) = struct.unpack_from(">H", data, offset)
        end = offset + length
        if length < 2 or end > len(data):
            raise FormatError(
                f"JPEG segment 0xFF{marker:02X} at offset {start} has a length past the file end"
                if length >= 2
                else f"JPEG segment 0xFF{marker:02X} at offset {start} has an invalid length"
            )
        segments.append(Segment(marker, start, end, data[offset + 2 : end]))
        offset = end


def is_xmp(segment: Segment) -> bool:
    return segment.marker == APP1 and segment.payload.startswith(XMP_HEADER)


def is_exif(segment: Segment) -> bool:
    return segment.marker == APP1 and segment.payload[:5] == EXIF_HEADER


def is_c2pa(segment: Segment) -> bool:
    """APP11 carries JUMBF ("JP" common identifier); C2PA's manifest store is labelled c2pa."""
    payload = segment.payload
    return (
        segment.marker == APP11
        and payload[:2] == b"JP"
        and b"jumb" in payload[:64]
        and (b"c2pa" in payload[:256])
    )


def _leading_run(segments: list[Segment]) -> int:
    """Index of the last APP0 / EXIF APP1 segment right after SOI (-1 if the first segment is
    neither): a new XMP segment goes after them, where readers expect APP0 and EXIF first."""
    last = -1
    for index, segment in enumerate(segments):
        if segment.marker != APP0 and not is_exif(segment):
            break
        last = index
    return last


def _updated_xmp(segment: Segment, data: bytes, update: Update, *, first: bool) -> bytes:
    """The first XMP segment takes the label; a further one only loses any label it held."""
    packet = segment.payload[len(XMP_HEADER) :]
    if first:
        return _xmp_segment(xmp.update(packet, update.label_json, update.explicit))
    cleaned = xmp.without_label(packet)
    return data[segment.start : segment.end] if cleaned == packet else _xmp_segment(cleaned)


def _xmp_segment(packet: bytes) -> bytes:
    payload = XMP_HEADER + packet
    if len(payload) > MAX_PAYLOAD:
        raise FormatError(
            f"the XMP packet with the label is {len(payload)} bytes and does not fit in a JPEG "
            f"APP1 segment (at most {MAX_PAYLOAD})"
        )
    return struct.pack(">BBH", 0xFF, APP1, len(payload) + 2) + payload


def _blanked_exif(segment: Segment, data: bytes) -> bytes:
    """The EXIF segment with each label-holding text replaced by blanks of the same length."""
    found = exif_labels(segment)
    if not found:
        return data[segment.start : segment.end]
    payload = bytearray(segment.payload)
    for item, _ in found:
        width = item.end - item.start
        payload[item.start : item.end] = item.space * (width // len(item.space))
    marker_and_length = data[segment.start : segment.end - len(segment.payload)]
    return marker_and_length + bytes(payload)


def exif_labels(segment: Segment) -> list[tuple[ExifText, str]]:
    """The EXIF texts of this APP1 segment that hold an AIGC label, with the label's value."""
    found = []
    for item in exif_texts(segment.payload):
        value = label_in(item.text)
        if value is not None:
            found.append((item, value))
    return found


def label_in(text: str) -> str | None:
    """The AIGC label in a free-text field, or None: `AIGC={...}`, `AIGC:...`, `AIGC{...}`, a
    JSON object of the label's fields, or a JSON object `{"AIGC": ...}`."""
    stripped = text.strip("\x00 \t\r\n")
    if stripped.startswith(KEY):
        rest = stripped[len(KEY) :].lstrip()
        if rest[:1] in ("=", ":"):
            return rest[1:].strip()
        return rest if rest.startswith("{") else None
    if not stripped.startswith("{"):
        return None
    try:
        data = json.loads(stripped)
    except (ValueError, RecursionError):
        # A broken label is still a label: the checker reports why it does not parse.
        return stripped if '"ContentProducer"' in stripped or f'"{KEY}"' in stripped else None
    if not isinstance(data, dict):
        return None
    if isinstance(data.get(KEY), str):
        return str(data[KEY])  # {"AIGC": "<the label JSON>"}
    # The label's own fields, or the Annex E b) form {"AIGC": {...}} that label.parse reads.
    return stripped if KEY in data or set(data) & set(FIELDS) else None


def exif_texts(payload: bytes) -> list[ExifText]:
    """ImageDescription and XPComment from IFD0, UserComment from the Exif sub-IFD, with their
    positions in the APP1 payload."""
    tiff_start = len(EXIF_HEADER) + 1  # "Exif\0" and a pad byte (0x00, sometimes 0xFF)
    tiff = payload[tiff_start:]
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        raise FormatError("EXIF segment has no valid TIFF header")
    order = "<" if tiff[:2] == b"II" else ">"
    magic, ifd0 = struct.unpack_from(order + "HI", tiff, 2)
    if magic != 42:
        raise FormatError("EXIF segment has no valid TIFF header")
    texts: list[ExifText] = []
    sub_ifd: int | None = None
    for tag, kind, start, size in _ifd_entries(tiff, ifd0, order, "IFD0"):
        if tag == EXIF_IFD and kind in (4, 13) and size == 4:
            (sub_ifd,) = struct.unpack_from(order + "I", tiff, start)
        elif tag in (IMAGE_DESCRIPTION, XP_COMMENT):
            texts.append(_text(tag, tiff[start : start + size], tiff_start + start, order))
    if sub_ifd is not None:
        for tag, _, start, size in _ifd_entries(tiff, sub_ifd, order, "Exif IFD"):
            if tag == USER_COMMENT:
                texts.append(_text(tag, tiff[start : start + size], tiff_start + start, order))
    return texts


def _ifd_entries(
    tiff: bytes, offset: int, order: str, where: str
) -> list[tuple[int, int, int, int]]:
    """(tag, type, value offset, value size) of each entry; values that do not fit in the TIFF
    data are refused only for the tags read here."""
    if offset + 2 > len(tiff):
        raise FormatError(f"EXIF {where} offset {offset} lies outside the EXIF segment")
    (count,) = struct.unpack_from(order + "H", tiff, offset)
    if offset + 2 + 12 * count > len(tiff):
        raise FormatError(f"EXIF {where} at offset {offset} is cut off")
    entries = []
    for index in range(count):
        entry = offset + 2 + 12 * index
        tag, kind, number = struct.unpack_from(order + "HHI", tiff, entry)
        size = TYPE_SIZES.get(kind, 0) * number
        start = entry + 8
        if size > 4:
            (start,) = struct.unpack_from(order + "I", tiff, entry + 8)
        if tag in (*TAG_NAMES, EXIF_IFD) and start + size > len(tiff):
            raise FormatError(f"EXIF {where} tag 0x{tag:04X} points outside the EXIF segment")
        entries.append((tag, kind, start, size))
    return entries


def _text(tag: int, raw: bytes, position: int, order: str) -> ExifText:
    """Decode one text tag; the span excludes the terminating NULs and UserComment's header."""
    if tag == XP_COMMENT:
        return _utf16_text(tag, raw, position, little_endian=True)
    if tag == USER_COMMENT and raw[:8] == USER_COMMENT_UNICODE:
        body = raw[8:]
        return _utf16_text(tag, body, position + 8, little_endian=_is_little(body, order))
    if tag == USER_COMMENT and (raw[:8] in USER_COMMENT_CODES or raw[:8] == b"\x00" * 8):
        raw, position = raw[8:], position + 8
    body = raw.rstrip(b"\x00")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("latin-1")
    return ExifText(tag, text, position, position + len(body), b" ")


def _utf16_text(tag: int, raw: bytes, position: int, *, little_endian: bool) -> ExifText:
    body = raw[: len(raw) // 2 * 2]
    while body[-2:] == b"\x00\x00":
        body = body[:-2]
    codec = "utf-16-le" if little_endian else "utf-16-be"
    text = body.decode(codec, "replace").lstrip("\ufeff")
    return ExifText(
        tag, text, position, position + len(body), b" \x00" if little_endian else b"\x00 "
    )


def _is_little(body: bytes, order: str) -> bool:
    """UserComment's UNICODE is UTF-16 in either byte order in the wild: a BOM decides, else
    where the zero high bytes of mostly-ASCII text fall, else the TIFF byte order."""
    if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return body[:2] == b"\xff\xfe"
    sample = body[:128]
    even = sum(1 for i in range(0, len(sample), 2) if sample[i] == 0)
    odd = sum(1 for i in range(1, len(sample), 2) if sample[i] == 0)
    if even != odd:
        return odd > even
    return order == "<"


FORMAT = JpegFormat()
