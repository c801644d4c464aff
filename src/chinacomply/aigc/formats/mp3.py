"""MP3: the AIGC label as an ID3v2 `TXXX` frame with description `AIGC` (GB 45438 Annex E, as the
TC260 audio practice guide places it), the JSON as the frame's value.

Reading follows ID3v2.2, 2.3 and 2.4 closely because labels must be found in files other tools
wrote: syncsafe sizes, extended headers, tag-level (2.2/2.3) and frame-level (2.4)
unsynchronisation, the data-length indicator, compressed frames, all four text encodings,
padding, a 2.4 footer, a tag appended at the end of the file, and iTunes' 2.4 tags with plain
frame sizes. Writing keeps the tag's version (2.3, 2.4, and 2.2, where the label is a `TXX`
frame: rewriting every frame to upgrade 2.2 would break "everything else byte for byte"),
replaces the label frame where it stands, keeps every other frame byte for byte and streams the
audio, so a large file is never read whole. Only the tags themselves are held in memory.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import BinaryIO

from chinacomply.aigc.formats.base import (
    EXPLICIT_RECORD_KEY,
    Carried,
    FormatError,
    Metadata,
    Update,
)
from chinacomply.aigc.label import KEY

HEADER_SIZE = 10
MAX_TAG_SIZE = (1 << 28) - 1  # the largest syncsafe size
MAX_LEADING_TAGS = 8  # some broken writers stack tags; more than this is garbage, not a file
MAX_FRAME_TEXT = 16 << 20  # a decompressed text frame larger than this is a zip bomb
NEW_TAG_PADDING = 1024  # room for later in-place edits, the usual default of tag writers
COPY_CHUNK = 1 << 20
ID3V1_SIZE = 128
C2PA_MIME = "application/c2pa"  # the C2PA manifest store's GEOB frame in MP3

TAG_UNSYNC = 0x80
TAG_EXTENDED = 0x40
TAG_FOOTER = 0x10
V22_COMPRESSION = 0x40

V23_COMPRESSED = 0x80
V23_ENCRYPTED = 0x40
V23_GROUPED = 0x20
V24_GROUPED = 0x40
V24_COMPRESSED = 0x08
V24_ENCRYPTED = 0x04
V24_UNSYNC = 0x02
V24_DATA_LENGTH = 0x01

FRAME_ID_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
UTF16_BOM_LE = b"\xff\xfe"
UTF16_BOM_BE = b"\xfe\xff"


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame of a tag: where its bytes (header included) sit in the tag body."""

    id: str
    start: int
    end: int
    header_size: int
    flags: int  # the two flag bytes as one number (0 in v2.2)

    @property
    def size(self) -> int:
        return self.end - self.start - self.header_size


