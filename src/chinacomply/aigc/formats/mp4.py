"""MP4, M4V, M4A and QuickTime MOV (ISO BMFF): the AIGC label as a QuickTime metadata key.

The TC260 practice guides put the label in moov/udta/meta as key `AIGC` of the `mdta` namespace
(stored as `mdtaAIGC` in `keys`), its JSON in the `ilst` item numbered after the key, a UTF-8
`data` atom (TC260-PG-20257A §6.1.1; docs/aigc-verification.md, row 2.3). That is byte for
byte what `ffmpeg -metadata AIGC=... -movflags use_metadata_tags -c copy` writes, so ffmpeg,
exiftool and Apple's readers see the label this module writes, and this module reads theirs.

Why the layout rules below:
- moov is small, so it is read whole and rebuilt; every other top-level box (mdat can be
  gigabytes) is copied in 1 MiB chunks and never held in memory.
- The label changes moov's size. Everything after moov then moves, so every absolute file
  offset pointing past the old moov moves with it: chunk offsets (stco, co64), sample
  auxiliary information offsets in a sample table (saio), fragment base offsets (tfhd) and the
  fragment random-access table (tfra). An stco whose offsets would pass 4 GiB is rewritten as
  co64 rather than failing. Offsets inside moof that are relative to the moof (trun data
  offsets, default-base-is-moof) need nothing: the moof moves with its data. A layout this
  module cannot move safely (a segment index before moov, a file-level meta with item
  locations) is refused with FormatError before a byte is written.
- One label per file (GB 45438 Annex E): an existing AIGC key is updated where it stands; AIGC
  keys elsewhere (another meta, a track's meta, a duplicate key) and legacy carriers holding an
  AIGC JSON (an iTunes comment or description, an iTunes freeform `----:...:AIGC` item, a
  QuickTime ©cmt/©des text) are removed.
- When moov/udta/meta is an iTunes `mdir` meta, the mdta keys go in a separate moov/meta (where
  Apple's cameras keep theirs; ffmpeg reads both), leaving the iTunes tags untouched.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from chinacomply.aigc.formats.base import (
    EXPLICIT_RECORD_KEY,
    Carried,
    FormatError,
    Metadata,
    Update,
)
from chinacomply.aigc.label import FIELDS, KEY

CHUNK = 1 << 20
MAX_MOOV = 256 << 20  # moov of a many-hour film is tens of MB; beyond this it is not a moov
MAX_FRAGMENT_BOX = 64 << 20  # a moof or mfra read whole to move its offsets
MAX_XMP_SCAN = 4 << 20
U32 = 0xFFFFFFFF

# Boxes this module opens, by the box that holds them; everything else is kept as bytes.
# The table bounds the nesting depth, so a hostile file cannot recurse without end.
NESTING: dict[bytes, frozenset[bytes]] = {
    b"": frozenset({b"moov", b"moof", b"mfra", b"meta"}),
    b"moov": frozenset({b"trak", b"udta", b"meta"}),
    b"trak": frozenset({b"mdia", b"udta", b"meta"}),
    b"mdia": frozenset({b"minf"}),
    b"minf": frozenset({b"stbl"}),
    b"udta": frozenset({b"meta"}),
    b"meta": frozenset({b"ilst"}),
    b"moof": frozenset({b"traf"}),
}
ITEM = b"item"  # the context of an ilst item's children: data, mean, name

OLD_QUICKTIME_FIRST_BOXES = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})
# ISO BMFF brands of still images (HEIF, AVIF) and camera raw (Canon CR3, whose own tables hold
# absolute offsets): not movies, not this carrier.
NOT_MOVIE_BRANDS = frozenset(
    {
        b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
        b"mif1", b"mif2", b"msf1", b"avif", b"avis", b"avci", b"crx ",
    }
)  # fmt: skip
MDTA = b"mdta"
LEGACY_ITUNES_ITEMS = frozenset({b"\xa9cmt", b"desc", b"ldes", b"\xa9des"})
LEGACY_QUICKTIME_TEXTS = frozenset({b"\xa9cmt", b"\xa9des", b"\xa9inf"})
C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
AI_SOURCE_TYPES = (b"compositeWithTrainedAlgorithmicMedia", b"trainedAlgorithmicMedia")
HDLR_MDTA = b"\0\0\0\0" + b"\0\0\0\0" + MDTA + b"\0" * 12 + b"\0"  # as ffmpeg writes it


def _name(kind: bytes) -> str:
    """A box type for a message: its four letters when printable, else hex."""
    text = kind.decode("latin-1")
    return repr(text) if text.isprintable() else f"0x{kind.hex()}"


def _u32(data: bytes, pos: int, where: str) -> int:
    if pos + 4 > len(data):
        raise FormatError(f"{where} is truncated")
    return int.from_bytes(data[pos : pos + 4], "big")


@dataclass(eq=False)
class Box:
    """A box of the rebuilt moov (or moof, mfra): leaves keep their bytes, opened boxes keep
    their children. Rebuilding an untouched box gives back its exact bytes."""

    kind: bytes
    offset: int  # where it began in the input, for messages; -1 for a box made here
    payload: bytes = b""  # a leaf's content, or the fields before an opened box's children
    children: list[Box] | None = None
    trailer: bytes = b""  # zero padding after the children (QuickTime ends udta with 0)
    large: bool = False  # written with a 64-bit size, as it was read

    def body(self) -> bytes:
        if self.children is None:
            return self.payload
        return self.payload + b"".join(c.to_bytes() for c in self.children) + self.trailer

    def to_bytes(self) -> bytes:
        body = self.body()
        if self.large or len(body) + 8 > U32:
            return struct.pack(">I4sQ", 1, self.kind, len(body) + 16) + body
        return struct.pack(">I4s", len(body) + 8, self.kind) + body

    def child(self, kind: bytes) -> Box | None:
        return next((c for c in self.children or () if c.kind == kind), None)

    def all(self, kind: bytes) -> list[Box]:
        return [c for c in self.children or () if c.kind == kind]


@dataclass(frozen=True, slots=True)
class Header:
    """A top-level box as found in the stream: only its header is read."""

    kind: bytes
    start: int
    body: int
    end: int


# --- reading boxes ----------------------------------------------------------------------------


def _stream_length(stream: BinaryIO) -> int:
    stream.seek(0, 2)
    return stream.tell()


def _top_level(stream: BinaryIO, length: int) -> list[Header]:
    """Every top-level box header; sizes are checked against the file's length here, so a
    truncated or lying file fails before anything is written."""
    headers: list[Header] = []
    pos = 0
    while pos < length:
        stream.seek(pos)
        head = stream.read(16)
        if len(head) < 8:
            raise FormatError(f"{length - pos} stray bytes at offset {pos}, too few for a box")
        size, kind = struct.unpack_from(">I4s", head)
        header_size = 8
        if size == 1:
            if len(head) < 16:
                raise FormatError(f"box {_name(kind)} at offset {pos} has a truncated 64-bit size")
            size = int.from_bytes(head[8:16], "big")
            header_size = 16
        elif size == 0:
            size = length - pos  # extends to the end of the file
        if size < header_size:
            raise FormatError(f"box {_name(kind)} at offset {pos} has an impossible size {size}")
        if pos + size > length:
            raise FormatError(
                f"box {_name(kind)} at offset {pos} claims {size} bytes but the file ends "
                f"{length - pos} bytes after it starts (truncated?)"
            )
        headers.append(Header(kind, pos, pos + header_size, pos + size))
        pos += size
    if not headers:
        raise FormatError("the file is empty")
    return headers


def _single_moov(headers: list[Header]) -> Header:
    moovs = [h for h in headers if h.kind == b"moov"]
    if not moovs:
        raise FormatError("no moov box: not a complete MP4/MOV file")
    if len(moovs) > 1:
        raise FormatError(f"{len(moovs)} moov boxes (offsets {moovs[0].start}, {moovs[1].start})")
    return moovs[0]


def _load(stream: BinaryIO, header: Header, limit: int) -> Box:
    """A top-level box read whole and opened."""
    size = header.end - header.start
    if size > limit:
        raise FormatError(
            f"box {_name(header.kind)} at offset {header.start} is {size} bytes, more than the "
            f"{limit >> 20} MiB this reader loads whole"
        )
    stream.seek(header.start)
    data = stream.read(size)
    if len(data) != size:
        raise FormatError(f"box {_name(header.kind)} at offset {header.start} is truncated")
    box = _open_box(data, 0, header.body - header.start, size, header.start, b"")
    box.large = header.body - header.start == 16
    return box


def _parse_boxes(
    data: bytes, start: int, end: int, base: int, context: bytes
) -> tuple[list[Box], int]:
    """The boxes in data[start:end] (file offset `base` + index) and where zero padding after
    them begins (QuickTime ends udta with a zero word); `context` is the box holding them."""
    boxes: list[Box] = []
    padding = start + len(data[start:end].rstrip(b"\0"))
    pos = start
    while pos < padding:
        if end - pos < 8:
            raise FormatError(f"{end - pos} stray bytes at offset {base + pos} inside a box")
        size, kind = struct.unpack_from(">I4s", data, pos)
        header_size = 8
        if size == 1:
            if end - pos < 16:
                raise FormatError(f"box {_name(kind)} at offset {base + pos} is truncated")
            size = int.from_bytes(data[pos + 8 : pos + 16], "big")
            header_size = 16
        if size < header_size or pos + size > end:
            raise FormatError(
                f"box {_name(kind)} at offset {base + pos} claims {size} bytes, more than the "
                f"box holding it has left ({end - pos})"
            )
        box = _open_box(data, pos, header_size, pos + size, base, context)
        box.large = header_size == 16
        boxes.append(box)
        pos += size
    return boxes, pos


def _open_box(data: bytes, pos: int, header_size: int, end: int, base: int, context: bytes) -> Box:
    kind = data[pos + 4 : pos + 8]
    body_start = pos + header_size
    inner = ITEM if context == b"ilst" else kind
    opens = context == b"ilst" or kind in NESTING.get(context, frozenset())
    if not opens:
        return Box(kind, base + pos, data[body_start:end])
    prefix = b""
    if kind == b"meta":
        # ISO meta is a full box (version/flags, all zero, before hdlr); QuickTime's starts
        # with its first child, whose size is never zero.
        if end - body_start < 4:
            raise FormatError(f"box 'meta' at offset {base + pos} is truncated")
        head = data[body_start : body_start + 8]
        if head[4:8] != b"hdlr" and head[:4] == b"\0\0\0\0":
            prefix = head[:4]
    try:
        children, padding = _parse_boxes(data, body_start + len(prefix), end, base, inner)
    except FormatError:
        if kind != b"udta":
            raise
        # Some cameras fill udta with vendor bytes that are not boxes: keep them as they are
        # (the label then goes in moov/meta).
        return Box(kind, base + pos, data[body_start:end])
    return Box(kind, base + pos, prefix, children, data[padding:end])


# --- metadata: keys, ilst, data ---------------------------------------------------------------


@dataclass(eq=False)
class Meta:
    """A meta box found under moov, with where it sits and its handler (mdta, mdir, ...)."""

    box: Box
    where: str
    handler: bytes = field(default=b"")


def _metas(moov: Box) -> list[Meta]:
    """Every opened meta box under moov: moov/udta/meta, moov/meta and the tracks' ones."""
    found: list[Meta] = []

    def visit(box: Box, path: str) -> None:
        for child in box.children or ():
            if child.kind == b"meta" and child.children is not None:
                found.append(Meta(child, f"{path}/meta", _handler(child)))
            elif child.kind in (b"udta", b"trak") and child.children is not None:
                visit(child, f"{path}/{child.kind.decode('latin-1')}")

    visit(moov, "moov")
    return found


