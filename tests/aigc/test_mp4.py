"""The MP4/MOV carrier: the label as QuickTime metadata key AIGC, read back by ffmpeg and exiftool,
one label per file, and the media data still where the sample tables say it is after moov
changes size (moov before or after mdat, stco and co64, fragments)."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path

import imageio_ffmpeg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chinacomply.aigc.formats.base import EXPLICIT_RECORD_KEY, FormatError, Metadata, Update
from chinacomply.aigc.formats.mp4 import FORMAT
from chinacomply.aigc.label import ImplicitLabel

PRODUCER = "001191440300708461136T1XGW3"
PLATFORM = "001191110102MACQD9K64028705"
LABEL = ImplicitLabel.first_write(PRODUCER, "vid-0001").to_json()
PROPAGATED = ImplicitLabel.first_write(PRODUCER, "vid-0001").propagated(PLATFORM, "p-77").to_json()
SAMPLES = [f"sample-{i}-payload".encode() for i in range(5)]  # 16 bytes each
CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"moof", b"traf", b"mfra"}


# --- hand-built files -------------------------------------------------------------------------


def box(kind: bytes, *parts: bytes) -> bytes:
    body = b"".join(parts)
    return struct.pack(">I4s", 8 + len(body), kind) + body


def full(kind: bytes, *parts: bytes, version: int = 0, flags: int = 0) -> bytes:
    return box(kind, struct.pack(">I", version << 24 | flags), *parts)


def data_atom(text: str) -> bytes:
    return box(b"data", struct.pack(">II", 1, 0), text.encode())


def mdta_meta(keys: list[str], values: list[str], iso: bool = True) -> bytes:
    """An mdta meta, ISO form (version/flags) as ffmpeg writes it, or QuickTime form."""
    hdlr = full(b"hdlr", bytes(4), b"mdta", bytes(12), b"\0")
    entries = b"".join(struct.pack(">I", 8 + len(k)) + b"mdta" + k.encode() for k in keys)
    keys_box = full(b"keys", struct.pack(">I", len(keys)), entries)
    items = b"".join(box(struct.pack(">I", i + 1), data_atom(v)) for i, v in enumerate(values))
    body = hdlr + keys_box + box(b"ilst", items)
    return box(b"meta", bytes(4) if iso else b"", body)


def itunes_meta(*items: bytes) -> bytes:
    hdlr = full(b"hdlr", bytes(4), b"mdirappl", bytes(9))
    return full(b"meta", hdlr, box(b"ilst", *items))


ITUNES_TOOL = box(b"\xa9too", data_atom("Lavf61"))
QUICKTIME_TEXT = box(b"\xa9nam", struct.pack(">HH", 5, 0x55C4), b"title")
UDTAS = {
    "no udta": b"",
    "QuickTime text udta": box(b"udta", QUICKTIME_TEXT),
    "iTunes udta": box(b"udta", itunes_meta(ITUNES_TOOL)),
}


def trak(offsets: list[int], table: bytes, extra: bytes = b"") -> bytes:
    count = len(offsets)
    if table == b"co64":
        chunk_offsets = full(b"co64", struct.pack(f">I{count}Q", count, *offsets))
    else:
        chunk_offsets = full(b"stco", struct.pack(f">I{count}I", count, *offsets))
    stbl = box(
        b"stbl",
        full(b"stsd", struct.pack(">I", 1), box(b"mp4v", bytes(78))),
        full(b"stts", struct.pack(">III", 1, count, 1)),
        full(b"stsc", struct.pack(">IIII", 1, 1, 1, 1)),
        full(b"stsz", struct.pack(">II", 16, count)),
        chunk_offsets,
    )
    minf = box(b"minf", full(b"vmhd", bytes(8), flags=1), stbl)
    hdlr = full(b"hdlr", bytes(4), b"vide", bytes(12), b"\0")
    mdia = box(b"mdia", full(b"mdhd", bytes(20)), hdlr, minf)
    return box(b"trak", full(b"tkhd", bytes(80), flags=3), mdia, extra)


def movie(
    moov_first: bool,
    udta: bytes = b"",
    mdat_header: str = "plain",
    trak_extra: bytes = b"",
    moov_extra: bytes = b"",
    far_offset: int | None = None,
) -> bytes:
    """ftyp + moov (two tracks: one stco, one co64) + mdat holding SAMPLES, in either order."""
    ftyp = box(b"ftyp", b"isom", struct.pack(">I", 512), b"isomiso2mp41")
    mdat_body = b"".join(b"--" + s for s in SAMPLES)
    header_size = 16 if mdat_header == "large" else 8
    starts = [2 + i * 18 for i in range(len(SAMPLES))]

    def moov(base: int) -> bytes:
        video = [base + s for s in starts[:3]]
        audio = [base + s for s in starts[3:]]
        if far_offset is not None:
            video.append(far_offset)
        return box(
            b"moov",
            full(b"mvhd", bytes(96)),
            trak(video, b"stco", trak_extra),
            trak(audio, b"co64"),
            udta,
            moov_extra,
        )

    if mdat_header == "large":
        mdat = struct.pack(">I4sQ", 1, b"mdat", 16 + len(mdat_body)) + mdat_body
    elif mdat_header == "to end":
        mdat = struct.pack(">I4s", 0, b"mdat") + mdat_body
    else:
        mdat = box(b"mdat", mdat_body)
    if moov_first:
        size = len(moov(0))
        return ftyp + moov(len(ftyp) + size + header_size) + mdat
    return ftyp + mdat + moov(len(ftyp) + header_size)


def walk(data: bytes, start: int = 0, end: int | None = None) -> Iterator[tuple[bytes, int, int]]:
    """(type, body start, end) of every box in the containers this test looks into."""
    end = len(data) if end is None else end
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            size, header = struct.unpack_from(">Q", data, pos + 8)[0], 16
        elif size == 0:
            size = end - pos
        yield kind, pos + header, pos + size
        if kind in CONTAINERS:
            yield from walk(data, pos + header, pos + size)
        pos += size


def chunk_offsets(data: bytes) -> list[int]:
    offsets: list[int] = []
    for kind, body, _ in walk(data):
        if kind in (b"stco", b"co64"):
            count = struct.unpack_from(">I", data, body + 4)[0]
            code = "I" if kind == b"stco" else "Q"
            offsets.extend(struct.unpack_from(f">{count}{code}", data, body + 8))
    return offsets


def chunks(data: bytes) -> list[bytes]:
    return [data[o : o + 16] for o in chunk_offsets(data)]


def label(data: bytes, json_text: str = LABEL, explicit: str | None = None) -> bytes:
    out = io.BytesIO()
    FORMAT.write(io.BytesIO(data), out, Update(json_text, explicit))
    return out.getvalue()


def read(data: bytes) -> Metadata:
    return FORMAT.read(io.BytesIO(data))


# --- hand-built: placement, offsets, one label ------------------------------------------------


@pytest.mark.parametrize("moov_first", [True, False], ids=["moov first", "mdat first"])
@pytest.mark.parametrize("udta", list(UDTAS), ids=list(UDTAS))
def test_label_round_trips_and_samples_stay_where_the_tables_point(
    moov_first: bool, udta: str
) -> None:
    original = movie(moov_first, UDTAS[udta])
    assert chunks(original) == SAMPLES
    labelled = label(original, explicit="visible label at bottom-right")
    meta = read(labelled)
    assert [c.value for c in meta.labels] == [LABEL]
    assert meta.explicit == "visible label at bottom-right"
    assert chunks(labelled) == SAMPLES
    assert labelled.count(b"mdtaAIGC") == 1
    for kept in (QUICKTIME_TEXT, ITUNES_TOOL):
        assert (kept in labelled) == (kept in original)
    expected_home = "moov/meta" if udta == "iTunes udta" else "moov/udta/meta"
    assert meta.labels[0].carrier.endswith(expected_home)


@pytest.mark.parametrize("moov_first", [True, False], ids=["moov first", "mdat first"])
def test_second_write_replaces_the_label_and_rewriting_it_changes_nothing(moov_first: bool) -> None:
    once = label(movie(moov_first))
    twice = label(once, PROPAGATED)
    assert [c.value for c in read(twice).labels] == [PROPAGATED]
    assert twice.count(b"mdtaAIGC") == 1
    assert chunks(twice) == SAMPLES
    assert label(once) == once  # the same label again: byte for byte the same file
    assert label(twice) == once  # a shorter value shrinks moov; offsets move back


@pytest.mark.parametrize("mdat_header", ["large", "to end"])
def test_64_bit_and_to_end_of_file_box_sizes(mdat_header: str) -> None:
    original = movie(True, mdat_header=mdat_header)
    assert chunks(original) == SAMPLES
    labelled = label(original)
    assert chunks(labelled) == SAMPLES
    assert [c.value for c in read(labelled).labels] == [LABEL]


def test_stco_whose_offsets_would_pass_4_gib_becomes_co64() -> None:
    far = 0xFFFFFFFF - 10  # a chunk just below 4 GiB: moved by the label's bytes, it passes
    original = movie(True, far_offset=far)
    labelled = label(original)
    kinds = [kind for kind, _, _ in walk(labelled) if kind in (b"stco", b"co64")]
    assert kinds == [b"co64", b"co64"]
    offsets = chunk_offsets(labelled)
    delta = len(labelled) - len(original)
    assert offsets[3] == far + delta > 0xFFFFFFFF
    assert [labelled[o : o + 16] for o in offsets[:3] + offsets[4:]] == SAMPLES


def test_every_other_aigc_carrier_is_removed_and_other_keys_keep_their_values() -> None:
    old = ImplicitLabel.first_write(PRODUCER, "old").to_json()
    udta = box(
        b"udta",
        itunes_meta(box(b"\xa9cmt", data_atom(old)), ITUNES_TOOL),
        mdta_meta(
            ["com.example.before", "AIGC", "AIGC", "com.example.after"],
            ["before", old, old, "after"],
        ),
        box(b"\xa9cmt", struct.pack(">HH", len(old), 0x55C4), old.encode()),
    )
    track_meta = box(b"udta", mdta_meta(["AIGC"], [old]))
    original = movie(True, udta, trak_extra=track_meta)
    assert len(read(original).labels) == 5
    labelled = label(original)
    meta = read(labelled)
    assert [(c.carrier, c.value) for c in meta.labels] == [
        ("QuickTime metadata key AIGC in moov/udta/meta", LABEL)
    ]
    assert labelled.count(b"mdtaAIGC") == 1
    assert ITUNES_TOOL in labelled
    assert chunks(labelled) == SAMPLES
    tags = exiftool_tags(labelled)
    assert tags["Keys:ExampleBefore"] == "before"
    assert tags["Keys:ExampleAfter"] == "after"
    assert tags["Keys:AIGC"] == LABEL
    assert "ItemList:Comment" not in tags and "UserData:Comment" not in tags


def test_quicktime_form_meta_in_moov_is_updated_where_it_stands() -> None:
    apple = mdta_meta(["com.apple.quicktime.make", "AIGC"], ["Apple", "{}"], iso=False)
    original = movie(False, moov_extra=apple)
    assert [c.value for c in read(original).labels] == ["{}"]
    labelled = label(original)
    meta = read(labelled)
    assert [(c.carrier, c.value) for c in meta.labels] == [
        ("QuickTime metadata key AIGC in moov/meta", LABEL)
    ]
    assert b"udta" not in labelled  # no second meta made
    assert exiftool_tags(labelled)["Keys:Make"] == "Apple"


def test_udta_of_vendor_bytes_is_kept_and_the_label_goes_in_moov_meta() -> None:
    vendor = box(b"udta", b"\x01\x02 not boxes at all \xff")
    labelled = label(movie(True, vendor))
    assert vendor in labelled
    assert chunks(labelled) == SAMPLES
    meta = read(labelled)
    assert [(c.carrier, c.value) for c in meta.labels] == [
        ("QuickTime metadata key AIGC in moov/meta", LABEL)
    ]


def test_legacy_freeform_itunes_item_is_read() -> None:
    freeform = box(
        b"----",
        full(b"mean", b"com.apple.iTunes"),
        full(b"name", b"AIGC"),
        data_atom(LABEL),
    )
    meta = read(movie(True, box(b"udta", itunes_meta(freeform))))
    assert [c.value for c in meta.labels] == [LABEL]
    assert "freeform" in meta.labels[0].carrier


def test_traces_c2pa_and_xmp_digital_source_type() -> None:
    c2pa = box(b"uuid", bytes.fromhex("d8fec3d61b0e483c92975828877ec481"), b"\0" * 8)
    xmp = box(
        b"uuid",
        bytes.fromhex("be7acfcb97a942e89c71999491e3afac"),
        b'<x:xmpmeta Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/'
        b'digitalsourcetype/trainedAlgorithmicMedia"/>',
    )
    data = movie(False) + c2pa + xmp
    traces = read(data).traces
    assert len(traces) == 2
    assert "C2PA" in traces[0] and "trainedAlgorithmicMedia" in traces[1]
    assert read(movie(False)).traces == ()


def fragmented() -> tuple[bytes, int]:
    """moov (mvex) + a moof with an absolute base offset + a moof its trun counts from
    (default-base-is-moof) + their mdats + mfra; returns the file and the second moof's offset."""
    ftyp = box(b"ftyp", b"iso5", bytes(4), b"iso5iso6mp41")
    moov = box(
        b"moov",
        full(b"mvhd", bytes(96)),
        trak([], b"stco"),
        box(b"mvex", full(b"trex", bytes(20))),
    )
    head = ftyp + moov

    def absolute(base: int) -> bytes:
        tfhd = full(b"tfhd", struct.pack(">IQ", 1, base), flags=0x1)
        trun = full(b"trun", struct.pack(">Ii", 1, 2), flags=0x1)  # past the "--" filler
        return box(b"moof", full(b"mfhd", struct.pack(">I", 1)), box(b"traf", tfhd, trun))

    def relative(offset: int) -> bytes:
        tfhd = full(b"tfhd", struct.pack(">I", 1), flags=0x020000)
        trun = full(b"trun", struct.pack(">Ii", 1, offset), flags=0x1)
        return box(b"moof", box(b"traf", tfhd, trun))

    first = absolute(len(head) + len(absolute(0)) + 8)
    mdat1 = box(b"mdat", b"--" + SAMPLES[0])
    second_at = len(head) + len(first) + len(mdat1)
    second = relative(len(relative(0)) + 8)
    mdat2 = box(b"mdat", SAMPLES[1])
    entries = struct.pack(">QQ3B", 0, len(head), 1, 1, 1) + struct.pack(
        ">QQ3B", 1, second_at, 1, 1, 1
    )
    tfra = full(b"tfra", struct.pack(">III", 1, 0, 2), entries, version=1)
    mfra = box(b"mfra", tfra, full(b"mfro", struct.pack(">I", 8 + len(tfra) + 16)))
    return head + first + mdat1 + second + mdat2 + mfra, second_at


