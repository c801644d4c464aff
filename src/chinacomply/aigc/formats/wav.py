"""WAV: the AIGC label as a RIFF sub-chunk with ID `AIGC` whose data is the JSON (GB 45438 Annex
E, as the TC260 audio practice guide places it); our record of an audible label in a `ccEL`
chunk.

The file is walked chunk by chunk and copied in pieces; the sample data is never read whole.
RF64 and BW64 (the 64-bit WAVs of broadcast, over 4 GiB) are read and written too: their sizes
live in the `ds64` chunk, which is rewritten with the new file size. Labels other tools may
have put elsewhere (an `AIGC` item in LIST/INFO, TXXX:AIGC in an `id3 ` chunk) are read, and
removed on write so the file carries exactly one.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from chinacomply.aigc.formats import mp3
from chinacomply.aigc.formats.base import (
    EXPLICIT_RECORD_KEY,
    Carried,
    FormatError,
    Metadata,
    Update,
)
from chinacomply.aigc.label import KEY

LABEL_ID = b"AIGC"
EXPLICIT_ID = b"ccEL"
C2PA_ID = b"C2PA"
ID3_IDS = (b"id3 ", b"ID3 ")
FORMS = (b"RIFF", b"RF64", b"BW64")
BIG_FORMS = (b"RF64", b"BW64")
UNKNOWN_SIZE = 0xFFFFFFFF  # RF64's "see ds64", and a streaming writer's placeholder
MAX_METADATA_CHUNK = 64 << 20  # metadata chunks are read whole; bigger ones are not metadata
COPY_CHUNK = 1 << 20
DS64_FIXED = 28  # riff size, data size, sample count (8 bytes each), table length (4)
EXTENSIBLE = 0xFFFE
SUBFORMAT_GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"


@dataclass(frozen=True, slots=True)
class Chunk:
    """A top-level chunk: where its 8-byte header sits, its data size and its size field."""

    id: bytes
    offset: int
    size: int  # the data's size (from ds64 when the size field says "see ds64")
    size_field: int  # the 32-bit size as written in the header
    padded: bool  # whether the pad byte after odd-sized data is in the file

    @property
    def data_offset(self) -> int:
        return self.offset + 8

    @property
    def end(self) -> int:
        return self.data_offset + self.size + (self.size % 2 if self.padded else 0)

    @property
    def name(self) -> str:
        return self.id.decode("latin-1")


@dataclass(frozen=True, slots=True)
class Ds64:
    """The sizes of an RF64/BW64 file that do not fit 32 bits."""

    riff_size: int
    data_size: int
    sample_count: int
    rest: bytes  # the table of other big chunks and anything after it, kept as found

    def to_bytes(self) -> bytes:
        return struct.pack("<QQQ", self.riff_size, self.data_size, self.sample_count) + self.rest


@dataclass(frozen=True, slots=True)
class Riff:
    """A WAV file's chunk layout."""

    form: bytes  # RIFF, RF64 or BW64
    chunks: tuple[Chunk, ...]
    end: int  # where the RIFF ends; anything after it (an ID3v1 tag, junk) is kept as found
    size: int  # the file's size
    ds64: Ds64 | None

    def first(self, chunk_id: bytes) -> Chunk | None:
        return next((chunk for chunk in self.chunks if chunk.id == chunk_id), None)


@dataclass(frozen=True, slots=True)
class Piece:
    """One chunk of a file being written: new bytes, then (if any) a source chunk's data."""

    id: bytes
    data: bytes = b""
    source: Chunk | None = None

    @property
    def size(self) -> int:
        return len(self.data) + (self.source.size if self.source else 0)

    @property
    def unchanged(self) -> bool:
        return not self.data and self.source is not None

    @classmethod
    def of(cls, chunk: Chunk) -> Piece:
        return cls(chunk.id, source=chunk)


@dataclass(frozen=True, slots=True)
class WaveFormat:
    """The `fmt ` chunk: how samples are stored. EXTENSIBLE is resolved to its sub-format."""

    tag: int  # 1 = integer PCM, 3 = IEEE float, others as registered
    channels: int
    sample_rate: int
    block_align: int
    bits: int  # bits per sample as stored (the container size)
    extensible: bool = False


# --- walking the chunks -----------------------------------------------------------------------


def sniff(head: bytes, suffix: str) -> bool:
    return head[:4] in FORMS and head[8:12] == b"WAVE"