def _handler(meta: Box) -> bytes:
    hdlr = meta.child(b"hdlr")
    return hdlr.payload[8:12] if hdlr is not None else b""


def _keys(meta: Box) -> list[tuple[bytes, bytes]]:
    """The (namespace, name) of each key of an mdta meta; key index n is entry n-1."""
    box = meta.child(b"keys")
    if box is None:
        return []
    data = box.payload
    where = f"box 'keys' at offset {box.offset}"
    count = _u32(data, 4, where)
    entries: list[tuple[bytes, bytes]] = []
    pos = 8
    for index in range(count):
        size = _u32(data, pos, f"{where} (key {index + 1} of {count})")
        if size < 8 or pos + size > len(data):
            raise FormatError(f"{where}: key {index + 1} claims {size} bytes, more than is left")
        entries.append((data[pos + 4 : pos + 8], data[pos + 8 : pos + size]))
        pos += size
    return entries


def _set_keys(meta: Box, entries: list[tuple[bytes, bytes]]) -> None:
    box = meta.child(b"keys")
    assert box is not None  # callers only change keys they read or made
    body = b"".join(struct.pack(">I", 8 + len(n)) + ns + n for ns, n in entries)
    box.payload = box.payload[:4] + struct.pack(">I", len(entries)) + body