@dataclass(frozen=True, slots=True)
class Tag:
    """One ID3v2 tag: its bytes as found, and its frames located in the body.

    body: the bytes after the header (before any footer), with 2.2/2.3 tag-level
    unsynchronisation undone, so frame offsets index into it.
    """

    offset: int  # in the file
    raw: bytes  # the whole tag as it is in the file
    version: int  # 2, 3 or 4
    revision: int
    flags: int
    body: bytes
    frames: tuple[Frame, ...]
    plain_frame_sizes: bool  # a 2.4 tag written with 2.3-style sizes (an old iTunes bug)

    @property
    def footer(self) -> bool:
        return self.version == 4 and bool(self.flags & TAG_FOOTER)

    @property
    def name(self) -> str:
        return f"ID3v2.{self.version}"

    @property
    def user_text_id(self) -> str:
        return "TXX" if self.version == 2 else "TXXX"


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the parts of an MP3 file are: ID3v2 tags at the start, the audio, an ID3v2.4 tag
    appended at the end (found through its footer), an ID3v1 tag in the last 128 bytes."""

    leading: tuple[Tag, ...]
    audio_start: int
    audio_end: int
    appended: Tag | None
    size: int

    @property
    def tags(self) -> tuple[Tag, ...]:
        return self.leading + ((self.appended,) if self.appended else ())

    @property
    def tail_start(self) -> int:
        """Where the bytes after the audio begin: the appended tag, else the ID3v1 tag."""
        return self.appended.offset + len(self.appended.raw) if self.appended else self.audio_end


@dataclass(frozen=True, slots=True)
class UserText:
    """A decoded TXXX (TXX) frame."""

    description: str
    value: str


# --- numbers ----------------------------------------------------------------------------------


def syncsafe(data: bytes, where: str) -> int:
    """A 28-bit number stored 7 bits a byte, so a tag never contains an MPEG sync pattern."""
    if any(byte & 0x80 for byte in data):
        raise FormatError(f"{where}: a syncsafe size has a byte with its top bit set")
    value = 0
    for byte in data:
        value = (value << 7) | byte
    return value


def to_syncsafe(value: int) -> bytes:
    if not 0 <= value <= MAX_TAG_SIZE:
        raise FormatError(f"a size of {value} bytes does not fit an ID3v2 syncsafe number")
    return bytes((value >> shift) & 0x7F for shift in (21, 14, 7, 0))


def undo_unsync(data: bytes) -> bytes:
    """Unsynchronisation inserts 0x00 after every 0xFF that could read as an MPEG sync."""
    return data.replace(b"\xff\x00", b"\xff")


# --- the file layout --------------------------------------------------------------------------


def sniff(head: bytes, suffix: str) -> bool:
    """An ID3v2 header, or an MPEG layer III frame header at byte 0. FLAC and AAC files
    sometimes start with an ID3 tag too; their extensions keep them out."""
    if head[:3] == b"ID3" and len(head) >= HEADER_SIZE and head[3] in (2, 3, 4):
        return suffix not in (".flac", ".aac", ".ogg", ".opus", ".wav", ".m4a")
    return starts_with_mp3_frame(head)


def starts_with_mp3_frame(head: bytes) -> bool:
    """Layer III only: a UTF-16 byte order mark (FF FE) reads as a layer I header."""
    header = frame_header(head[:4])
    return header is not None and header.layer == 3


def layout(stream: BinaryIO) -> Layout:
    """Find the tags and the audio of an MP3 file. Raises FormatError."""
    size = stream.seek(0, 2)
    stream.seek(0)
    leading: list[Tag] = []
    position = 0
    while True:
        stream.seek(position)
        head = stream.read(HEADER_SIZE)
        if head[:3] != b"ID3":
            break
        if len(leading) == MAX_LEADING_TAGS:
            raise FormatError(f"more than {MAX_LEADING_TAGS} ID3v2 tags at the start of the file")
        tag = read_tag(stream, position, size)
        leading.append(tag)
        position += len(tag.raw)
    if not leading:
        stream.seek(0)
        if not starts_with_mp3_frame(stream.read(4)):
            raise FormatError("not an MP3 file: no ID3v2 tag and no MPEG audio frame at offset 0")
    audio_end = size
    stream.seek(max(position, size - ID3V1_SIZE))
    if size - ID3V1_SIZE >= position and stream.read(3) == b"TAG":
        audio_end = size - ID3V1_SIZE
    appended = appended_tag(stream, position, audio_end)
    if appended:
        audio_end = appended.offset
    return Layout(tuple(leading), position, audio_end, appended, size)


def read_tag(stream: BinaryIO, offset: int, file_size: int) -> Tag:
    """Read and parse the ID3v2 tag that starts at `offset`."""
    stream.seek(offset)
    header = stream.read(HEADER_SIZE)
    if len(header) < HEADER_SIZE:
        raise FormatError(f"ID3v2 header at offset {offset} is cut short")
    total = tag_length(header, offset)
    if offset + total > file_size:
        raise FormatError(
            f"ID3v2 tag at offset {offset} declares {total} bytes but the file ends at {file_size}"
        )
    return parse_tag(header + stream.read(total - HEADER_SIZE), offset)


def tag_length(header: bytes, offset: int) -> int:
    """The whole tag's length in bytes from its header: header, body and any footer."""
    where = f"ID3v2 header at offset {offset}"
    if header[3] not in (2, 3, 4) or header[4] == 0xFF:
        raise FormatError(f"{where}: version 2.{header[3]}.{header[4]} is not 2.2, 2.3 or 2.4")
    body = syncsafe(header[6:10], where)
    footer = HEADER_SIZE if header[3] == 4 and header[5] & TAG_FOOTER else 0
    return HEADER_SIZE + body + footer