def fragment_samples(data: bytes) -> list[bytes]:
    """The first sample of each moof, found through its tfhd/trun, and the boxes tfra points at."""
    found = []
    moof_start = base = 0
    for kind, body, _ in walk(data):
        if kind == b"moof":
            moof_start = body - 8
        if kind == b"tfhd":
            flags = struct.unpack_from(">I", data, body)[0] & 0xFFFFFF
            base = struct.unpack_from(">Q", data, body + 8)[0] if flags & 1 else moof_start
        if kind == b"trun":
            offset = struct.unpack_from(">i", data, body + 8)[0]
            found.append(data[base + offset : base + offset + 16])
        if kind == b"tfra":
            count = struct.unpack_from(">I", data, body + 12)[0]
            for n in range(count):
                at = struct.unpack_from(">Q", data, body + 16 + n * 19 + 8)[0]
                found.append(data[at + 4 : at + 8])
    return found


def test_fragmented_file_keeps_fragment_offsets_right() -> None:
    original, relative_at = fragmented()
    expected = [SAMPLES[0], SAMPLES[1], b"moof", b"moof"]
    assert fragment_samples(original) == expected
    labelled = label(original)
    assert fragment_samples(labelled) == expected
    assert [c.value for c in read(labelled).labels] == [LABEL]
    relative_moof = original[relative_at : relative_at + 60]
    assert relative_moof in labelled  # relative to itself: not a byte changed