def _key_indices(meta: Box, name: str) -> list[int]:
    wanted = name.encode("utf-8")
    return [i + 1 for i, (_, key) in enumerate(_keys(meta)) if key == wanted]


def _item_index(item: Box) -> int:
    return int.from_bytes(item.kind, "big")


def _items(meta: Box, index: int) -> list[Box]:
    return [item for item in _meta_items(meta) if _item_index(item) == index]


def _data_texts(item: Box) -> list[str]:
    """The text of each `data` atom of an ilst item (type 1 UTF-8, 2 UTF-16)."""
    texts = []
    for data in item.all(b"data"):
        if len(data.payload) < 8:
            raise FormatError(f"box 'data' at offset {data.offset} is shorter than its header")
        value_type = int.from_bytes(data.payload[1:4], "big")
        value = data.payload[8:]
        codec = "utf-16-be" if value_type == 2 else "utf-8"
        texts.append(value.decode(codec, errors="replace"))
    return texts


def _data_box(text: str) -> Box:
    """A `data` atom: type 1 (UTF-8), locale 0, as ffmpeg writes."""
    return Box(b"data", -1, struct.pack(">II", 1, 0) + text.encode("utf-8"))


def _mdta_values(meta: Box, name: str) -> list[str]:
    values: list[str] = []
    for index in _key_indices(meta, name):
        for item in _items(meta, index):
            values.extend(_data_texts(item))
    return values