def appended_tag(stream: BinaryIO, audio_start: int, audio_end: int) -> Tag | None:
    """An ID3v2.4 tag at the end of the file, found through its "3DI" footer. A footer whose tag
    does not check out is taken to be audio that happens to look like one."""
    footer_at = audio_end - HEADER_SIZE
    if footer_at < audio_start:
        return None
    stream.seek(footer_at)
    footer = stream.read(HEADER_SIZE)
    if footer[:3] != b"3DI" or footer[3] != 4 or any(b & 0x80 for b in footer[6:10]):
        return None
    start = footer_at - syncsafe(footer[6:10], "ID3v2 footer") - HEADER_SIZE
    if start < audio_start:
        return None
    stream.seek(start)
    if stream.read(HEADER_SIZE) != b"ID3" + footer[3:]:
        return None
    return read_tag(stream, start, audio_end)


# --- parsing a tag ----------------------------------------------------------------------------


def parse_tag(raw: bytes, offset: int = 0) -> Tag:
    """Parse a whole ID3v2 tag held in memory (from an MP3 file, or a WAV `id3 ` chunk)."""
    if len(raw) < HEADER_SIZE or raw[:3] != b"ID3":
        raise FormatError(f"no ID3v2 header at offset {offset}")
    total = tag_length(raw[:HEADER_SIZE], offset)
    if len(raw) < total:
        raise FormatError(f"ID3v2 tag at offset {offset} is cut short")
    version, revision, flags = raw[3], raw[4], raw[5]
    name = f"ID3v2.{version} tag at offset {offset}"
    body = raw[HEADER_SIZE : total - (HEADER_SIZE if version == 4 and flags & TAG_FOOTER else 0)]
    if version == 2 and flags & V22_COMPRESSION:
        raise FormatError(f"{name} is compressed, which ID3v2.2 never defined; it cannot be read")
    if version < 4 and flags & TAG_UNSYNC:
        body = undo_unsync(body)
    start = extended_header_length(body, version, flags, name)
    frames, plain = walk_frames(body, start, version, name)
    return Tag(offset, raw[:total], version, revision, flags, body, frames, plain)


def extended_header_length(body: bytes, version: int, flags: int, name: str) -> int:
    """Where the frames begin: after the extended header, if the tag has one."""
    if version == 2 or not flags & TAG_EXTENDED:
        return 0
    if len(body) < 6:
        raise FormatError(f"{name}: the extended header is cut short")
    if version == 3:
        length = 4 + int.from_bytes(body[:4], "big")  # 2.3 does not count the size itself
    else:
        length = syncsafe(body[:4], f"{name}, extended header")
    if not 6 <= length <= len(body):
        raise FormatError(f"{name}: the extended header's size {length} does not fit the tag")
    return length


def walk_frames(body: bytes, start: int, version: int, name: str) -> tuple[tuple[Frame, ...], bool]:
    """The frames from `start` to the padding. For 2.4, when the syncsafe reading of frame sizes
    fails and the plain one works, the tag was written by iTunes' old bug: use the plain one."""
    frames, error = frames_from(body, start, version, plain=version < 4)
    if version == 4 and (error or not zeros_after(body, frames, start)):
        plain_frames, plain_error = frames_from(body, start, version, plain=True)
        if not plain_error and zeros_after(body, plain_frames, start):
            return plain_frames, True
    if error:
        raise FormatError(f"{name}: {error}")
    return frames, False


def zeros_after(body: bytes, frames: tuple[Frame, ...], start: int) -> bool:
    end = frames[-1].end if frames else start
    return not body[end:].strip(b"\x00")