def test_segment_index_before_moov_is_refused() -> None:
    ftyp = box(b"ftyp", b"iso5", bytes(4), b"iso5")
    sidx = full(b"sidx", bytes(24))
    data = ftyp + sidx + movie(False)[len(box(b"ftyp", b"isom", bytes(4), b"isomiso2mp41")) :]
    with pytest.raises(FormatError, match="sidx"):
        label(data)


# --- detection --------------------------------------------------------------------------------


def test_sniff() -> None:
    assert FORMAT.sniff(movie(True)[:64], ".mp4")
    assert FORMAT.sniff(box(b"ftyp", b"M4A ", bytes(4))[:64], ".m4a")
    assert FORMAT.sniff(box(b"ftyp", b"qt  ", bytes(4)), ".mov")
    assert not FORMAT.sniff(box(b"ftyp", b"heic", bytes(4), b"mif1heic"), ".heic")
    assert not FORMAT.sniff(box(b"ftyp", b"avif", bytes(4)), ".avif")
    old_quicktime = box(b"wide") + box(b"mdat", b"x")
    assert FORMAT.sniff(old_quicktime, ".mov")
    assert not FORMAT.sniff(old_quicktime, ".bin")
    assert not FORMAT.sniff(b"\x89PNG\r\n\x1a\n" + bytes(24), ".png")