# --- legacy carriers: an AIGC JSON in a comment or a freeform iTunes item ----------------------


def _legacy_value(text: str) -> str | None:
    """The AIGC JSON a free-text field holds, if it holds one: the seven-field object itself,
    `{"AIGC": {...}}`, or either after an `AIGC=`/`AIGC:` prefix."""
    text = text.strip()
    if text[:5] in (f"{KEY}=", f"{KEY}:"):
        text = text[5:].strip()
    if not text.startswith("{"):
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, dict) and set(data) == {KEY}:
        inner = data[KEY]
        if isinstance(inner, str):
            return inner
        return json.dumps(inner, ensure_ascii=False, separators=(",", ":"))
    if isinstance(data, dict) and "Label" in data and set(data) <= set(FIELDS):
        return text
    return None


def _freeform_name(item: Box) -> bytes:
    name = item.child(b"name")
    return name.payload[4:] if name is not None else b""


def _itunes_item_labels(item: Box) -> list[str]:
    if item.kind == b"----":
        return _data_texts(item) if _freeform_name(item) == KEY.encode() else []
    if item.kind in LEGACY_ITUNES_ITEMS:
        return [v for v in map(_legacy_value, _data_texts(item)) if v is not None]
    return []


def _quicktime_texts(box: Box) -> list[tuple[bytes, str]] | None:
    """The records of a QuickTime user-data text atom (16-bit length, 16-bit language, text);
    None when the atom is not laid out that way."""
    data = box.payload
    records: list[tuple[bytes, str]] = []
    pos = 0
    while pos < len(data):
        if pos + 4 > len(data):
            return None
        size = int.from_bytes(data[pos : pos + 2], "big")
        if pos + 4 + size > len(data):
            return None
        raw = data[pos : pos + 4 + size]
        records.append((raw, raw[4:].decode("utf-8", errors="replace")))
        pos += 4 + size
    return records


