"""The audible label of GB 45438 §5.3: the short-long-short-short rhythm at the start of WAV and
MP3 files, heard as tone bursts of 1:3:1:1, the original audio untouched after it."""

from __future__ import annotations

import datetime as dt
import io
import struct
import subprocess
import sys
import wave
from collections.abc import Callable
from pathlib import Path

import imageio_ffmpeg
import lameenc
import numpy as np
import numpy.typing as npt
import pytest

from chinacomply.aigc.explicit import audio
from chinacomply.aigc.explicit.audio import (
    DEFAULT_STYLE,
    ToolUnavailable,
    add_rhythm_label,
    rhythm_pattern,
    rhythm_samples,
    rhythm_seconds,
)
from chinacomply.aigc.formats import mp3, wav
from chinacomply.aigc.formats.base import FormatError, Update
from chinacomply.aigc.label import ImplicitLabel
from chinacomply.rules.law import LawDataError

LABEL = ImplicitLabel.first_write("001191440300708461136T1XGW3", "aud-0001").to_json()
ON = dt.date(2025, 9, 1)
PATTERN = ("short", "long", "short", "short")
DESCRIPTION = "audio rhythm label short-long-short-short at the start (GB 45438 §5.3)"
WINDOW = 0.005  # seconds of each RMS window

Floats = npt.NDArray[np.float64]


@pytest.fixture(scope="module")
def ffmpeg() -> str:
    exe = str(imageio_ffmpeg.get_ffmpeg_exe())
    assert Path(exe).is_file(), "ffmpeg is missing: pip install imageio-ffmpeg"
    return exe


def generate(ffmpeg: str, path: Path, seconds: float, *options: str) -> None:
    """A sine tone file made by ffmpeg: a third-party writer's output."""
    source = ["-f", "lavfi", "-i", f"sine=duration={seconds}"]
    subprocess.run([ffmpeg, "-v", "error", *source, *options, str(path)], check=True)


# --- measuring the rhythm ---------------------------------------------------------------------


def on_off_runs(samples: Floats, rate: int) -> list[tuple[bool, float]]:
    """(sounding?, seconds) runs of 5 ms windows, sounding = RMS over a tenth of the loudest."""
    size = round(WINDOW * rate)
    count = len(samples) // size
    rms = np.sqrt(np.mean(samples[: count * size].reshape(count, size) ** 2, axis=1))
    sounding = rms > 0.1 * rms.max()
    runs: list[tuple[bool, float]] = []
    for value in sounding:
        if runs and runs[-1][0] == value:
            runs[-1] = (bool(value), runs[-1][1] + WINDOW)
        else:
            runs.append((bool(value), WINDOW))
    return runs


def assert_rhythm(samples: Floats, rate: int, tolerance: float = 0.012) -> None:
    """Four bursts 120/360/120/120 ms long (1:3:1:1), 120 ms apart, then silence."""
    runs = on_off_runs(samples, rate)
    if not runs[0][0]:
        runs = runs[1:]  # the fade-in's first window
    tones = [seconds for sounding, seconds in runs if sounding]
    gaps = [seconds for sounding, seconds in runs[:-1] if not sounding]
    assert len(tones) == 4, runs
    assert tones == pytest.approx([0.12, 0.36, 0.12, 0.12], abs=tolerance)
    assert gaps == pytest.approx([0.12, 0.12, 0.12], abs=tolerance)
    assert tones[1] / tones[0] == pytest.approx(3, rel=0.15)


def test_the_pattern_is_law_data() -> None:
    assert rhythm_pattern(ON) == PATTERN
    with pytest.raises(LawDataError):
        rhythm_pattern(dt.date(2020, 1, 1))


def test_the_generated_rhythm() -> None:
    samples = rhythm_samples(16000, PATTERN)
    assert len(samples) == round(rhythm_seconds(PATTERN) * 16000) == round(1.38 * 16000)
    assert np.abs(samples).max() == pytest.approx(10 ** (-6 / 20), rel=0.01)
    assert abs(samples[0]) < 1e-3  # faded in: no click
    assert not samples[-round(0.3 * 16000) :].any()  # the silence before the content
    assert_rhythm(samples, 16000, tolerance=0.006)


# --- WAV --------------------------------------------------------------------------------------


def chunk(chunk_id: bytes, data: bytes) -> bytes:
    return chunk_id + len(data).to_bytes(4, "little") + data + b"\x00" * (len(data) % 2)