def test_old_quicktime_file_without_ftyp_is_labelled() -> None:
    data = movie(False)
    ftyp_size = struct.unpack_from(">I", data)[0]
    old = box(b"wide", bytes(ftyp_size - 8)) + data[ftyp_size:]  # same size: offsets still right
    assert FORMAT.sniff(old[:64], ".mov")
    assert chunks(old) == SAMPLES
    labelled = label(old)
    assert chunks(labelled) == SAMPLES
    assert [c.value for c in read(labelled).labels] == [LABEL]


# --- corruption -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty", b""),
        ("no moov", box(b"ftyp", b"isom", bytes(4)) + box(b"mdat", b"x" * 40)),
        ("two moovs", movie(False) + box(b"moov", full(b"mvhd", bytes(96)))),
        ("stray bytes", movie(False) + b"\0\0\0"),
        ("size too small", movie(False) + b"\0\0\0\x04free"),
        ("garbage", bytes(range(256)) * 4),
    ],
)
def test_malformed_files_raise_format_error(name: str, data: bytes) -> None:
    with pytest.raises(FormatError):
        read(data)
    with pytest.raises(FormatError):
        label(data)


@pytest.mark.parametrize("cut", [1, 7, 40, 200])
def test_truncated_files_raise_format_error(cut: int) -> None:
    for data in (movie(True), movie(False)):
        with pytest.raises(FormatError):
            read(data[:-cut])
        with pytest.raises(FormatError):
            label(data[:-cut])