def _legacy_labels(moov: Box, metas: list[Meta]) -> list[Carried]:
    found: list[Carried] = []
    for meta in metas:
        if meta.handler == MDTA:
            continue
        for item in _meta_items(meta.box):
            for value in _itunes_item_labels(item):
                what = "freeform item" if item.kind == b"----" else f"{_name(item.kind)} item"
                found.append(Carried(f"iTunes {what} in {meta.where}/ilst", value))
    for udta, where in _udtas(moov):
        for box in udta.children or ():
            if box.kind in LEGACY_QUICKTIME_TEXTS:
                for _, text in _quicktime_texts(box) or ():
                    label = _legacy_value(text)
                    if label is not None:
                        found.append(Carried(f"QuickTime {_name(box.kind)} text in {where}", label))
    return found


def _meta_items(meta: Box) -> list[Box]:
    ilst = meta.child(b"ilst")
    return list(ilst.children or ()) if ilst is not None else []


def _udtas(moov: Box) -> Iterator[tuple[Box, str]]:
    for udta in moov.all(b"udta"):
        yield udta, "moov/udta"
    for trak in moov.all(b"trak"):
        for udta in trak.all(b"udta"):
            yield udta, "moov/trak/udta"


def _strip_legacy(moov: Box, metas: list[Meta]) -> None:
    """Remove every legacy carrier that holds an AIGC label (one label per file)."""
    for meta in metas:
        ilst = meta.box.child(b"ilst")
        if meta.handler != MDTA and ilst is not None and ilst.children is not None:
            ilst.children = [item for item in ilst.children if not _itunes_item_labels(item)]
    for udta, _ in _udtas(moov):
        if udta.children is None:
            continue
        kept: list[Box] = []
        for box in udta.children or ():
            records = _quicktime_texts(box) if box.kind in LEGACY_QUICKTIME_TEXTS else None
            if records is not None:
                rest = [raw for raw, text in records if _legacy_value(text) is None]
                if not rest:
                    continue
                box.payload = b"".join(rest)
            kept.append(box)
        udta.children = kept


# --- traces -----------------------------------------------------------------------------------


def _xmp_traces(xmp: bytes, where: str) -> list[str]:
    for source_type in AI_SOURCE_TYPES:
        if source_type in xmp:
            return [f"IPTC digital source type {source_type.decode()} in XMP ({where})"]
    return []


def _traces(stream: BinaryIO, headers: list[Header], moov: Box) -> list[str]:
    traces: list[str] = []
    for header in headers:
        if header.kind != b"uuid" or header.end - header.body < 16:
            continue
        stream.seek(header.body)
        uuid = stream.read(16)
        if uuid == C2PA_UUID:
            traces.append(f"C2PA manifest store (uuid box at offset {header.start})")
        elif uuid == XMP_UUID:
            xmp = stream.read(min(header.end - header.body - 16, MAX_XMP_SCAN))
            traces.extend(_xmp_traces(xmp, f"uuid box at offset {header.start}"))
    for udta, where in _udtas(moov):
        for box in udta.all(b"XMP_"):
            traces.extend(_xmp_traces(box.payload, f"{where}/XMP_"))
    return traces


# --- writing the label ------------------------------------------------------------------------


def _label_target(moov: Box, metas: list[Meta]) -> Meta:
    """The mdta meta the label goes in: the moov-level one already holding it, else any
    moov-level mdta meta, else a new one (in udta as ffmpeg puts it, or in moov/meta when udta
    already has an iTunes meta)."""
    moov_level = [
        m for m in metas if m.handler == MDTA and m.where in ("moov/udta/meta", "moov/meta")
    ]
    for meta in moov_level:
        if _key_indices(meta.box, KEY):
            return meta
    return moov_level[0] if moov_level else _new_label_meta(moov)


