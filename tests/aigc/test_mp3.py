"""The MP3 carrier: ID3v2 TXXX:AIGC read from files ffmpeg and other writers made, written so
ffmpeg and exiftool read it back, one label only, everything else kept."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import zlib
from pathlib import Path

import imageio_ffmpeg
import lameenc
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chinacomply.aigc.formats import mp3
from chinacomply.aigc.formats.base import EXPLICIT_RECORD_KEY, FormatError, Update
from chinacomply.aigc.formats.mp3 import FORMAT
from chinacomply.aigc.label import ImplicitLabel

LABEL = ImplicitLabel.first_write("001191440300708461136T1XGW3", "aud-0001").to_json()
OTHER = ImplicitLabel.first_write("001191440300708461136T1XGW3", "aud-0002").to_json()
EXIFTOOL = "/usr/bin/exiftool"


@pytest.fixture(scope="module")
def ffmpeg() -> str:
    exe = str(imageio_ffmpeg.get_ffmpeg_exe())
    assert Path(exe).is_file(), "ffmpeg is missing: pip install imageio-ffmpeg"
    return exe


@pytest.fixture(scope="module")
def exiftool() -> str:
    assert shutil.which(EXIFTOOL), f"exiftool is missing at {EXIFTOOL}: apt-get install exiftool"
    return EXIFTOOL


@pytest.fixture(scope="module")
def audio() -> bytes:
    """Bare MPEG frames (no tag, no Xing frame), as lameenc writes them."""
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(64)
    encoder.set_in_sample_rate(22050)
    encoder.set_channels(1)
    encoder.set_quality(7)
    t = np.arange(22050 // 2) / 22050
    pcm = (np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2").tobytes()
    return bytes(encoder.encode(pcm)) + bytes(encoder.flush())


def ffmpeg_mp3(ffmpeg: str, path: Path, *options: str) -> bytes:
    source = ["-f", "lavfi", "-i", "sine=duration=0.3", "-metadata", "title=x"]
    subprocess.run([ffmpeg, "-v", "error", "-y", *source, *options, str(path)], check=True)
    return path.read_bytes()


def ffmpeg_tags(ffmpeg: str, data: bytes, tmp_path: Path) -> list[str]:
    source = tmp_path / "probe.mp3"
    source.write_bytes(data)
    result = subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(source), "-f", "ffmetadata", "-"],
        check=True,
        capture_output=True,
    )
    return result.stdout.decode().splitlines()


def decoded(ffmpeg: str, data: bytes, tmp_path: Path) -> bytes:
    source = tmp_path / "decode.mp3"
    source.write_bytes(data)
    result = subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(source), "-f", "s16le", "-"],
        check=True,
        capture_output=True,
    )
    assert result.stderr == b""
    return result.stdout


def exif_user_texts(exiftool: str, data: bytes, tmp_path: Path) -> list[str]:
    """Every TXXX exiftool sees, as "(description) value"."""
    source = tmp_path / "exif.mp3"
    source.write_bytes(data)
    result = subprocess.run(
        [exiftool, "-a", "-s3", "-charset", "UTF8", "-UserDefinedText", str(source)],
        check=True,
        capture_output=True,
    )
    return result.stdout.decode().splitlines()


def write(data: bytes, label: str = LABEL, explicit: str | None = None) -> bytes:
    out = io.BytesIO()
    FORMAT.write(io.BytesIO(data), out, Update(label, explicit))
    return out.getvalue()


def labels(data: bytes) -> list[str]:
    return [carried.value for carried in FORMAT.read(io.BytesIO(data)).labels]


def audio_part(data: bytes) -> bytes:
    found = mp3.layout(io.BytesIO(data))
    return data[found.audio_start :]


# --- hand-built tags (independent of the code under test) -------------------------------------


def syncsafe(value: int) -> bytes:
    return bytes((value >> shift) & 0x7F for shift in (21, 14, 7, 0))


def unsync(data: bytes) -> bytes:
    out = bytearray()
    for index, byte in enumerate(data):
        out.append(byte)
        following = data[index + 1] if index + 1 < len(data) else 0
        if byte == 0xFF and (following >= 0xE0 or following == 0):
            out.append(0)
    return bytes(out)


def frame(version: int, frame_id: bytes, data: bytes, flags: int = 0, plain: bool = False) -> bytes:
    if version == 2:
        return frame_id + len(data).to_bytes(3, "big") + data
    size = len(data).to_bytes(4, "big") if version == 3 or plain else syncsafe(len(data))
    return frame_id + size + flags.to_bytes(2, "big") + data


def txxx_data(description: str, value: str, encoding: int) -> bytes:
    codec, nul = {
        0: ("latin-1", b"\x00"),
        1: ("utf-16", b"\x00\x00"),
        2: ("utf-16-be", b"\x00\x00"),
        3: ("utf-8", b"\x00"),
    }[encoding]
    return bytes([encoding]) + description.encode(codec) + nul + value.encode(codec)


def tag(version: int, frames: bytes, flags: int = 0, padding: int = 64) -> bytes:
    body = frames + bytes(padding)
    return b"ID3" + bytes([version, 0, flags]) + syncsafe(len(body)) + body


def label_frame(version: int, value: str = LABEL, encoding: int = 1) -> bytes:
    frame_id = b"TXX" if version == 2 else b"TXXX"
    return frame(version, frame_id, txxx_data("AIGC", value, encoding))


def title_frame(version: int) -> bytes:
    return frame(version, b"TT2" if version == 2 else b"TIT2", b"\x00a title")


# --- reading files other tools wrote ----------------------------------------------------------


def test_reads_the_label_ffmpeg_writes_in_id3v2_4(ffmpeg: str, tmp_path: Path) -> None:
    data = ffmpeg_mp3(ffmpeg, tmp_path / "a.mp3", "-metadata", f"AIGC={LABEL}")
    found = FORMAT.read(io.BytesIO(data))
    assert [(c.carrier, c.value) for c in found.labels] == [("ID3v2.4 TXXX:AIGC", LABEL)]
    assert json.loads(found.labels[0].value)["ProduceID"] == "aud-0001"


def test_reads_the_utf16_label_ffmpeg_writes_in_id3v2_3(ffmpeg: str, tmp_path: Path) -> None:
    chinese = ImplicitLabel.first_write("某某科技有限公司", "音频-1").to_json()
    data = ffmpeg_mp3(
        ffmpeg, tmp_path / "a.mp3", "-id3v2_version", "3", "-metadata", f"AIGC={chinese}"
    )
    assert data[3] == 3
    assert labels(data) == [chinese]


@pytest.mark.parametrize("encoding", [0, 1, 2, 3])
@pytest.mark.parametrize("version", [3, 4])
def test_reads_every_text_encoding(audio: bytes, version: int, encoding: int) -> None:
    data = tag(version, title_frame(version) + label_frame(version, LABEL, encoding)) + audio
    assert labels(data) == [LABEL]


def test_reads_id3v2_3_with_unsynchronisation_and_an_extended_header(audio: bytes) -> None:
    private = frame(3, b"PRIV", b"owner\x00\xff\xe0\xff\x00\xff")
    extended = (6).to_bytes(4, "big") + b"\x00\x00" + (0).to_bytes(4, "big")
    body = unsync(extended + private + label_frame(3)) + bytes(32)
    assert b"\xff\x00" in body
    data = b"ID3\x03\x00\xc0" + syncsafe(len(body)) + body + audio
    assert labels(data) == [LABEL]
    written = write(data, OTHER)
    assert labels(written) == [OTHER]
    rewritten = mp3.parse_tag(written)
    assert rewritten.version == 3
    assert private in rewritten.body  # the frame as it reads once resynchronised
    assert audio_part(written) == audio


def test_reads_id3v2_4_with_an_extended_header(audio: bytes) -> None:
    extended = syncsafe(6) + b"\x01\x00"
    data = tag(4, extended + title_frame(4) + label_frame(4, OTHER, 3), flags=0x40) + audio
    assert labels(data) == [OTHER]
    written = write(data)
    assert written[5] & 0x40 == 0  # dropped: nothing in it holds once the frames change
    assert [f.id for f in mp3.parse_tag(written).frames] == ["TIT2", "TXXX"]
    assert labels(written) == [LABEL]


def test_reads_id3v2_4_frame_flags_unsync_length_indicator_and_compression(audio: bytes) -> None:
    value = txxx_data("AIGC", LABEL, 3)
    unsynced = syncsafe(len(value)) + unsync(value)
    other = txxx_data("note", "\xff\xe0 text", 0)
    compressed = syncsafe(len(other)) + zlib.compress(other)
    frames = frame(4, b"TXXX", unsynced, flags=0x0003) + frame(4, b"TXXX", compressed, 0x0009)
    data = tag(4, frames) + audio
    assert labels(data) == [LABEL]
    written = write(data, OTHER)
    assert labels(written) == [OTHER]
    assert frame(4, b"TXXX", compressed, 0x0009) in written  # kept byte for byte


def test_reads_a_tag_with_a_footer_and_one_appended_at_the_end(audio: bytes) -> None:
    frames = label_frame(4, LABEL, 3)
    header = b"\x04\x00\x10" + syncsafe(len(frames))
    appended = b"ID3" + header + frames + b"3DI" + header
    id3v1 = b"TAG" + bytes(125)
    data = tag(4, title_frame(4)) + audio + appended + id3v1
    found = FORMAT.read(io.BytesIO(data))
    assert [c.value for c in found.labels] == [LABEL]
    written = write(data, OTHER)
    assert labels(written) == [OTHER]
    assert written.endswith(id3v1)
    assert audio in written


def test_reads_id3v2_4_with_itunes_plain_frame_sizes(audio: bytes) -> None:
    long_value = LABEL + " " * 200  # over 127 bytes: plain and syncsafe sizes differ
    frames = frame(4, b"TXXX", txxx_data("AIGC", long_value, 3), plain=True) + frame(
        4, b"TIT2", b"\x03" + b"t" * 150, plain=True
    )
    data = tag(4, frames) + audio
    assert labels(data) == [long_value]
    written = write(data)
    assert labels(written) == [LABEL]
    assert frame(4, b"TIT2", b"\x03" + b"t" * 150, plain=True) in written


def test_id3v2_2_keeps_its_version_with_a_txx_frame(
    audio: bytes, ffmpeg: str, exiftool: str, tmp_path: Path
) -> None:
    data = tag(2, title_frame(2)) + audio
    written = write(data)
    assert written[3] == 2
    assert title_frame(2) in written
    assert labels(written) == [LABEL]
    assert f"AIGC={LABEL}" in ffmpeg_tags(ffmpeg, written, tmp_path)
    assert exif_user_texts(exiftool, written, tmp_path) == [f"(AIGC) {LABEL}"]


def test_a_c2pa_manifest_is_a_trace(audio: bytes) -> None:
    geob = frame(4, b"GEOB", b"\x00application/c2pa\x00c2pa\x00manifest\x00jumbf")
    found = FORMAT.read(io.BytesIO(tag(4, geob) + audio))
    assert found.labels == ()
    assert found.traces == ("C2PA manifest store in ID3v2.4 GEOB frame",)


# --- writing ----------------------------------------------------------------------------------


def test_round_trip_on_an_untagged_file_read_by_ffmpeg_and_exiftool(
    audio: bytes, ffmpeg: str, exiftool: str, tmp_path: Path
) -> None:
    written = write(audio, explicit="rhythm at the start")
    assert written[:4] == b"ID3\x04"
    assert written.endswith(audio)
    found = FORMAT.read(io.BytesIO(written))
    assert [c.value for c in found.labels] == [LABEL]
    assert found.explicit == "rhythm at the start"
    assert f"AIGC={LABEL}" in ffmpeg_tags(ffmpeg, written, tmp_path)
    assert exif_user_texts(exiftool, written, tmp_path) == [
        f"(AIGC) {LABEL}",
        f"({EXPLICIT_RECORD_KEY}) rhythm at the start",
    ]
    assert decoded(ffmpeg, written, tmp_path) == decoded(ffmpeg, audio, tmp_path)


def test_rewriting_an_ffmpeg_v2_3_tag_keeps_version_frames_and_audio(
    ffmpeg: str, exiftool: str, tmp_path: Path
) -> None:
    data = ffmpeg_mp3(
        ffmpeg, tmp_path / "a.mp3", "-id3v2_version", "3", "-metadata", f"AIGC={OTHER}"
    )
    before = mp3.parse_tag(data)
    written = write(data)
    after = mp3.parse_tag(written)
    assert after.version == 3
    kept = [before.body[f.start : f.end] for f in before.frames if f.id != "TXXX"]
    assert kept == [after.body[f.start : f.end] for f in after.frames if f.id != "TXXX"]
    assert [f.id for f in after.frames] == [f.id for f in before.frames]  # replaced in place
    assert audio_part(written) == audio_part(data)
    assert labels(written) == [LABEL]
    tags = ffmpeg_tags(ffmpeg, written, tmp_path)
    assert f"AIGC={LABEL}" in tags
    assert "title=x" in tags
    assert exif_user_texts(exiftool, written, tmp_path) == [f"(AIGC) {LABEL}"]


def test_a_second_write_replaces_the_label_and_reuses_the_padding(audio: bytes) -> None:
    once = write(audio, OTHER, explicit="first")
    twice = write(once, LABEL)
    assert labels(twice) == [LABEL]
    assert FORMAT.read(io.BytesIO(twice)).explicit == "first"  # None keeps the record
    assert twice.count(b"AIGC\x00") == 1
    assert len(twice) == len(once)  # same-length label: fits where the old one stood
    assert audio_part(twice) == audio


def test_several_labels_in_one_tag_leave_exactly_one(audio: bytes) -> None:
    frames = label_frame(4, OTHER) + title_frame(4) + label_frame(4, OTHER, 3)
    data = tag(4, frames) + audio
    assert labels(data) == [OTHER, OTHER]
    written = write(data)
    assert labels(written) == [LABEL]
    ids = [f.id for f in mp3.parse_tag(written).frames]
    assert ids == ["TXXX", "TIT2"]  # the first label replaced where it stood


def test_the_explicit_record_is_replaced_too(audio: bytes) -> None:
    record = frame(4, b"TXXX", txxx_data(EXPLICIT_RECORD_KEY, "old", 3))
    written = write(tag(4, record) + audio, explicit="new")
    found = FORMAT.read(io.BytesIO(written))
    assert found.explicit == "new"
    assert written.count(EXPLICIT_RECORD_KEY.encode()) == 1


def test_a_label_too_big_for_the_padding_grows_the_tag(audio: bytes) -> None:
    data = tag(4, title_frame(4), padding=4) + audio
    written = write(data)
    assert labels(written) == [LABEL]
    assert written.endswith(audio)
    assert len(written) > len(data)


# --- sniffing and corruption ------------------------------------------------------------------


def test_sniff(audio: bytes) -> None:
    assert FORMAT.sniff(audio[:64], ".mp3")
    assert FORMAT.sniff(tag(3, b"")[:64], ".mp3")
    assert not FORMAT.sniff(tag(3, b"")[:64], ".flac")
    assert not FORMAT.sniff("Hello".encode("utf-16"), ".txt")  # FF FE is not layer III
    assert not FORMAT.sniff(b"RIFF\x00\x00\x00\x00WAVE", ".wav")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not an MP3"),
        (b"garbage bytes that are not audio", "not an MP3"),
        (b"ID3\x04\x00\x00\x00\x00\x10\x00" + b"TXXX", "ends at"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x80" + bytes(200), "syncsafe"),
        (b"ID3\x07\x00\x00\x00\x00\x00\x00", "version"),
        (tag(3, frame(3, b"TXXX", b"\x09desc\x00value")), "encoding 9"),
        (tag(4, b"TXXX\x00\x00\x01\x00\x00\x00\x03AIGC", padding=0), "runs past"),
        (b"ID3\x02\x00\x40\x00\x00\x00\x00", "compressed"),
    ],
)
def test_malformed_input_is_a_format_error(data: bytes, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        FORMAT.read(io.BytesIO(data))


def test_a_truncated_tag_is_a_format_error(ffmpeg: str, tmp_path: Path) -> None:
    data = ffmpeg_mp3(ffmpeg, tmp_path / "a.mp3", "-metadata", f"AIGC={LABEL}")
    with pytest.raises(FormatError, match="declares"):
        FORMAT.read(io.BytesIO(data[:40]))
    with pytest.raises(FormatError):
        write(data[:40])


FUZZ_BASE = (
    tag(3, title_frame(3) + label_frame(3), flags=0x00)
    + tag(
        4, label_frame(4, OTHER, 3) + frame(4, b"TXXX", syncsafe(4) + b"\x03x\x00y", flags=0x0001)
    )
    + b"\xff\xfb\x90\x64"
    + bytes(60)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, len(FUZZ_BASE) - 1), st.integers(0, 255)), max_size=4),
    st.integers(0, len(FUZZ_BASE)),
)
def test_mutations_only_ever_raise_format_error(edits: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(FUZZ_BASE)
    for index, value in edits:
        data[index] = value
    mutated = bytes(data[:cut])
    for action in (lambda: FORMAT.read(io.BytesIO(mutated)), lambda: write(mutated)):
        with contextlib.suppress(FormatError):
            action()