def test_box_whose_size_overruns_its_parent_raises_format_error() -> None:
    data = bytearray(movie(False))
    stco_at = data.index(b"stco") - 4
    data[stco_at : stco_at + 4] = struct.pack(">I", 10_000)
    with pytest.raises(FormatError, match="stco"):
        read(bytes(data))
    count_at = data.index(b"co64") + 8
    data = bytearray(movie(False))
    data[count_at : count_at + 4] = struct.pack(">I", 1_000_000)
    with pytest.raises(FormatError, match="co64"):
        label(bytes(data))


BASE = movie(True, box(b"udta", mdta_meta(["AIGC", "x"], ["{}", "y"])))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.integers(0, 255)), min_size=1, max_size=4),
    st.integers(0, len(BASE)),
)
def test_mutated_files_only_ever_raise_format_error(
    changes: list[tuple[int, int]], length: int
) -> None:
    data = bytearray(BASE)
    for at, value in changes:
        data[at] = value
    mutated = bytes(data[:length])
    for action in (read, label):
        with contextlib.suppress(FormatError):
            action(mutated)


# --- real files made by ffmpeg ----------------------------------------------------------------


@pytest.fixture(scope="module")
def ffmpeg() -> str:
    exe = imageio_ffmpeg.get_ffmpeg_exe()
    assert exe and Path(exe).exists(), "ffmpeg missing: pip install imageio-ffmpeg"
    return str(exe)


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, capture_output=True, check=True, timeout=60)