def _new_label_meta(moov: Box) -> Meta:
    hdlr = Box(b"hdlr", -1, HDLR_MDTA)
    udta = moov.child(b"udta")
    if udta is not None and (udta.children is None or udta.child(b"meta") is not None):
        apple = Box(b"meta", -1, b"", [hdlr])  # QuickTime form, as Apple writes moov/meta
        _append(moov, apple)
        return Meta(apple, "moov/meta", MDTA)
    if udta is None:
        udta = Box(b"udta", -1, b"", [])
        _append(moov, udta)
    iso = Box(b"meta", -1, b"\0\0\0\0", [hdlr])  # ISO full box, as ffmpeg writes udta/meta
    _append(udta, iso)
    return Meta(iso, "moov/udta/meta", MDTA)


def _append(parent: Box, child: Box) -> None:
    if parent.children is None:
        raise FormatError(f"box {_name(parent.kind)} at offset {parent.offset} was not opened")
    parent.children.append(child)


def _ensure_keys_and_ilst(meta: Box) -> None:
    """keys must precede ilst (readers resolve item numbers against keys already read)."""
    assert meta.children is not None
    if meta.child(b"keys") is None:
        hdlr = meta.child(b"hdlr")
        at = meta.children.index(hdlr) + 1 if hdlr is not None else 0
        meta.children.insert(at, Box(b"keys", -1, struct.pack(">II", 0, 0)))
    if meta.child(b"ilst") is None:
        meta.children.append(Box(b"ilst", -1, b"", []))


def _drop_key(meta: Box, index: int) -> None:
    """Remove key `index` and its items; later items are renumbered to match the keys."""
    entries = _keys(meta)
    del entries[index - 1]
    _set_keys(meta, entries)
    ilst = meta.child(b"ilst")
    if ilst is None or ilst.children is None:
        return
    kept = []
    for item in ilst.children:
        number = _item_index(item)
        if number == index:
            continue
        if number > index:
            item.kind = struct.pack(">I", number - 1)
        kept.append(item)
    ilst.children = kept


def _set_item(meta: Box, index: int, text: str) -> None:
    """Item `index` holds exactly one data atom, `text`."""
    ilst = meta.child(b"ilst")
    assert ilst is not None and ilst.children is not None
    items = [item for item in ilst.children if _item_index(item) == index]
    if not items:
        ilst.children.append(Box(struct.pack(">I", index), -1, b"", [_data_box(text)]))
        return
    ilst.children = [item for item in ilst.children if item not in items[1:]]
    item = items[0]
    assert item.children is not None
    first_data = next((i for i, c in enumerate(item.children) if c.kind == b"data"), None)
    others = [c for c in item.children if c.kind != b"data"]
    at = len(others) if first_data is None else first_data
    item.children = [*others[:at], _data_box(text), *others[at:]]


def _set_key(target: Meta, metas: list[Meta], name: str, text: str) -> None:
    """`name` = `text` in the target meta, once; the key is removed from every other meta."""
    for meta in metas:
        if meta is not target and meta.handler == MDTA:
            for index in reversed(_key_indices(meta.box, name)):
                _drop_key(meta.box, index)
    _ensure_keys_and_ilst(target.box)
    indices = _key_indices(target.box, name)
    for index in reversed(indices[1:]):
        _drop_key(target.box, index)
    entries = _keys(target.box)
    if indices:
        entries[indices[0] - 1] = (MDTA, name.encode("utf-8"))
        index = indices[0]
    else:
        entries.append((MDTA, name.encode("utf-8")))
        index = len(entries)
    _set_keys(target.box, entries)
    _set_item(target.box, index, text)


def _put_label(moov: Box, update: Update) -> None:
    metas = _metas(moov)
    target = _label_target(moov, metas)
    if target not in metas:
        metas.append(target)
    _set_key(target, metas, KEY, update.label_json)
    if update.explicit is not None:
        _set_key(target, metas, EXPLICIT_RECORD_KEY, update.explicit)
    _strip_legacy(moov, metas)


# --- moving offsets ---------------------------------------------------------------------------


def _sample_tables(moov: Box) -> Iterator[Box]:
    for trak in moov.all(b"trak"):
        for mdia in trak.all(b"mdia"):
            for minf in mdia.all(b"minf"):
                yield from minf.all(b"stbl")