def parse(stream: BinaryIO) -> Riff:
    """Walk a WAV file's chunks. Raises FormatError for anything but a well-formed WAV."""
    size = stream.seek(0, 2)
    stream.seek(0)
    head = stream.read(12)
    if len(head) < 12 or head[:4] not in FORMS or head[8:12] != b"WAVE":
        raise FormatError("not a WAV file: no RIFF/RF64/BW64 header with form type WAVE")
    form = head[:4]
    ds64 = read_ds64(stream, size) if form in BIG_FORMS else None
    declared = int.from_bytes(head[4:8], "little")
    if ds64:
        riff_end = 8 + ds64.riff_size
    elif declared in (0, UNKNOWN_SIZE):  # a placeholder a writer never filled in
        riff_end = size
    else:
        riff_end = 8 + declared
    chunks = walk(stream, min(riff_end, size), size, ds64)
    riff = Riff(form, chunks, max(chunks[-1].end, min(riff_end, size)), size, ds64)
    for needed in (b"fmt ", b"data"):
        if riff.first(needed) is None:
            raise FormatError(f"not a WAV file: no {needed.decode()!r} chunk")
    return riff


def read_ds64(stream: BinaryIO, file_size: int) -> Ds64:
    header = stream.read(8)
    if len(header) < 8 or header[:4] != b"ds64":
        raise FormatError("RF64/BW64 file without a ds64 chunk at offset 12")
    length = int.from_bytes(header[4:], "little")
    if length < DS64_FIXED or 20 + length > file_size or length > MAX_METADATA_CHUNK:
        raise FormatError(f"the ds64 chunk at offset 12 has an impossible size {length}")
    data = stream.read(length)
    riff_size, data_size, samples = struct.unpack("<QQQ", data[:24])
    return Ds64(riff_size, data_size, samples, data[24:])


def walk(stream: BinaryIO, riff_end: int, file_size: int, ds64: Ds64 | None) -> tuple[Chunk, ...]:
    """The chunks from offset 12 to the end of the RIFF. A chunk that runs past the declared
    end but not past the file is kept (a writer that did not count it); one that runs past the
    file means the file was cut short."""
    chunks: list[Chunk] = []
    position = 12
    while position + 8 <= riff_end:
        stream.seek(position)
        header = stream.read(8)
        chunk_id, size_field = header[:4], int.from_bytes(header[4:], "little")
        if not all(0x20 <= byte <= 0x7E for byte in chunk_id):
            raise FormatError(f"no chunk ID at offset {position}: the RIFF structure is broken")
        size = size_field
        if ds64 and size_field == UNKNOWN_SIZE and chunk_id == b"data":
            size = ds64.data_size
        elif ds64 and size_field == UNKNOWN_SIZE:
            raise FormatError(f"chunk {chunk_id.decode()!r} at offset {position} is over 4 GiB")
        data_end = position + 8 + size
        if data_end > file_size:
            raise FormatError(
                f"chunk {chunk_id.decode()!r} at offset {position} declares {size} bytes but the "
                f"file ends at {file_size} (cut short, or written to a pipe that left the sizes "
                "unfilled)"
            )
        padded = not size % 2 or data_end < file_size
        chunk = Chunk(chunk_id, position, size, size_field, padded)
        chunks.append(chunk)
        position = chunk.end
        riff_end = max(riff_end, position)
    if not chunks:
        raise FormatError("not a WAV file: the RIFF holds no chunks")
    return tuple(chunks)


def read_chunk(stream: BinaryIO, chunk: Chunk) -> bytes:
    """A metadata chunk's data, whole."""
    if chunk.size > MAX_METADATA_CHUNK:
        raise FormatError(
            f"chunk {chunk.name!r} at offset {chunk.offset} is over {MAX_METADATA_CHUNK >> 20} "
            "MiB, too large for metadata"
        )
    stream.seek(chunk.data_offset)
    return stream.read(chunk.size)


def chunk_text(data: bytes, where: str) -> str:
    """A text chunk: UTF-8, without the terminating NUL some writers add."""
    try:
        return data.rstrip(b"\x00").decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise FormatError(f"{where} is not UTF-8 text") from None


def sub_chunks(data: bytes, where: str) -> list[tuple[bytes, int, int]]:
    """The (ID, start, end-with-pad) of each sub-chunk of a LIST chunk's data after its type."""
    found = []
    position = 4
    while position + 8 <= len(data):
        sub_id = data[position : position + 4]
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        end = position + 8 + size
        if end > len(data):
            raise FormatError(f"{where}: sub-chunk at byte {position} runs past the list's end")
        end = min(end + size % 2, len(data))
        found.append((sub_id, position, end))
        position = end
    return found


