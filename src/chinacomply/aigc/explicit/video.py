"""The explicit label of a video (GB 45438-2025 §5.4): a text prompt burned into the frames, on
the opening frame and for at least 2 s at normal speed, its text at least 5% of the frame's
shortest side high, at an edge or corner.

The text is drawn once by the image label (`explicit.image.render_overlay`, with the bundled
CJK font) as a transparent PNG the size of the frame, and ffmpeg's `overlay` filter lays it over
the video; audio is copied untouched. By default the label stays for the whole video (the
standard's minimum is the opening 2 s; a label that never leaves the screen also discharges the
"around the playback area" duty for a downloaded file). ffmpeg is found on PATH or through the
imageio-ffmpeg package; its `-i` report is parsed for size and duration, since imageio-ffmpeg
ships no ffprobe. The caller owns temporary files and the rename, and writes the implicit label
onto the result afterwards with the container's carrier.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from chinacomply.aigc.explicit.image import PLATE, LabelFitError, render_overlay
from chinacomply.rules import law

if TYPE_CHECKING:
    from PIL import Image

PROBE_TIMEOUT = 60  # seconds; reading a header never takes this long
STDERR_TAIL = 300  # characters of ffmpeg's complaint kept in an error message
INSTALL_HINT = "install ffmpeg (Debian: apt-get install ffmpeg) or pip install imageio-ffmpeg"


class ToolUnavailable(RuntimeError):  # noqa: N818 (the name callers catch)
    """ffmpeg, needed to draw on video, cannot be found."""


class VideoLabelError(RuntimeError):
    """ffmpeg could not read or write the video; the message says which step failed."""


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """What the label needs to know about a video: the displayed frame size (after rotation),
    duration and start time in seconds (None when the container does not say)."""

    width: int
    height: int
    duration: float | None
    start: float
    has_audio: bool


@dataclass(frozen=True, slots=True)
class BurnedLabel:
    """What was burned in, for the explicit-label record and the report."""

    text: str
    position: str
    text_height: int
    shortest_side: int
    seconds: float | None  # None: the whole video

    def record(self) -> str:
        share = self.text_height / self.shortest_side
        span = "the whole video" if self.seconds is None else f"the first {self.seconds:g} s"
        return (
            f"visible label {self.text!r} at {self.position} of the frame for {span} from the "
            f"first frame, text {share:.1%} of the frame's shortest side (GB 45438 §5.4)"
        )


def find_ffmpeg() -> str:
    """The ffmpeg to run: the system's, else the one the imageio-ffmpeg package ships."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg
    except ImportError:
        raise ToolUnavailable(f"ffmpeg not found: {INSTALL_HINT}") from None
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError:
        raise ToolUnavailable(f"ffmpeg not found: {INSTALL_HINT}") from None


def _tail(stderr: bytes) -> str:
    lines = [line for line in stderr.decode("utf-8", errors="replace").splitlines() if line]
    return lines[-1][:STDERR_TAIL] if lines else "no message"


DURATION = re.compile(r"Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)")
START = re.compile(r"start: (-?\d+(?:\.\d+)?)")
VIDEO_STREAM = re.compile(r"^\s*Stream #\d+:\d+.*?: Video: (.*)$", re.MULTILINE)
FRAME_SIZE = re.compile(r"(?<![\w/])(\d{2,5})x(\d{2,5})(?!\w)")
ROTATION = re.compile(r"rotation of (-?\d+(?:\.\d+)?) degrees")