def _offset_tables(moov: Box) -> list[Box]:
    return [
        box
        for stbl in _sample_tables(moov)
        for box in stbl.children or ()
        if box.kind in (b"stco", b"co64", b"saio")
    ]


def _table(box: Box, width: int, first: int) -> tuple[list[int], int]:
    """The entries of an offset table whose count is at `first`, and where they end."""
    count = _u32(box.payload, first, f"box {_name(box.kind)} at offset {box.offset}")
    end = first + 4 + count * width
    if end > len(box.payload):
        raise FormatError(
            f"box {_name(box.kind)} at offset {box.offset} lists {count} offsets but is too short"
        )
    code = "I" if width == 4 else "Q"
    return list(struct.unpack(f">{count}{code}", box.payload[first + 4 : end])), end


def _saio_layout(box: Box) -> tuple[int, int]:
    """Where a saio's entry count sits and how wide its offsets are."""
    if len(box.payload) < 4:
        raise FormatError(f"box 'saio' at offset {box.offset} is truncated")
    first = 12 if int.from_bytes(box.payload[1:4], "big") & 1 else 4
    return first, 8 if box.payload[0] == 1 else 4


def _layout(box: Box) -> tuple[int, int]:
    if box.kind == b"saio":
        return _saio_layout(box)
    return 4, 8 if box.kind == b"co64" else 4


def _shifted(values: list[int], threshold: int, delta: int) -> list[int]:
    return [v + delta if v >= threshold else v for v in values]


def _overflows(box: Box, threshold: int, delta: int) -> bool:
    first, width = _layout(box)
    if width == 8 or delta <= 0:
        return False
    values, _ = _table(box, width, first)
    return any(v > U32 for v in _shifted(values, threshold, delta))


def _widen(box: Box) -> None:
    """An stco rewritten as co64, for offsets past 4 GiB."""
    values, end = _table(box, 4, 4)
    box.kind = b"co64"
    packed = struct.pack(f">I{len(values)}Q", len(values), *values)
    box.payload = box.payload[:4] + packed + box.payload[end:]


def _shift_table(box: Box, threshold: int, delta: int) -> None:
    first, width = _layout(box)
    values, end = _table(box, width, first)
    shifted = _shifted(values, threshold, delta)
    if width == 4 and any(v > U32 for v in shifted):
        raise FormatError(f"box 'saio' at offset {box.offset} would need offsets past 4 GiB")
    code = "I" if width == 4 else "Q"
    packed = struct.pack(f">{len(shifted)}{code}", *shifted)
    box.payload = box.payload[: first + 4] + packed + box.payload[end:]


def _rebuilt_moov(moov: Box, old_size: int, threshold: int) -> bytes:
    """moov's new bytes, its offsets into the rest of the file moved by its change in size."""
    tables = _offset_tables(moov)
    while True:
        delta = len(moov.to_bytes()) - old_size
        wide = [b for b in tables if b.kind == b"stco" and _overflows(b, threshold, delta)]
        if not wide:
            break
        for box in wide:
            _widen(box)
    if delta:
        for box in tables:
            _shift_table(box, threshold, delta)
    return moov.to_bytes()


def _shift_tfhd(tfhd: Box, threshold: int, delta: int) -> None:
    data = tfhd.payload
    if len(data) < 8:
        raise FormatError(f"box 'tfhd' at offset {tfhd.offset} is truncated")
    if not int.from_bytes(data[1:4], "big") & 1:
        return  # no base-data-offset: offsets are relative to the moof, which moves with them
    if len(data) < 16:
        raise FormatError(f"box 'tfhd' at offset {tfhd.offset} is truncated")
    base = int.from_bytes(data[8:16], "big")
    if base >= threshold:
        tfhd.payload = data[:8] + struct.pack(">Q", base + delta) + data[16:]