def wave_format(stream: BinaryIO, riff: Riff) -> WaveFormat:
    """Decode the `fmt ` chunk (WAVEFORMAT, WAVEFORMATEX or WAVEFORMATEXTENSIBLE)."""
    chunk = riff.first(b"fmt ")
    assert chunk is not None  # parse() made sure
    data = read_chunk(stream, chunk)
    if len(data) < 16:
        raise FormatError(f"the 'fmt ' chunk at offset {chunk.offset} is too short")
    tag, channels, rate, _byte_rate, align, bits = struct.unpack("<HHIIHH", data[:16])
    extensible = tag == EXTENSIBLE
    if extensible:
        if len(data) < 40 or data[26:40] != SUBFORMAT_GUID_TAIL:
            raise FormatError(f"the 'fmt ' chunk at offset {chunk.offset} is a broken EXTENSIBLE")
        tag = int.from_bytes(data[24:26], "little")
    if channels == 0 or rate == 0 or align == 0:
        raise FormatError(f"the 'fmt ' chunk at offset {chunk.offset} has zero channels or rate")
    return WaveFormat(tag, channels, rate, align, bits, extensible)


# --- writing ----------------------------------------------------------------------------------


def write_riff(
    stream: BinaryIO, out: BinaryIO, riff: Riff, pieces: Sequence[Piece], added_samples: int = 0
) -> None:
    """Write the file as the given chunks, sizes recomputed (RIFF size; for RF64/BW64 the ds64
    sizes, and the sample count grown by `added_samples`), then whatever followed the RIFF."""
    body = [piece for piece in pieces if piece.id != b"ds64"]
    ds64_length = 0
    if riff.ds64:
        ds64_length = 8 + len(riff.ds64.to_bytes()) + len(riff.ds64.to_bytes()) % 2
    riff_size = 4 + ds64_length + sum(8 + piece.size + piece.size % 2 for piece in body)
    if riff.ds64:
        data_size = sum(piece.size for piece in body if piece.id == b"data")
        ds64 = Ds64(riff_size, data_size, riff.ds64.sample_count + added_samples, riff.ds64.rest)
        out.write(riff.form + UNKNOWN_SIZE.to_bytes(4, "little") + b"WAVE")
        write_piece(stream, out, Piece(b"ds64", ds64.to_bytes()), big=False)
    elif riff_size > UNKNOWN_SIZE - 1:
        raise FormatError("the result would exceed the 4 GiB a RIFF WAV can hold")
    else:
        out.write(b"RIFF" + riff_size.to_bytes(4, "little") + b"WAVE")
    for piece in body:
        write_piece(stream, out, piece, big=riff.ds64 is not None)
    mp3.copy_range(stream, out, riff.end, riff.size)


def write_piece(stream: BinaryIO, out: BinaryIO, piece: Piece, big: bool) -> None:
    """One chunk: header, data, pad byte. An unchanged chunk is copied with its own pad byte,
    byte for byte; in RF64 a chunk whose size field said "see ds64" keeps saying it."""
    source = piece.source
    size_field = piece.size
    if big and (piece.size >= UNKNOWN_SIZE or (source and source.size_field == UNKNOWN_SIZE)):
        size_field = UNKNOWN_SIZE
    elif piece.size >= UNKNOWN_SIZE:
        raise FormatError(f"chunk {piece.id.decode()!r} would exceed 4 GiB")
    out.write(piece.id + size_field.to_bytes(4, "little") + piece.data)
    if source and piece.unchanged:
        mp3.copy_range(stream, out, source.data_offset, source.end)
        if not source.padded:
            out.write(b"\x00")
        return
    if source:
        mp3.copy_range(stream, out, source.data_offset, source.data_offset + source.size)
    if piece.size % 2:
        out.write(b"\x00")


# --- the label --------------------------------------------------------------------------------


def info_labels(data: bytes, chunk: Chunk) -> list[tuple[int, int, str]]:
    """The `AIGC` items of a LIST/INFO chunk: (start, end, text)."""
    where = f"LIST chunk at offset {chunk.offset}"
    found = []
    for sub_id, start, end in sub_chunks(data, where):
        if sub_id == LABEL_ID:
            size = int.from_bytes(data[start + 4 : start + 8], "little")
            text = chunk_text(data[start + 8 : start + 8 + size], f"{where}, item AIGC")
            found.append((start, end, text))
    return found


def is_info_list(stream: BinaryIO, chunk: Chunk) -> bool:
    if chunk.id != b"LIST" or chunk.size < 4:
        return False
    stream.seek(chunk.data_offset)
    return stream.read(4) == b"INFO"