def video_codec(ffmpeg: str) -> str:
    encoders = run(ffmpeg, "-hide_banner", "-encoders").stdout.decode()
    return "libx264" if " libx264 " in encoders else "mpeg4"


@pytest.fixture(scope="module")
def made(ffmpeg: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tiny real files: MP4 with moov at the end (ffmpeg's default), faststart MP4, MOV, M4A,
    fragmented MP4."""
    folder = tmp_path_factory.mktemp("mp4")
    picture = ["-f", "lavfi", "-i", "testsrc=duration=1:size=64x48:rate=10"]
    sound = ["-f", "lavfi", "-i", "sine=duration=1:sample_rate=8000"]
    movie = [*picture, *sound, "-c:v", video_codec(ffmpeg), "-c:a", "aac", "-shortest"]
    files = {
        "moov at end": (folder / "end.mp4", movie),
        "faststart": (folder / "fast.mp4", [*movie, "-movflags", "+faststart"]),
        "mov": (folder / "clip.mov", movie),
        "m4a": (folder / "sound.m4a", [*sound, "-c:a", "aac"]),
        # ffmpeg's fragments carry absolute base offsets in tfhd, and an mfra index at the end
        "fragmented": (folder / "frag.mp4", [*movie, "-movflags", "frag_keyframe+empty_moov"]),
    }
    for path, options in files.values():
        run(ffmpeg, "-v", "error", "-y", *options, str(path))
    return {name: path for name, (path, _) in files.items()}


def unescape_ffmetadata(text: str) -> dict[str, str]:
    """ffmetadata escapes = ; # \\ and newlines with a backslash."""
    tags: dict[str, str] = {}
    for line in text.splitlines()[1:]:
        key, _, value = line.partition("=")
        out, escaped = [], False
        for char in value:
            if escaped or char != "\\":
                out.append(char)
                escaped = False
            else:
                escaped = True
        tags[key] = "".join(out)
    return tags


def decoded(ffmpeg: str, path: Path) -> tuple[str, dict[str, str], str]:
    """Decoded frame checksums, ffmpeg's view of the tags, and ffmpeg's error output."""
    frames = path.with_suffix(".frames")
    tags = path.with_suffix(".ffmeta")
    done = run(
        *(ffmpeg, "-v", "error", "-y", "-i", str(path)),
        *("-map", "0", "-f", "framemd5", str(frames), "-f", "ffmetadata", str(tags)),
    )
    return frames.read_text(), unescape_ffmetadata(tags.read_text()), done.stderr.decode()


def label_file(source: Path, target: Path, json_text: str = LABEL) -> None:
    with source.open("rb") as stream, target.open("wb") as out:
        FORMAT.write(stream, out, Update(json_text))


@pytest.mark.parametrize("kind", ["moov at end", "faststart", "mov", "m4a", "fragmented"])
def test_ffmpeg_decodes_our_labelled_file_and_reads_the_label(
    ffmpeg: str, made: dict[str, Path], kind: str, tmp_path: Path
) -> None:
    source = made[kind]
    target = tmp_path / f"labelled{source.suffix}"
    label_file(source, target)
    frames_before, _, _ = decoded(ffmpeg, source)
    frames_after, tags, errors = decoded(ffmpeg, target)
    assert errors == ""
    assert frames_after == frames_before  # every video frame and audio packet decodes the same
    assert tags["AIGC"] == LABEL
    assert tags["encoder"].startswith("Lavf")  # ffmpeg's own tag kept
    with target.open("rb") as stream:
        assert [c.value for c in FORMAT.read(stream).labels] == [LABEL]


def test_file_labelled_by_ffmpeg_is_read_and_relabelled_with_one_key(
    ffmpeg: str, made: dict[str, Path], tmp_path: Path
) -> None:
    by_ffmpeg = tmp_path / "ffmpeg.mp4"
    run(
        *(ffmpeg, "-v", "error", "-i", str(made["moov at end"]), "-c", "copy"),
        *("-metadata", f"AIGC={LABEL}", "-movflags", "use_metadata_tags", str(by_ffmpeg)),
    )
    with by_ffmpeg.open("rb") as stream:
        meta = FORMAT.read(stream)
    assert [(c.carrier, c.value) for c in meta.labels] == [
        ("QuickTime metadata key AIGC in moov/udta/meta", LABEL)
    ]
    relabelled = tmp_path / "relabelled.mp4"
    label_file(by_ffmpeg, relabelled, PROPAGATED)
    assert relabelled.read_bytes().count(b"mdtaAIGC") == 1
    _, tags, errors = decoded(ffmpeg, relabelled)
    assert errors == ""
    assert tags["AIGC"] == PROPAGATED  # one value: ffmpeg would join two with ';'
    assert tags["major_brand"].startswith("isom")


def test_second_write_on_a_real_faststart_file_replaces_the_label(
    ffmpeg: str, made: dict[str, Path], tmp_path: Path
) -> None:
    once, twice = tmp_path / "once.mp4", tmp_path / "twice.mp4"
    label_file(made["faststart"], once)
    label_file(once, twice, PROPAGATED)
    with twice.open("rb") as stream:
        assert [c.value for c in FORMAT.read(stream).labels] == [PROPAGATED]
    _, tags, errors = decoded(ffmpeg, twice)
    assert errors == "" and tags["AIGC"] == PROPAGATED


def test_explicit_record_is_a_second_key_ffmpeg_sees(
    ffmpeg: str, made: dict[str, Path], tmp_path: Path
) -> None:
    target = tmp_path / "record.mp4"
    with made["mov"].open("rb") as stream, target.open("wb") as out:
        FORMAT.write(stream, out, Update(LABEL, "visible label 'AI生成' at bottom-right"))
    _, tags, _ = decoded(ffmpeg, target)
    assert tags[EXPLICIT_RECORD_KEY] == "visible label 'AI生成' at bottom-right"
    with target.open("rb") as stream:
        assert FORMAT.read(stream).explicit == "visible label 'AI生成' at bottom-right"


@pytest.mark.parametrize("cut", [0.3, 0.7, 0.999])
def test_truncated_real_files_raise_format_error(made: dict[str, Path], cut: float) -> None:
    data = made["faststart"].read_bytes()
    with pytest.raises(FormatError):
        read(data[: int(len(data) * cut)])


def exiftool_tags(data: bytes) -> dict[str, str]:
    exe = shutil.which("exiftool")
    assert exe, "exiftool missing: apt-get install libimage-exiftool-perl"
    done = subprocess.run(
        [exe, "-j", "-a", "-G1", "-Keys:all", "-ItemList:all", "-UserData:all", "-"],
        input=data,
        capture_output=True,
        check=True,
        timeout=60,
    )
    parsed: list[dict[str, str]] = json.loads(done.stdout)
    return {k: str(v) for k, v in parsed[0].items()}