def probe(path: Path, ffmpeg: str | None = None) -> VideoInfo:
    """Frame size, duration and start time from ffmpeg's report on the input."""
    exe = ffmpeg or find_ffmpeg()
    done = subprocess.run(
        [exe, "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True,
        timeout=PROBE_TIMEOUT,
        check=False,
    )
    report = done.stderr.decode("utf-8", errors="replace")
    return parse_report(report)


def parse_report(report: str) -> VideoInfo:
    """The VideoInfo in the text `ffmpeg -i` prints about its input."""
    streams = [s for s in VIDEO_STREAM.findall(report) if "attached pic" not in s]
    size = FRAME_SIZE.search(streams[0]) if streams else None
    if size is None:
        raise VideoLabelError("ffmpeg finds no video stream with a frame size in this file")
    width, height = int(size.group(1)), int(size.group(2))
    rotation = ROTATION.search(report[report.find(streams[0]) :])
    if rotation and round(abs(float(rotation.group(1)))) % 180 == 90:
        width, height = height, width  # ffmpeg turns the frames upright before the overlay
    duration = DURATION.search(report)
    seconds = None
    if duration:
        hours, minutes, secs = duration.groups()
        seconds = int(hours) * 3600 + int(minutes) * 60 + float(secs)
    start = START.search(report)
    has_audio = re.search(r"^\s*Stream #\d+:\d+.*?: Audio: ", report, re.MULTILINE) is not None
    return VideoInfo(width, height, seconds, float(start.group(1)) if start else 0.0, has_audio)


@cache
def _encoders(ffmpeg: str) -> str:
    done = subprocess.run(
        [ffmpeg, "-hide_banner", "-encoders"],
        capture_output=True,
        timeout=PROBE_TIMEOUT,
        check=False,
    )
    return done.stdout.decode("utf-8", errors="replace")


def _video_codec(ffmpeg: str, suffix: str) -> list[str]:
    """Encoder options for the container: VP9 for WebM, else H.264, else MPEG-4 part 2."""
    encoders = _encoders(ffmpeg)
    if suffix == ".webm":
        return ["-c:v", "libvpx-vp9", "-crf", "30", "-b:v", "0"]
    if " libx264 " in encoders:
        return ["-c:v", "libx264", "-crf", "18", "-preset", "medium"]
    return ["-c:v", "mpeg4", "-q:v", "2"]


def _ink_height(overlay: Image.Image) -> int:
    """Height of the text ink: the glyphs are more opaque than the plate behind them."""
    ink = overlay.getchannel("A").point([255 if a > PLATE[3] else 0 for a in range(256)])
    box = ink.getbbox()
    return box[3] - box[1] if box else 0


def add_label(
    source: Path,
    target: Path,
    text: str,
    position: str = "bottom-right",
    seconds: float | None = None,
    on: dt.date | None = None,
    font: Path | None = None,
) -> BurnedLabel:
    """Burn the label into `source`'s video and write the result to `target` (its suffix picks
    the container). `seconds` None keeps the label for the whole video; a number keeps it from
    the first frame for that long (at least the standard's 2 s). The video is re-encoded; audio
    is copied as it is."""
    on = on or dt.date.today()
    if source.resolve() == target.resolve():
        raise ValueError("the labelled video must be written to another file than its source")
    minimum = float(law.parameter("aigc.explicit.video.min_seconds", on).value)
    if seconds is not None and seconds < minimum:
        raise LabelFitError(f"the label must stay at least {minimum:g} s (GB 45438 §5.4)")
    ffmpeg = find_ffmpeg()
    info = probe(source, ffmpeg)
    overlay = render_overlay(info.width, info.height, text, position, on=on, font=font)
    shortest = min(info.width, info.height)
    ratio = float(law.parameter("aigc.explicit.video.min_text_height", on).value)
    height = _ink_height(overlay)
    if height < math.ceil(shortest * ratio):
        raise LabelFitError(
            f"the label text is {height} px high; the frame needs at least {ratio:.0%} of "
            f"{shortest} px (GB 45438 §5.4)"
        )
    if seconds is not None and info.duration is not None and seconds >= info.duration:
        seconds = None  # a clip shorter than the span is labelled throughout
    with tempfile.TemporaryDirectory(prefix="chinacomply-video-") as folder:
        picture = Path(folder) / "label.png"
        overlay.save(picture, "PNG")
        _burn(ffmpeg, source, picture, target, info, seconds)
    return BurnedLabel(text, position, height, shortest, seconds)


def _burn(
    ffmpeg: str,
    source: Path,
    picture: Path,
    target: Path,
    info: VideoInfo,
    seconds: float | None,
) -> None:
    overlay = "overlay=0:0"
    if seconds is not None:
        overlay += f":enable='between(t,{info.start:.6f},{info.start + seconds:.6f})'"
    suffix = target.suffix.lower()
    command = [
        *(ffmpeg, "-hide_banner", "-nostdin", "-v", "error", "-y"),
        *("-i", str(source), "-i", str(picture)),
        *("-filter_complex", f"[0:v:0][1:v]{overlay}[labelled]", "-map", "[labelled]"),
        *("-map", "0:a?", "-c:a", "copy"),
        *_video_codec(ffmpeg, suffix),
    ]
    if suffix in (".mp4", ".m4v", ".mov"):
        command += ["-movflags", "+faststart"]
    done = subprocess.run([*command, str(target)], capture_output=True, check=False)
    if done.returncode != 0:
        raise VideoLabelError(f"ffmpeg could not write the labelled video: {_tail(done.stderr)}")
