"""The audible label of GB 45438 §5.3: the "short-long-short-short" rhythm (Morse for "AI"),
added at the start of a WAV or MP3 file.

The pattern is law data (`aigc.explicit.audio.rhythm`), so an amended standard changes the
sound without a code change. The sound itself is our choice, made to be heard without being
mistaken for content: an 880 Hz sine (A5, clear on phone speakers and above most speech),
short 120 ms and long 360 ms (Morse's 1:3), 120 ms gaps, a 10 ms fade at each edge so no burst
clicks, peak -6 dBFS, and 300 ms of silence before the content begins.

WAV gets the tones as samples in the file's own format; MP3 gets them as MPEG frames encoded
with lameenc (an optional dependency) at the stream's rate and channel count, placed after the
ID3 tags and before the original frames, which are copied untouched.
"""

from __future__ import annotations

import datetime as dt
import importlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from chinacomply.aigc.formats import mp3, wav
from chinacomply.aigc.formats.base import FormatError
from chinacomply.rules import law
from chinacomply.rules.law import LawDataError

PARAMETER = "aigc.explicit.audio.rhythm"
ELEMENTS = ("short", "long")
PCM = 1
IEEE_FLOAT = 3
MP3_INSTALL_HINT = (
    "MP3 rhythm labels need an MP3 encoder: pip install 'chinacomply[audio]' (lameenc)"
)
CUE_POINT_SIZE = 24

Samples = npt.NDArray[np.float64]


class ToolUnavailable(RuntimeError):  # noqa: N818 -- the name callers catch
    """An optional tool this label needs is not installed; the message says how to get it."""


@dataclass(frozen=True, slots=True)
class RhythmStyle:
    """How the rhythm sounds; every duration in seconds."""

    frequency: float = 880.0
    short: float = 0.120
    long: float = 0.360
    gap: float = 0.120
    fade: float = 0.010
    peak_dbfs: float = -6.0
    silence_after: float = 0.300

    def tone_seconds(self, element: str) -> float:
        return self.short if element == "short" else self.long


DEFAULT_STYLE = RhythmStyle()


def rhythm_pattern(on: dt.date) -> tuple[str, ...]:
    """The rhythm in force on a date, e.g. ("short", "long", "short", "short")."""
    value = law.parameter(PARAMETER, on).value
    if not isinstance(value, list) or not value or any(item not in ELEMENTS for item in value):
        raise LawDataError(f"parameters.yaml: {PARAMETER} must be a list of 'short' and 'long'")
    return tuple(value)


def describe(pattern: Sequence[str]) -> str:
    """The text recorded as the explicit label, for `aigc check` to report."""
    return f"audio rhythm label {'-'.join(pattern)} at the start (GB 45438 §5.3)"


def rhythm_samples(
    sample_rate: int, pattern: Sequence[str], style: RhythmStyle = DEFAULT_STYLE
) -> Samples:
    """The rhythm as mono samples in [-1, 1]: tones, gaps between them, the trailing silence.

    Every part is rounded to whole samples on its own, so the parts' lengths are exact and a
    test can find them again."""
    amplitude = 10 ** (style.peak_dbfs / 20)
    parts: list[Samples] = []
    for index, element in enumerate(pattern):
        if index:
            parts.append(np.zeros(round(style.gap * sample_rate)))
        parts.append(tone(sample_rate, style.tone_seconds(element), style, amplitude))
    parts.append(np.zeros(round(style.silence_after * sample_rate)))
    return np.concatenate(parts)


def tone(sample_rate: int, seconds: float, style: RhythmStyle, amplitude: float) -> Samples:
    """One sine burst with raised-cosine fades, which keep its edges from clicking."""
    count = round(seconds * sample_rate)
    phase = 2 * np.pi * style.frequency * np.arange(count) / sample_rate
    burst: Samples = amplitude * np.sin(phase)
    fade = min(round(style.fade * sample_rate), count // 2)
    if fade:
        ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade) / fade)
        burst[:fade] *= ramp
        burst[count - fade :] *= ramp[::-1]
    return burst


def rhythm_seconds(pattern: Sequence[str], style: RhythmStyle = DEFAULT_STYLE) -> float:
    """How long the rhythm lasts, silence after it included."""
    tones = sum(style.tone_seconds(element) for element in pattern)
    return tones + style.gap * (len(pattern) - 1) + style.silence_after


def encode_pcm(samples: Samples, fmt: wav.WaveFormat) -> bytes:
    """Mono samples as interleaved frames of a WAV's sample format, every channel the same.

    Raises FormatError for sample formats the label cannot be written in (A-law, ADPCM...)."""
    frames = np.repeat(samples[:, np.newaxis], fmt.channels, axis=1).reshape(-1)
    width = fmt.bits // 8
    if fmt.block_align != width * fmt.channels or fmt.bits % 8:
        raise FormatError(
            f"WAV block size {fmt.block_align} does not match {fmt.channels} channels of "
            f"{fmt.bits}-bit samples"
        )
    if fmt.tag == IEEE_FLOAT and fmt.bits in (32, 64):
        return frames.astype(f"<f{width}").tobytes()
    if fmt.tag != PCM or fmt.bits not in (8, 16, 24, 32):
        raise FormatError(
            f"WAV sample format 0x{fmt.tag:04X} with {fmt.bits}-bit samples cannot take a rhythm "
            "label: integer PCM of 8, 16, 24 or 32 bits, or 32/64-bit float, is needed"
        )
    full_scale = (1 << (fmt.bits - 1)) - 1
    integers = np.round(frames * full_scale).astype("<i4")
    if fmt.bits == 8:
        return (integers + 128).astype(np.uint8).tobytes()  # 8-bit WAV is unsigned
    if fmt.bits == 24:
        return integers.view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    return integers.astype(f"<i{width}").tobytes()