def riff(*chunks: bytes) -> bytes:
    body = b"WAVE" + b"".join(chunks)
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def chunks_of(data: bytes) -> dict[bytes, bytes]:
    found: dict[bytes, bytes] = {}
    position = 12
    while position + 8 <= len(data):
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        found.setdefault(data[position : position + 4], data[position + 8 : position + 8 + size])
        position += 8 + size + size % 2
    return found


def fmt_chunk(tag: int, channels: int, rate: int, bits: int, extensible: bool = False) -> bytes:
    align = channels * bits // 8
    wave_tag = 0xFFFE if extensible else tag
    head = struct.pack("<HHIIHH", wave_tag, channels, rate, rate * align, align, bits)
    if not extensible:
        return chunk(b"fmt ", head)
    guid = tag.to_bytes(2, "little") + b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
    mask = (1 << channels) - 1
    return chunk(b"fmt ", head + struct.pack("<HHI", 22, bits, mask) + guid)


def noise(frames: int, channels: int) -> Floats:
    return np.random.default_rng(3).uniform(-0.5, 0.5, (frames, channels))


def encoded(values: Floats, tag: int, bits: int) -> bytes:
    """Samples in a WAV sample format, encoded here independently of the code under test."""
    if tag == 3:
        return bytes(values.astype(f"<f{bits // 8}").tobytes())
    scale = 2 ** (bits - 1) - 1
    ints = np.round(values * scale).astype(np.int64)
    if bits == 8:
        return bytes((ints + 128).astype(np.uint8).tobytes())
    return b"".join(int(v).to_bytes(bits // 8, "little", signed=True) for v in ints.reshape(-1))


def decoded(data: bytes, tag: int, bits: int, channels: int) -> Floats:
    if tag == 3:
        return np.frombuffer(data, f"<f{bits // 8}").astype(np.float64).reshape(-1, channels)
    width = bits // 8
    raw = np.frombuffer(data, np.uint8).reshape(-1, width)
    if bits == 8:
        ints = raw[:, 0].astype(np.int64) - 128
    else:
        padded = np.zeros((len(raw), 8), np.uint8)
        padded[:, 8 - width :] = raw  # into the top bytes, so the sign is kept
        ints = padded.view("<i8")[:, 0] >> (64 - bits)
    scaled: Floats = ints / (2 ** (bits - 1) - 1)
    return scaled.reshape(-1, channels)


def stdlib_wav(width: int, channels: int, rate: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        writer.writeframes(encoded(noise(rate // 4, channels), 1, width * 8))
    return out.getvalue()


def hand_built_wav(tag: int, channels: int, rate: int, bits: int, extensible: bool) -> bytes:
    frames = rate // 4
    chunks = [fmt_chunk(tag, channels, rate, bits, extensible)]
    if tag == 3:
        chunks.append(chunk(b"fact", frames.to_bytes(4, "little")))
    chunks.append(chunk(b"LIST", b"INFO" + chunk(b"INAM", b"title\x00")))
    chunks.append(chunk(b"data", encoded(noise(frames, channels), tag, bits)))
    chunks.append(chunk(b"AIGC", LABEL.encode()))
    return riff(*chunks)


def label_wav(data: bytes) -> bytes:
    out = io.BytesIO()
    assert add_rhythm_label(io.BytesIO(data), out, "wav", ON) == DESCRIPTION
    return out.getvalue()


def ffmpeg_decodes_cleanly(ffmpeg: str, data: bytes, path: Path) -> None:
    path.write_bytes(data)
    command = [ffmpeg, "-v", "error", "-i", str(path), "-f", "null", "-"]
    result = subprocess.run(command, check=False, capture_output=True)
    assert result.returncode == 0
    assert result.stderr == b"", result.stderr.decode(errors="replace")


WAV_CASES: dict[str, Callable[[], tuple[bytes, int, int]]] = {
    "8-bit mono (wave)": lambda: (stdlib_wav(1, 1, 8000), 1, 8),
    "16-bit stereo (wave)": lambda: (stdlib_wav(2, 2, 44100), 1, 16),
    "24-bit mono": lambda: (hand_built_wav(1, 1, 48000, 24, False), 1, 24),
    "32-bit integer stereo": lambda: (hand_built_wav(1, 2, 16000, 32, False), 1, 32),
    "32-bit float stereo": lambda: (hand_built_wav(3, 2, 22050, 32, False), 3, 32),
    "24-bit extensible 6 channels": lambda: (hand_built_wav(1, 6, 32000, 24, True), 1, 24),
    "float extensible mono": lambda: (hand_built_wav(3, 1, 11025, 32, True), 3, 32),
}


@pytest.mark.parametrize("case", list(WAV_CASES))
def test_wav_gets_the_rhythm_then_its_own_samples(case: str, ffmpeg: str, tmp_path: Path) -> None:
    data, tag, bits = WAV_CASES[case]()
    before, after = chunks_of(data), chunks_of(label_wav(data))
    fmt = before[b"fmt "]
    channels, rate = struct.unpack_from("<HI", fmt, 2)
    align = channels * bits // 8
    added = round(rhythm_seconds(PATTERN) * rate)
    assert len(after[b"data"]) == len(before[b"data"]) + added * align
    assert after[b"data"][added * align :] == before[b"data"]  # the original samples, unchanged
    tones = decoded(after[b"data"][: added * align], tag, bits, channels)
    assert (tones == tones[:, :1]).all()  # every channel the same
    assert_rhythm(tones[:, 0], rate)
    assert after[b"fmt "] == fmt
    for kept in (b"LIST", b"AIGC"):
        assert after.get(kept) == before.get(kept)
    if b"fact" in before:
        assert int.from_bytes(after[b"fact"], "little") == rate // 4 + added
    ffmpeg_decodes_cleanly(ffmpeg, label_wav(data), tmp_path / "rhythm.wav")


def test_wav_keeps_its_implicit_label_readable_and_can_take_the_record() -> None:
    labelled = label_wav(hand_built_wav(1, 1, 8000, 16, False))
    assert [c.value for c in wav.FORMAT.read(io.BytesIO(labelled)).labels] == [LABEL]
    out = io.BytesIO()
    wav.FORMAT.write(io.BytesIO(labelled), out, Update(LABEL, DESCRIPTION))
    assert wav.FORMAT.read(io.BytesIO(out.getvalue())).explicit == DESCRIPTION


def test_cue_points_move_with_the_sound() -> None:
    rate = 8000
    samples = encoded(noise(800, 1), 1, 16)
    cue = (1).to_bytes(4, "little") + struct.pack("<II4sIII", 7, 100, b"data", 0, 0, 100)
    data = riff(fmt_chunk(1, 1, rate, 16), chunk(b"cue ", cue), chunk(b"data", samples))
    after = chunks_of(label_wav(data))
    added = round(rhythm_seconds(PATTERN) * rate)
    ident, position, _, _, _, offset = struct.unpack_from("<II4sIII", after[b"cue "], 4)
    assert (ident, position, offset) == (7, 100 + added, 100 + added)


def test_rf64_sizes_grow_with_the_rhythm(ffmpeg: str, tmp_path: Path) -> None:
    path = tmp_path / "in.wav"
    generate(ffmpeg, path, 0.2, "-rf64", "always")
    data = path.read_bytes()
    labelled = label_wav(data)
    before, after = chunks_of(data), chunks_of(labelled)
    riff_size, data_size, frames = struct.unpack_from("<QQQ", after[b"ds64"])
    old_size, old_frames = struct.unpack_from("<QQ", before[b"ds64"], 8)
    added = round(rhythm_seconds(PATTERN) * 44100)
    assert (riff_size, data_size, frames) == (
        len(labelled) - 8,
        old_size + 2 * added,
        old_frames + added,
    )
    ffmpeg_decodes_cleanly(ffmpeg, labelled, tmp_path / "out.wav")


def test_a_sample_format_without_pcm_is_refused() -> None:
    alaw = riff(fmt_chunk(6, 1, 8000, 8), chunk(b"data", bytes(100)))
    with pytest.raises(FormatError, match="0x0006"):
        label_wav(alaw)


def test_a_broken_wav_is_a_format_error() -> None:
    data = stdlib_wav(2, 1, 8000)
    with pytest.raises(FormatError, match="declares"):
        label_wav(data[:-10])
    with pytest.raises(FormatError, match="not a WAV"):
        label_wav(b"RIFF\x00\x00")


# --- MP3 --------------------------------------------------------------------------------------


def lame_mp3(rate: int, channels: int, seconds: float = 0.5) -> bytes:
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(96)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(channels)
    encoder.set_quality(7)
    t = np.arange(round(rate * seconds)) / rate
    wave_ = np.repeat((0.2 * np.sin(2 * np.pi * 300 * t))[:, None], channels, axis=1)
    pcm = np.round(wave_ * 32767).astype("<i2").tobytes()
    return bytes(encoder.encode(pcm)) + bytes(encoder.flush())


def with_label(data: bytes) -> bytes:
    out = io.BytesIO()
    mp3.FORMAT.write(io.BytesIO(data), out, Update(LABEL))
    return out.getvalue()


def label_mp3(data: bytes) -> bytes:
    out = io.BytesIO()
    assert add_rhythm_label(io.BytesIO(data), out, "mp3", ON) == DESCRIPTION
    return out.getvalue()


def decode_mp3(ffmpeg: str, data: bytes, path: Path, rate: int) -> Floats:
    """Mono samples as ffmpeg decodes them; an error on stderr fails the test."""
    path.write_bytes(data)
    command = [ffmpeg, "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(rate), "-f", "s16le"]
    result = subprocess.run([*command, "-"], check=False, capture_output=True)
    assert result.returncode == 0
    assert result.stderr == b"", result.stderr.decode(errors="replace")
    return np.frombuffer(result.stdout, "<i2") / 32767


@pytest.mark.parametrize(("rate", "channels"), [(44100, 2), (22050, 1)])
def test_mp3_gets_the_rhythm_before_its_frames(
    rate: int, channels: int, ffmpeg: str, tmp_path: Path
) -> None:
    original = with_label(lame_mp3(rate, channels))
    labelled = label_mp3(original)
    layout = mp3.layout(io.BytesIO(original))
    assert labelled.startswith(original[: layout.audio_start])  # the ID3 tag, as it was
    assert labelled.endswith(original[layout.audio_start :])  # the original frames, as they were
    assert [c.value for c in mp3.FORMAT.read(io.BytesIO(labelled)).labels] == [LABEL]
    before = decode_mp3(ffmpeg, original, tmp_path / "before.mp3", rate)
    after = decode_mp3(ffmpeg, labelled, tmp_path / "after.mp3", rate)
    grown = (len(after) - len(before)) / rate
    assert grown == pytest.approx(rhythm_seconds(PATTERN), abs=0.1)
    delay = np.argmax(np.abs(after) > 0.05)  # the encoder's start-up delay
    assert_rhythm(after[delay : delay + round(rhythm_seconds(PATTERN) * rate)], rate, 0.02)


def test_an_ffmpeg_mp3_loses_its_info_frame_and_grows(ffmpeg: str, tmp_path: Path) -> None:
    path = tmp_path / "in.mp3"
    generate(ffmpeg, path, 1, "-metadata", "title=x")
    original = path.read_bytes()
    layout = mp3.layout(io.BytesIO(original))
    offset, header = mp3.first_audio_frame(io.BytesIO(original), layout.audio_start, layout.size)
    assert mp3.is_vbr_info_frame(io.BytesIO(original), offset, header)
    labelled = label_mp3(original)
    assert labelled.endswith(original[offset + header.length :])
    assert original[offset : offset + header.length] not in labelled
    before = decode_mp3(ffmpeg, original, tmp_path / "before.mp3", 44100)
    after = decode_mp3(ffmpeg, labelled, tmp_path / "after.mp3", 44100)
    # the Info frame's gapless trim is gone with it: up to two frames more than the rhythm
    assert (len(after) - len(before)) / 44100 == pytest.approx(1.38 + 0.03, abs=0.06)


def test_layer_ii_audio_is_refused(ffmpeg: str, tmp_path: Path) -> None:
    path = tmp_path / "in.mp2"
    generate(ffmpeg, path, 0.2, "-c:a", "mp2")
    tagged = with_label(b"ID3\x04\x00\x00\x00\x00\x00\x00" + path.read_bytes())
    with pytest.raises(FormatError, match="layer 2"):
        label_mp3(tagged)


def test_without_lameenc_mp3_is_a_clear_tool_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "lameenc", None)  # import lameenc now raises ImportError
    out = io.BytesIO()
    with pytest.raises(ToolUnavailable, match=r"pip install 'chinacomply\[audio\]' \(lameenc\)"):
        add_rhythm_label(io.BytesIO(lame_mp3(22050, 1)), out, "mp3", ON)
    assert out.getvalue() == b""
    assert label_wav(stdlib_wav(2, 1, 8000))  # WAV needs no encoder


def test_garbage_mp3_is_a_format_error() -> None:
    with pytest.raises(FormatError):
        label_mp3(b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"no audio here" * 20)
    with pytest.raises(FormatError):
        label_mp3(b"\x00" * 100)


def test_unknown_kinds_are_refused() -> None:
    with pytest.raises(ValueError, match="'flac'"):
        add_rhythm_label(io.BytesIO(b""), io.BytesIO(), "flac", ON)


def test_the_style_is_adjustable() -> None:
    slow = audio.RhythmStyle(short=0.2, long=0.6, gap=0.2)
    samples = rhythm_samples(8000, PATTERN, slow)
    assert len(samples) == round(rhythm_seconds(PATTERN, slow) * 8000)
    assert rhythm_seconds(PATTERN, slow) > rhythm_seconds(PATTERN, DEFAULT_STYLE)