def _shift_tfra(tfra: Box, threshold: int, delta: int) -> None:
    data = tfra.payload
    where = f"box 'tfra' at offset {tfra.offset}"
    sizes = _u32(data, 8, where)
    count = _u32(data, 12, where)
    width = 8 if data[0] == 1 else 4
    entry = 2 * width + ((sizes >> 4) & 3) + ((sizes >> 2) & 3) + (sizes & 3) + 3
    if 16 + count * entry > len(data):
        raise FormatError(f"{where} lists {count} entries but is too short")
    out = bytearray(data)
    for n in range(count):
        at = 16 + n * entry + width
        offset = int.from_bytes(data[at : at + width], "big")
        if offset >= threshold:
            offset += delta
            if offset >= 1 << (8 * width):
                raise FormatError(f"{where} would need an offset past 4 GiB")
            out[at : at + width] = offset.to_bytes(width, "big")
    tfra.payload = bytes(out)


def _shift_fragment_box(box: Box, threshold: int, delta: int) -> None:
    for traf in box.all(b"traf"):
        for tfhd in traf.all(b"tfhd"):
            _shift_tfhd(tfhd, threshold, delta)
    for tfra in box.all(b"tfra"):
        _shift_tfra(tfra, threshold, delta)


def _check_movable(stream: BinaryIO, headers: list[Header], moov: Header) -> None:
    """Refuse layouts whose offsets this module does not move, before writing anything."""
    for header in headers:
        if header.kind == b"sidx" and header.start < moov.start:
            raise FormatError(
                f"segment index (sidx) at offset {header.start} comes before moov; resizing "
                "moov would break it"
            )
        if header.kind == b"meta":
            meta = _load(stream, header, MAX_FRAGMENT_BOX)
            if meta.child(b"iloc") is not None:
                raise FormatError(
                    f"file-level meta at offset {header.start} has item locations (iloc); "
                    "resizing moov would break them"
                )


def _copy(stream: BinaryIO, out: BinaryIO, start: int, end: int) -> None:
    stream.seek(start)
    remaining = end - start
    while remaining:
        chunk = stream.read(min(CHUNK, remaining))
        if not chunk:
            raise FormatError(f"the file ended early at offset {end - remaining}")
        out.write(chunk)
        remaining -= len(chunk)


# --- the carrier ------------------------------------------------------------------------------


class Mp4Format:
    """The ISO BMFF carrier (MP4, M4V, M4A, 3GP, MOV)."""

    name = "mp4"
    carrier = "QuickTime metadata key AIGC (mdta) in moov/udta/meta"

    def sniff(self, head: bytes, suffix: str) -> bool:
        if len(head) >= 12 and head[4:8] == b"ftyp":
            return head[8:12] not in NOT_MOVIE_BRANDS
        return suffix in (".mov", ".qt") and head[4:8] in OLD_QUICKTIME_FIRST_BOXES

    def read(self, stream: BinaryIO) -> Metadata:
        headers = _top_level(stream, _stream_length(stream))
        moov = _load(stream, _single_moov(headers), MAX_MOOV)
        metas = _metas(moov)
        labels: list[Carried] = []
        explicit: list[str] = []
        for meta in metas:
            if meta.handler == MDTA:
                for value in _mdta_values(meta.box, KEY):
                    labels.append(Carried(f"QuickTime metadata key AIGC in {meta.where}", value))
                explicit.extend(_mdta_values(meta.box, EXPLICIT_RECORD_KEY))
        labels.extend(_legacy_labels(moov, metas))
        traces = _traces(stream, headers, moov)
        return Metadata(tuple(labels), explicit[0] if explicit else None, tuple(traces))

    def write(self, stream: BinaryIO, out: BinaryIO, update: Update) -> None:
        headers = _top_level(stream, _stream_length(stream))
        moov_header = _single_moov(headers)
        moov = _load(stream, moov_header, MAX_MOOV)
        _put_label(moov, update)
        old_size = moov_header.end - moov_header.start
        new_moov = _rebuilt_moov(moov, old_size, moov_header.end)
        delta = len(new_moov) - old_size
        if delta:
            _check_movable(stream, headers, moov_header)
        for header in headers:
            if header is moov_header:
                out.write(new_moov)
            elif delta and header.kind in (b"moof", b"mfra"):
                box = _load(stream, header, MAX_FRAGMENT_BOX)
                _shift_fragment_box(box, moov_header.end, delta)
                out.write(box.to_bytes())
            else:
                _copy(stream, out, header.start, header.end)


FORMAT = Mp4Format()