def frames_from(
    body: bytes, start: int, version: int, plain: bool
) -> tuple[tuple[Frame, ...], str | None]:
    """Walk the frames; stop at padding or at bytes that cannot start a frame (junk where
    padding should be, which readers also skip). Returns the frames and an error, if any."""
    id_size, header_size = (3, 6) if version == 2 else (4, 10)
    frames: list[Frame] = []
    position = start
    while position + header_size <= len(body):
        frame_id = body[position : position + id_size]
        if not FRAME_ID_CHARS.issuperset(frame_id):
            break
        size_bytes = body[position + id_size : position + id_size + (3 if version == 2 else 4)]
        if version == 4 and not plain:
            if any(byte & 0x80 for byte in size_bytes):
                return tuple(frames), f"frame {frame_id.decode()} has a size that is not syncsafe"
            size = syncsafe(size_bytes, "frame")
        else:
            size = int.from_bytes(size_bytes, "big")
        end = position + header_size + size
        if end > len(body):
            return tuple(frames), (
                f"frame {frame_id.decode()} at byte {position} of the tag runs past its end"
            )
        flags = 0 if version == 2 else int.from_bytes(body[end - size - 2 : end - size], "big")
        frames.append(Frame(frame_id.decode(), position, end, header_size, flags))
        position = end
    return tuple(frames), None


# --- frame contents ---------------------------------------------------------------------------


def frame_payload(tag: Tag, frame: Frame) -> bytes | None:
    """A frame's content with its flags undone: grouping byte, data length indicator,
    unsynchronisation, compression. None for an encrypted frame, which cannot be read."""
    data = tag.body[frame.start + frame.header_size : frame.end]
    where = f"{tag.name} frame {frame.id} at byte {frame.start} of the tag"
    fmt = frame.flags & 0xFF
    compressed = False
    if tag.version == 3:
        if fmt & V23_ENCRYPTED:
            return None
        compressed = bool(fmt & V23_COMPRESSED)
        skip = 4 * compressed + int(bool(fmt & V23_GROUPED))
        data = data[skip:]
    elif tag.version == 4:
        if fmt & V24_ENCRYPTED:
            return None
        compressed = bool(fmt & V24_COMPRESSED)
        skip = int(bool(fmt & V24_GROUPED)) + 4 * int(bool(fmt & V24_DATA_LENGTH))
        data = data[skip:]
        if fmt & V24_UNSYNC or tag.flags & TAG_UNSYNC:
            data = undo_unsync(data)
    if compressed:
        data = inflate(data, where)
    return data


def inflate(data: bytes, where: str) -> bytes:
    decompressor = zlib.decompressobj()
    try:
        out = decompressor.decompress(data, MAX_FRAME_TEXT)
    except zlib.error:
        raise FormatError(f"{where}: the compressed frame data is corrupt") from None
    if decompressor.unconsumed_tail:
        raise FormatError(f"{where}: the frame decompresses to more than {MAX_FRAME_TEXT} bytes")
    return out


def split_text(encoding: int, data: bytes, where: str) -> list[str]:
    """Strings of one of the four ID3 text encodings, split at their terminators."""
    if encoding in (0, 3):
        parts = data.split(b"\x00")
        codec = "latin-1" if encoding == 0 else "utf-8"
        try:
            return [part.decode(codec) for part in parts]
        except UnicodeDecodeError:
            raise FormatError(f"{where}: text marked UTF-8 is not valid UTF-8") from None
    if encoding in (1, 2):
        return [decode_utf16(part, encoding, where) for part in split_utf16(data)]
    raise FormatError(f"{where}: text encoding {encoding} is not one of ID3's four (0-3)")


def split_utf16(data: bytes) -> list[bytes]:
    """Split at 16-bit NULs that sit on a code-unit boundary."""
    parts: list[bytes] = []
    begin = 0
    for index in range(0, len(data) - 1, 2):
        if data[index] == 0 and data[index + 1] == 0:
            parts.append(data[begin:index])
            begin = index + 2
    parts.append(data[begin:])
    return parts