def id3_tag(data: bytes, chunk: Chunk) -> mp3.Tag | None:
    """The ID3v2 tag an `id3 ` chunk holds (ffmpeg's -write_id3v2, Audacity, foobar2000...);
    None when the chunk holds something else, which is then left alone."""
    if data[:3] != b"ID3":
        return None
    return mp3.parse_tag(data, chunk.data_offset)


def read_metadata(stream: BinaryIO) -> Metadata:
    riff = parse(stream)
    labels: list[Carried] = []
    explicit: str | None = None
    traces: list[str] = []
    for chunk in riff.chunks:
        where = f"{chunk.name!r} chunk at offset {chunk.offset}"
        if chunk.id == LABEL_ID:
            labels.append(Carried("RIFF AIGC chunk", chunk_text(read_chunk(stream, chunk), where)))
        elif chunk.id == EXPLICIT_ID and explicit is None:
            explicit = chunk_text(read_chunk(stream, chunk), where)
        elif chunk.id == C2PA_ID:
            traces.append("C2PA manifest store in a RIFF C2PA chunk")
        elif is_info_list(stream, chunk):
            for _start, _end, text in info_labels(read_chunk(stream, chunk), chunk):
                labels.append(Carried("RIFF LIST/INFO AIGC item", text))
        elif chunk.id in ID3_IDS and (tag := id3_tag(read_chunk(stream, chunk), chunk)):
            found = mp3.tag_metadata(tag, "RIFF id3 chunk, ")
            labels.extend(found.labels)
            traces.extend(found.traces)
            explicit = explicit if explicit is not None else found.explicit
    return Metadata(tuple(labels), explicit, tuple(traces))


def labelled_pieces(stream: BinaryIO, riff: Riff, update: Update) -> list[Piece]:
    """The chunks with the label set: an existing AIGC chunk is replaced where it stands, a new
    one goes just before the first `data` chunk.

    Why before `data` and not at the end: LBL25 Art. 5 puts the implicit label in the file
    header, where a reader streaming the file finds it first; chunks after the sample data are
    lost by tools that stop at its end and played as noise by readers that take everything after
    the data header as samples. Readers skip unknown chunks before `data` as RIFF requires
    (ffmpeg, libsndfile, browsers, Windows), and LIST/INFO sits there in most files already.
    """
    new: dict[bytes, bytes] = {LABEL_ID: update.label_json.encode()}
    id3_drop: dict[str, str | None] = {KEY: None}
    if update.explicit is not None:
        new[EXPLICIT_ID] = update.explicit.encode()
        id3_drop[EXPLICIT_RECORD_KEY] = None
    missing = [key for key in new if riff.first(key) is None]
    pieces: list[Piece] = []
    placed: set[bytes] = set()
    for chunk in riff.chunks:
        if chunk.id in new:
            if chunk.id not in placed:  # the first one is replaced, any further one dropped
                pieces.append(Piece(chunk.id, new[chunk.id]))
                placed.add(chunk.id)
            continue
        if chunk is riff.first(b"data"):
            pieces.extend(Piece(key, new[key]) for key in missing)
        pieces.append(without_other_labels(stream, chunk, id3_drop))
    return pieces


def without_other_labels(stream: BinaryIO, chunk: Chunk, id3_drop: dict[str, str | None]) -> Piece:
    """The chunk, with any AIGC item of a LIST/INFO or TXXX:AIGC of an id3 chunk taken out."""
    if is_info_list(stream, chunk):
        data = read_chunk(stream, chunk)
        found = info_labels(data, chunk)
        if not found:
            return Piece.of(chunk)
        kept = bytearray(data)
        for start, end, _text in reversed(found):
            del kept[start:end]
        return Piece(chunk.id, bytes(kept))
    if chunk.id in ID3_IDS:
        data = read_chunk(stream, chunk)
        tag = id3_tag(data, chunk)
        if tag is None:
            return Piece.of(chunk)
        rewritten = mp3.rewrite_tag(tag, id3_drop)
        if rewritten == tag.raw:
            return Piece.of(chunk)
        return Piece(chunk.id, rewritten + data[len(tag.raw) :])
    return Piece.of(chunk)


class WavFormat:
    """The WAV carrier: a RIFF `AIGC` chunk."""

    name = "wav"
    carrier = "RIFF sub-chunk AIGC"

    def sniff(self, head: bytes, suffix: str) -> bool:
        return sniff(head, suffix)

    def read(self, stream: BinaryIO) -> Metadata:
        return read_metadata(stream)

    def write(self, stream: BinaryIO, out: BinaryIO, update: Update) -> None:
        riff = parse(stream)
        write_riff(stream, out, riff, labelled_pieces(stream, riff, update))


FORMAT = WavFormat()
