"""The WAV carrier: a RIFF `AIGC` chunk, written before the sample data, one label only, every
other chunk and every sample kept."""

from __future__ import annotations

import contextlib
import io
import subprocess
import wave
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chinacomply.aigc.formats import mp3
from chinacomply.aigc.formats.base import FormatError, Update
from chinacomply.aigc.formats.wav import FORMAT
from chinacomply.aigc.label import ImplicitLabel

LABEL = ImplicitLabel.first_write("001191440300708461136T1XGW3", "aud-0001").to_json()
OTHER = ImplicitLabel.first_write("001191440300708461136T1XGW3", "aud-0002").to_json()


@pytest.fixture(scope="module")
def ffmpeg() -> str:
    exe = str(imageio_ffmpeg.get_ffmpeg_exe())
    assert Path(exe).is_file(), "ffmpeg is missing: pip install imageio-ffmpeg"
    return exe


def wave_file(sample_width: int, channels: int, frames: int = 1500, rate: int = 8000) -> bytes:
    """A WAV from the standard library, with noise for samples (every byte value shows up)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(sample_width)
        writer.setframerate(rate)
        noise = np.random.default_rng(7).integers(0, 256, frames * channels * sample_width)
        writer.writeframes(noise.astype(np.uint8).tobytes())
    return out.getvalue()


def chunk(chunk_id: bytes, data: bytes, pad: bytes = b"\x00") -> bytes:
    return chunk_id + len(data).to_bytes(4, "little") + data + (pad if len(data) % 2 else b"")


def riff(*chunks: bytes) -> bytes:
    body = b"WAVE" + b"".join(chunks)
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def chunks_of(data: bytes) -> list[tuple[bytes, bytes]]:
    """(ID, data) of each top-level chunk, walked here independently of the code under test."""
    found = []
    position = 12
    while position + 8 <= len(data):
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        found.append((data[position : position + 4], data[position + 8 : position + 8 + size]))
        position += 8 + size + size % 2
    return found


def split(data: bytes) -> tuple[bytes, bytes]:
    """The fmt and data chunks of a stdlib WAV."""
    found = dict(chunks_of(data))
    return found[b"fmt "], found[b"data"]


def write(data: bytes, label: str = LABEL, explicit: str | None = None) -> bytes:
    out = io.BytesIO()
    FORMAT.write(io.BytesIO(data), out, Update(label, explicit))
    return out.getvalue()


def labels(data: bytes) -> list[str]:
    return [carried.value for carried in FORMAT.read(io.BytesIO(data)).labels]


def run_ffmpeg(ffmpeg: str, data: bytes, tmp_path: Path, *output: str) -> bytes:
    source = tmp_path / "probe.wav"
    source.write_bytes(data)
    result = subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(source), *output, "-"], check=True, capture_output=True
    )
    assert result.stderr == b"", result.stderr.decode(errors="replace")
    return result.stdout


def ffmpeg_wav(ffmpeg: str, tmp_path: Path, *options: str) -> bytes:
    path = tmp_path / "ffmpeg.wav"
    source = ["-f", "lavfi", "-i", "sine=duration=0.2", "-metadata", "title=x"]
    subprocess.run([ffmpeg, "-v", "error", "-y", *source, *options, str(path)], check=True)
    return path.read_bytes()


@pytest.mark.parametrize(("width", "channels"), [(1, 1), (1, 2), (2, 1), (2, 2)])
def test_round_trip_keeps_the_samples(
    width: int, channels: int, ffmpeg: str, tmp_path: Path
) -> None:
    data = wave_file(width, channels)
    written = write(data)
    assert labels(written) == [LABEL]
    assert [chunk_id for chunk_id, _ in chunks_of(written)] == [b"fmt ", b"AIGC", b"data"]
    with wave.open(io.BytesIO(data)) as before, wave.open(io.BytesIO(written)) as after:
        assert after.getparams() == before.getparams()
        assert after.readframes(before.getnframes()) == before.readframes(before.getnframes())
    assert run_ffmpeg(ffmpeg, written, tmp_path, "-f", "null") == b""
    assert int.from_bytes(written[4:8], "little") == len(written) - 8


def test_an_ffmpeg_wav_keeps_its_info_list_and_decodes_the_same(
    ffmpeg: str, tmp_path: Path
) -> None:
    data = ffmpeg_wav(ffmpeg, tmp_path)
    written = write(data, explicit="rhythm label at the start")
    found = FORMAT.read(io.BytesIO(written))
    assert [c.carrier for c in found.labels] == ["RIFF AIGC chunk"]
    assert found.explicit == "rhythm label at the start"
    before, after = dict(chunks_of(data)), dict(chunks_of(written))
    assert after[b"LIST"] == before[b"LIST"]
    assert after[b"AIGC"] == LABEL.encode()
    assert "title=x" in run_ffmpeg(ffmpeg, written, tmp_path, "-f", "ffmetadata").decode()
    decode = ("-f", "s16le")
    assert run_ffmpeg(ffmpeg, written, tmp_path, *decode) == run_ffmpeg(
        ffmpeg, data, tmp_path, *decode
    )


def test_a_second_write_replaces_the_label_and_the_record() -> None:
    once = write(wave_file(2, 1), OTHER, explicit="first")
    twice = write(once, LABEL)
    assert labels(twice) == [LABEL]
    assert FORMAT.read(io.BytesIO(twice)).explicit == "first"  # None keeps the record
    thrice = write(twice, LABEL, explicit="second")
    ids = [chunk_id for chunk_id, _ in chunks_of(thrice)]
    assert ids == [b"fmt ", b"AIGC", b"ccEL", b"data"]
    assert FORMAT.read(io.BytesIO(thrice)).explicit == "second"


def test_a_label_after_the_data_is_replaced_where_it_stands() -> None:
    fmt, samples = split(wave_file(2, 1))
    odd = OTHER + "x"  # odd length: a pad byte follows
    data = riff(chunk(b"fmt ", fmt), chunk(b"data", samples), chunk(b"AIGC", odd.encode()))
    assert labels(data) == [odd]
    written = write(data)
    assert [chunk_id for chunk_id, _ in chunks_of(written)] == [b"fmt ", b"data", b"AIGC"]
    assert labels(written) == [LABEL]
    assert len(written) == 8 + int.from_bytes(written[4:8], "little")


def test_several_labels_leave_exactly_one() -> None:
    fmt, samples = split(wave_file(2, 1))
    data = riff(
        chunk(b"fmt ", fmt),
        chunk(b"AIGC", OTHER.encode()),
        chunk(b"data", samples),
        chunk(b"AIGC", (OTHER + "\x00").encode()),  # NUL-terminated, as some writers do
    )
    assert labels(data) == [OTHER, OTHER]
    written = write(data)
    assert [chunk_id for chunk_id, _ in chunks_of(written)] == [b"fmt ", b"AIGC", b"data"]
    assert labels(written) == [LABEL]


def test_other_chunks_are_kept_byte_for_byte(ffmpeg: str, tmp_path: Path) -> None:
    fmt, samples = split(wave_file(2, 2))
    bext = chunk(b"bext", b"description".ljust(602, b"\x00"))
    odd = chunk(b"zzzz", b"odd", pad=b"\x7f")  # a non-zero pad byte, kept as found
    data = riff(chunk(b"fmt ", fmt), bext, odd, chunk(b"data", samples))
    written = write(data)
    assert bext in written
    assert odd in written
    assert chunk(b"data", samples) in written
    assert run_ffmpeg(ffmpeg, written, tmp_path, "-f", "null") == b""


def test_a_label_in_list_info_is_read_and_moved_to_the_aigc_chunk() -> None:
    fmt, samples = split(wave_file(2, 1))
    info = b"INFO" + chunk(b"INAM", b"a title\x00") + chunk(b"AIGC", OTHER.encode())
    data = riff(chunk(b"fmt ", fmt), chunk(b"LIST", info), chunk(b"data", samples))
    assert [(c.carrier, c.value) for c in FORMAT.read(io.BytesIO(data)).labels] == [
        ("RIFF LIST/INFO AIGC item", OTHER)
    ]
    written = write(data)
    assert labels(written) == [LABEL]
    assert dict(chunks_of(written))[b"LIST"] == b"INFO" + chunk(b"INAM", b"a title\x00")


def test_a_label_in_an_id3_chunk_from_ffmpeg_is_read_and_removed(
    ffmpeg: str, tmp_path: Path
) -> None:
    mp3_path = tmp_path / "tag.mp3"
    source = ["-f", "lavfi", "-i", "sine=duration=0.1", "-metadata", "artist=someone"]
    tag = ["-metadata", f"AIGC={OTHER}"]
    subprocess.run([ffmpeg, "-v", "error", "-y", *source, *tag, str(mp3_path)], check=True)
    mp3_data = mp3_path.read_bytes()
    id3_tag = mp3_data[: 10 + mp3.syncsafe(mp3_data[6:10], "test")]
    fmt, samples = split(wave_file(2, 1))
    data = riff(chunk(b"fmt ", fmt), chunk(b"data", samples), chunk(b"id3 ", id3_tag))
    assert f"AIGC={OTHER}" in run_ffmpeg(ffmpeg, data, tmp_path, "-f", "ffmetadata").decode()
    found = FORMAT.read(io.BytesIO(data))
    assert [(c.carrier, c.value) for c in found.labels] == [
        ("RIFF id3 chunk, ID3v2.4 TXXX:AIGC", OTHER)
    ]
    written = write(data)
    assert labels(written) == [LABEL]
    metadata = run_ffmpeg(ffmpeg, written, tmp_path, "-f", "ffmetadata").decode()
    assert "AIGC=" not in metadata
    assert "artist=someone" in metadata


def test_rf64_is_read_and_written(ffmpeg: str, tmp_path: Path) -> None:
    data = ffmpeg_wav(ffmpeg, tmp_path, "-rf64", "always")
    assert data[:4] == b"RF64"
    written = write(data)
    assert labels(written) == [LABEL]
    assert written[:4] == b"RF64"
    ds64 = dict(chunks_of(written))[b"ds64"]
    assert int.from_bytes(ds64[:8], "little") == len(written) - 8
    assert ds64[8:24] == dict(chunks_of(data))[b"ds64"][8:24]  # data size, sample count
    decode = ("-f", "s16le")
    assert run_ffmpeg(ffmpeg, written, tmp_path, *decode) == run_ffmpeg(
        ffmpeg, data, tmp_path, *decode
    )


def test_a_last_odd_chunk_without_its_pad_byte_is_tolerated(ffmpeg: str, tmp_path: Path) -> None:
    fmt, samples = split(wave_file(1, 1, frames=1001))
    data = riff(chunk(b"fmt ", fmt), chunk(b"data", samples))[:-1]  # no final pad byte
    written = write(data)
    assert labels(written) == [LABEL]
    assert dict(chunks_of(written))[b"data"] == samples
    assert run_ffmpeg(ffmpeg, written, tmp_path, "-f", "null") == b""


def test_bytes_after_the_riff_are_kept(ffmpeg: str, tmp_path: Path) -> None:
    trailer = b"TAG" + bytes(125)  # an ID3v1 tag some taggers append to WAVs
    data = wave_file(2, 1) + trailer
    written = write(data)
    assert written.endswith(trailer)
    assert int.from_bytes(written[4:8], "little") == len(written) - 8 - len(trailer)
    assert labels(written) == [LABEL]
    assert run_ffmpeg(ffmpeg, written, tmp_path, "-f", "null") == b""


def test_a_c2pa_chunk_is_a_trace() -> None:
    fmt, samples = split(wave_file(2, 1))
    data = riff(chunk(b"fmt ", fmt), chunk(b"data", samples), chunk(b"C2PA", b"jumbf"))
    found = FORMAT.read(io.BytesIO(data))
    assert found.labels == ()
    assert found.traces == ("C2PA manifest store in a RIFF C2PA chunk",)


def test_sniff() -> None:
    assert FORMAT.sniff(wave_file(2, 1)[:64], ".wav")
    assert FORMAT.sniff(b"RF64\xff\xff\xff\xffWAVEds64", ".wav")
    assert not FORMAT.sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ", ".webp")


def corrupt_cases() -> list[tuple[bytes, str]]:
    fmt, samples = split(wave_file(2, 1))
    return [
        (b"", "not a WAV"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "not a WAV"),
        (riff(chunk(b"fmt ", fmt), chunk(b"data", samples))[:-100], "declares"),
        (riff(chunk(b"fmt ", fmt), b"\x00\x01\x02\x03" + bytes(8)), "no chunk ID"),
        (riff(chunk(b"data", samples)), "no 'fmt '"),
        (b"RF64\xff\xff\xff\xffWAVEfmt ", "ds64"),
    ]


@pytest.mark.parametrize(("data", "message"), corrupt_cases())
def test_malformed_input_is_a_format_error(data: bytes, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        FORMAT.read(io.BytesIO(data))
    with pytest.raises(FormatError, match=message):
        write(data)


def test_an_undecodable_label_is_an_error_to_read_and_is_replaced_on_write() -> None:
    fmt, samples = split(wave_file(2, 1))
    data = riff(chunk(b"fmt ", fmt), chunk(b"AIGC", b"\xff\xfe"), chunk(b"data", samples))
    with pytest.raises(FormatError, match="'AIGC' chunk at offset 36 is not UTF-8"):
        FORMAT.read(io.BytesIO(data))
    assert labels(write(data)) == [LABEL]


FUZZ_BASE = riff(
    chunk(b"fmt ", split(wave_file(2, 1, frames=8))[0]),
    chunk(b"LIST", b"INFO" + chunk(b"INAM", b"abc") + chunk(b"AIGC", b"{}")),
    chunk(b"AIGC", OTHER.encode()),
    chunk(b"data", bytes(16)),
    chunk(b"id3 ", b"ID3\x04\x00\x00\x00\x00\x00\x10TXXX\x00\x00\x00\x06\x00\x00\x03AIGC\x00"),
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