def decode_utf16(data: bytes, encoding: int, where: str) -> str:
    """Encoding 1 has a byte order mark (absent from some writers' output: read as
    little-endian, as they are Windows tools); encoding 2 is big-endian without one."""
    codec = "utf-16-be"
    if encoding == 1:
        codec = "utf-16-be" if data[:2] == UTF16_BOM_BE else "utf-16-le"
        if data[:2] in (UTF16_BOM_LE, UTF16_BOM_BE):
            data = data[2:]
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise FormatError(f"{where}: text marked UTF-16 is not valid UTF-16") from None


def user_text(tag: Tag, frame: Frame) -> UserText | None:
    """Decode a TXXX (TXX) frame: an encoding byte, a description, a value."""
    payload = frame_payload(tag, frame)
    if payload is None:
        return None
    where = f"{tag.name} frame {frame.id} at byte {frame.start} of the tag"
    if not payload:
        raise FormatError(f"{where} is empty")
    strings = split_text(payload[0], payload[1:], where)
    description = strings[0]
    value = "\x00".join(strings[1:]).rstrip("\x00")
    return UserText(description, value)


def mime_of_object(tag: Tag, frame: Frame) -> str | None:
    """The MIME type of a GEOB frame (the field after the encoding byte, always Latin-1)."""
    payload = frame_payload(tag, frame)
    if not payload:
        return None
    return payload[1:].split(b"\x00", 1)[0].decode("latin-1")


def user_texts(tag: Tag) -> Iterator[tuple[Frame, UserText]]:
    for frame in tag.frames:
        if frame.id == tag.user_text_id:
            text = user_text(tag, frame)
            if text is not None:
                yield frame, text


# --- reading ----------------------------------------------------------------------------------


def tag_metadata(tag: Tag, where: str = "") -> Metadata:
    """The labels, explicit-label record and traces in one tag."""
    labels: list[Carried] = []
    explicit: str | None = None
    traces: list[str] = []
    carrier = f"{where}{tag.name} {tag.user_text_id}:{KEY}"
    for _frame, text in user_texts(tag):
        if text.description == KEY:
            labels.append(Carried(carrier, text.value))
        elif text.description == EXPLICIT_RECORD_KEY and explicit is None:
            explicit = text.value
        elif text.description.strip().upper() == KEY:
            traces.append(
                f"{where}{tag.name} {tag.user_text_id} description {text.description!r} "
                f"is not exactly {KEY!r}"
            )
    for frame in tag.frames:
        if frame.id in ("GEOB", "GEO") and mime_of_object(tag, frame) == C2PA_MIME:
            traces.append(f"C2PA manifest store in {where}{tag.name} {frame.id} frame")
    return Metadata(tuple(labels), explicit, tuple(traces))


def merge(parts: list[Metadata]) -> Metadata:
    """Labels and traces of several tags in file order; the first explicit record wins."""
    return Metadata(
        tuple(label for part in parts for label in part.labels),
        next((part.explicit for part in parts if part.explicit is not None), None),
        tuple(trace for part in parts for trace in part.traces),
    )


# --- writing ----------------------------------------------------------------------------------


def user_text_frame(tag_version: int, description: str, value: str, plain: bool) -> bytes:
    """A new TXXX frame: UTF-8 in 2.4; UTF-16 with a byte order mark in 2.2 and 2.3, which
    have no UTF-8 (Chinese text needs Unicode)."""
    if tag_version == 4:
        data = b"\x03" + description.encode() + b"\x00" + value.encode()
        size = len(data).to_bytes(4, "big") if plain else to_syncsafe(len(data))
        return b"TXXX" + size + b"\x00\x00" + data
    data = (
        b"\x01"
        + UTF16_BOM_LE
        + description.encode("utf-16-le")
        + b"\x00\x00"
        + UTF16_BOM_LE
        + value.encode("utf-16-le")
    )
    if tag_version == 3:
        return b"TXXX" + len(data).to_bytes(4, "big") + b"\x00\x00" + data
    if len(data) >= 1 << 24:
        raise FormatError("the label does not fit an ID3v2.2 frame (16 MiB)")
    return b"TXX" + len(data).to_bytes(3, "big") + data