# --- WAV --------------------------------------------------------------------------------------


def label_wav(src: BinaryIO, out: BinaryIO, pattern: Sequence[str], style: RhythmStyle) -> None:
    """Write the WAV with the rhythm before its samples. Every other chunk is kept; the ones that
    count samples or point into them (fact, cue, ds64) are moved on by the frames added."""
    riff = wav.parse(src)
    fmt = wav.wave_format(src, riff)
    tones = encode_pcm(rhythm_samples(fmt.sample_rate, pattern, style), fmt)
    added = len(tones) // fmt.block_align
    data = riff.first(b"data")
    pieces: list[wav.Piece] = []
    for chunk in riff.chunks:
        if chunk is data:
            pieces.append(wav.Piece(b"data", tones, chunk))
        elif chunk.id == b"fact" and chunk.size >= 4:
            pieces.append(wav.Piece(b"fact", grown_fact(wav.read_chunk(src, chunk), added)))
        elif chunk.id == b"cue " and chunk.size >= 4:
            pieces.append(wav.Piece(b"cue ", shifted_cues(wav.read_chunk(src, chunk), added)))
        else:
            pieces.append(wav.Piece.of(chunk))
    wav.write_riff(src, out, riff, pieces, added_samples=added)


def grown_fact(data: bytes, added: int) -> bytes:
    """The `fact` chunk's sample count, grown (it would otherwise cut the file short)."""
    count = int.from_bytes(data[:4], "little")
    return min(count + added, 0xFFFFFFFF).to_bytes(4, "little") + data[4:]


def shifted_cues(data: bytes, added: int) -> bytes:
    """Cue points (markers, regions) moved on so they still mark the same sound."""
    count = int.from_bytes(data[:4], "little")
    if 4 + count * CUE_POINT_SIZE > len(data):
        raise FormatError("the 'cue ' chunk declares more cue points than it holds")
    shifted = bytearray(data)
    for index in range(count):
        start = 4 + index * CUE_POINT_SIZE
        ident, position, chunk_id, chunk_start, block_start, offset = struct.unpack_from(
            "<II4sIII", data, start
        )
        struct.pack_into(
            "<II4sIII",
            shifted,
            start,
            ident,
            min(position + added, 0xFFFFFFFF),
            chunk_id,
            chunk_start,
            block_start,
            min(offset + added, 0xFFFFFFFF),
        )
    return bytes(shifted)


# --- MP3 --------------------------------------------------------------------------------------


def lame_module() -> ModuleType:
    """lameenc, imported only when an MP3 label is made (it has no type information)."""
    try:
        return importlib.import_module("lameenc")
    except ImportError:
        raise ToolUnavailable(MP3_INSTALL_HINT) from None


def encode_mp3(samples: Samples, sample_rate: int, channels: int) -> bytes:
    """The rhythm as MPEG layer III frames at the stream's sample rate and channel count, so a
    decoder plays them and the original frames as one stream."""
    lameenc = lame_module()
    frames = np.repeat(samples[:, np.newaxis], channels, axis=1).reshape(-1)
    pcm = np.round(frames * 32767).astype("<i2").tobytes()
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(128 if sample_rate >= 32000 else 64)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_out_sample_rate(sample_rate)
    encoder.set_channels(channels)
    encoder.set_quality(2)
    encoded = bytes(encoder.encode(pcm)) + bytes(encoder.flush())
    first = mp3.frame_header(encoded[:4])
    if first is None or (first.sample_rate, first.channels) != (sample_rate, channels):
        raise FormatError(f"lameenc cannot encode {channels}-channel audio at {sample_rate} Hz")
    return encoded


def label_mp3(src: BinaryIO, out: BinaryIO, pattern: Sequence[str], style: RhythmStyle) -> None:
    """ID3 tags, the rhythm's frames, the original frames. A Xing/Info/VBRI frame at the start
    is left out: its frame count and seek table describe the old stream, and decoders trust it
    for the whole file's length (they then estimate from the bit rate, exact for CBR)."""
    lame_module()  # fail before any work when the encoder is missing
    layout = mp3.layout(src)
    offset, header = mp3.first_audio_frame(src, layout.audio_start, layout.audio_end)
    if header.layer != 3:
        raise FormatError(
            f"the audio at offset {offset} is MPEG layer {header.layer}, not layer III (MP3)"
        )
    tones = encode_mp3(
        rhythm_samples(header.sample_rate, pattern, style), header.sample_rate, header.channels
    )
    skip = header.length if mp3.is_vbr_info_frame(src, offset, header) else 0
    mp3.copy_range(src, out, 0, offset)
    out.write(tones)
    mp3.copy_range(src, out, offset + skip, layout.size)


# --- the entry point --------------------------------------------------------------------------


def add_rhythm_label(
    src: BinaryIO,
    out: BinaryIO,
    kind: str,
    on: dt.date,
    style: RhythmStyle = DEFAULT_STYLE,
) -> str:
    """Copy the audio from `src` to `out` with the rhythm label at its start; `kind` is the
    format's name ("wav" or "mp3"). Returns the text to record as the explicit label.

    Raises FormatError for a malformed file or one whose sample format cannot take the label,
    ToolUnavailable when an MP3 needs lameenc and it is not installed, ValueError for another
    kind, LawDataError for a date before the rhythm was law."""
    pattern = rhythm_pattern(on)
    if kind == "wav":
        label_wav(src, out, pattern, style)
    elif kind == "mp3":
        label_mp3(src, out, pattern, style)
    else:
        raise ValueError(f"no audio rhythm label for {kind!r} files; wav and mp3 take one")
    return describe(pattern)