def rewrite_tag(tag: Tag, values: Mapping[str, str | None]) -> bytes:
    """The tag with its TXXX frames of the given descriptions set: a value replaces the first
    such frame where it stands (or is added after the last frame) and drops the others; None
    drops them all. Other frames are kept byte for byte; the padding is reused when the frames
    still fit, so the tag keeps its size. The extended header is dropped (its CRC and padding
    size would no longer hold), and so is 2.2/2.3 tag-level unsynchronisation, a transport
    encoding no current decoder needs: the frames are written as they read once undone."""
    frames: list[bytes] = []
    placed: set[str] = set()
    changed = False
    for frame in tag.frames:
        text = user_text(tag, frame) if frame.id == tag.user_text_id else None
        if text is None or text.description not in values:
            frames.append(tag.body[frame.start : frame.end])
            continue
        changed = True
        value = values[text.description]
        if value is not None and text.description not in placed:
            frames.append(
                user_text_frame(tag.version, text.description, value, tag.plain_frame_sizes)
            )
            placed.add(text.description)
    for description, value in values.items():
        if value is not None and description not in placed:
            changed = True
            frames.append(user_text_frame(tag.version, description, value, tag.plain_frame_sizes))
    if not changed:
        return tag.raw
    return assemble_tag(tag.version, tag.revision, tag.flags, b"".join(frames), len(tag.body))


def assemble_tag(version: int, revision: int, flags: int, frames: bytes, room: int) -> bytes:
    """Header, frames, padding (none with a footer, which 2.4 forbids padding with) and footer.
    The padding fills `room` when the frames fit in it."""
    flags &= ~TAG_EXTENDED
    if version < 4:
        flags &= ~TAG_UNSYNC
    footer = version == 4 and bool(flags & TAG_FOOTER)
    if footer:
        body = frames
    elif len(frames) <= room:
        body = frames + bytes(room - len(frames))
    else:
        body = frames + bytes(NEW_TAG_PADDING)
    if len(body) > MAX_TAG_SIZE:
        raise FormatError("the ID3v2 tag would exceed its largest size, 256 MiB")
    tail = bytes((version, revision, flags)) + to_syncsafe(len(body))
    return b"ID3" + tail + body + (b"3DI" + tail if footer else b"")


def new_tag(values: Mapping[str, str | None]) -> bytes:
    """A fresh ID3v2.4 tag holding the given TXXX frames."""
    frames = b"".join(
        user_text_frame(4, description, value, plain=False)
        for description, value in values.items()
        if value is not None
    )
    return assemble_tag(4, 0, 0, frames, 0)


def copy_range(stream: BinaryIO, out: BinaryIO, start: int, end: int) -> None:
    """Copy bytes [start, end) in chunks, so the audio is never held whole."""
    stream.seek(start)
    remaining = end - start
    while remaining > 0:
        block = stream.read(min(COPY_CHUNK, remaining))
        if not block:
            raise FormatError(f"the file ended early, {remaining} bytes before offset {end}")
        out.write(block)
        remaining -= len(block)


# --- MPEG audio frames (for the audible label, which prepends encoded frames) -----------------

BITRATES_KBPS = {  # (MPEG-1?, layer) -> bit rate index 1..14
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
FRAME_SEARCH_BYTES = 64 << 10  # junk a decoder would skip between the tag and the first frame
VBR_MARKERS = (b"Xing", b"Info")


@dataclass(frozen=True, slots=True)
class FrameHeader:
    """An MPEG audio frame header: what the audible label must match to be decodable with the
    audio that follows it."""

    version: str  # "1", "2" or "2.5"
    layer: int
    bitrate_kbps: int
    sample_rate: int
    padding: bool
    channels: int
    protected: bool  # a CRC follows the header

    @property
    def length(self) -> int:
        """The frame's length in bytes, header included."""
        if self.layer == 1:
            return (12 * self.bitrate_kbps * 1000 // self.sample_rate + self.padding) * 4
        per_frame = 144 if self.version == "1" or self.layer == 2 else 72
        return per_frame * self.bitrate_kbps * 1000 // self.sample_rate + self.padding

    @property
    def side_info_size(self) -> int:
        if self.version == "1":
            return 17 if self.channels == 1 else 32
        return 9 if self.channels == 1 else 17


def frame_header(data: bytes) -> FrameHeader | None:
    """Decode four bytes as an MPEG audio frame header; None when they are not one (free-format
    bit rate included: it cannot be framed without decoding)."""
    if len(data) < 4 or data[0] != 0xFF or data[1] & 0xE0 != 0xE0:
        return None
    version_bits = (data[1] >> 3) & 3
    layer = 4 - ((data[1] >> 1) & 3)
    rate_index = data[2] >> 4
    sample_index = (data[2] >> 2) & 3
    if version_bits == 1 or layer == 4 or rate_index in (0, 15) or sample_index == 3:
        return None
    mpeg1 = version_bits == 3
    return FrameHeader(
        version={3: "1", 2: "2", 0: "2.5"}[version_bits],
        layer=layer,
        bitrate_kbps=BITRATES_KBPS[(mpeg1, layer)][rate_index - 1],
        sample_rate=SAMPLE_RATES[version_bits][sample_index],
        padding=bool(data[2] & 2),
        channels=1 if data[3] >> 6 == 3 else 2,
        protected=not data[1] & 1,
    )


def first_audio_frame(stream: BinaryIO, start: int, end: int) -> tuple[int, FrameHeader]:
    """The offset and header of the first audio frame at or after `start`: a frame header whose
    successor is also a frame header of the same stream (one alone may be chance)."""
    stream.seek(start)
    window = stream.read(min(FRAME_SEARCH_BYTES, end - start) + 4)
    index = window.find(b"\xff")
    while 0 <= index < len(window) - 3:
        header = frame_header(window[index : index + 4])
        if header is not None:
            after = start + index + header.length
            stream.seek(after)
            following = frame_header(stream.read(4))
            if after == end or (following is not None and same_stream(header, following)):
                return start + index, header
        index = window.find(b"\xff", index + 1)
    raise FormatError(f"no MPEG audio frame within {FRAME_SEARCH_BYTES} bytes of offset {start}")


def same_stream(first: FrameHeader, second: FrameHeader) -> bool:
    return (first.version, first.layer, first.sample_rate) == (
        second.version,
        second.layer,
        second.sample_rate,
    )


def is_vbr_info_frame(stream: BinaryIO, offset: int, header: FrameHeader) -> bool:
    """A Xing/Info or VBRI frame: no audio, the stream's frame count and seek table. Decoders
    take its count for the whole stream's length, so it must not stay in front of new frames."""
    stream.seek(offset)
    frame = stream.read(header.length)
    xing_at = 4 + 2 * header.protected + header.side_info_size
    return frame[xing_at : xing_at + 4] in VBR_MARKERS or frame[36:40] == b"VBRI"


# --- the format -------------------------------------------------------------------------------


class Mp3Format:
    """The MP3 carrier: ID3v2 TXXX:AIGC."""

    name = "mp3"
    carrier = "ID3v2 TXXX frame, description AIGC"

    def sniff(self, head: bytes, suffix: str) -> bool:
        return sniff(head, suffix)

    def read(self, stream: BinaryIO) -> Metadata:
        found = layout(stream)
        return merge([tag_metadata(tag) for tag in found.tags])

    def write(self, stream: BinaryIO, out: BinaryIO, update: Update) -> None:
        """The first leading tag gets the label (a new 2.4 tag is prepended when there is
        none); labels in any other tag are dropped, so exactly one remains."""
        found = layout(stream)
        values: dict[str, str | None] = {KEY: update.label_json}
        drop: dict[str, str | None] = {KEY: None}
        if update.explicit is not None:
            values[EXPLICIT_RECORD_KEY] = update.explicit
            drop[EXPLICIT_RECORD_KEY] = None
        if not found.leading:
            out.write(new_tag(values))
        for index, tag in enumerate(found.leading):
            out.write(rewrite_tag(tag, values if index == 0 else drop))
        copy_range(stream, out, found.audio_start, found.audio_end)
        if found.appended:
            out.write(rewrite_tag(found.appended, drop))
        copy_range(stream, out, found.tail_start, found.size)


FORMAT = Mp3Format()
