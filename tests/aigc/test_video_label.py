"""The burned-in video label: drawn where asked and nowhere else, from the first frame for the
whole video or the opening seconds, text at least 5% of the frame's shortest side, duration and
audio kept; a clear error when ffmpeg is missing."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageStat

from chinacomply.aigc.explicit import video
from chinacomply.aigc.explicit.image import LabelFitError, render_overlay
from chinacomply.aigc.explicit.video import (
    ToolUnavailable,
    VideoLabelError,
    add_label,
    parse_report,
    probe,
)
from chinacomply.aigc.formats import mp4
from chinacomply.aigc.formats.base import Update
from chinacomply.aigc.label import ImplicitLabel

WIDTH, HEIGHT = 160, 120
ON = dt.date(2025, 9, 1)
TEXT = "AI生成"
LABEL = ImplicitLabel.first_write("001191440300708461136T1XGW3", "vid-0001").to_json()


@pytest.fixture(scope="module")
def ffmpeg() -> str:
    exe = imageio_ffmpeg.get_ffmpeg_exe()
    assert exe and Path(exe).exists(), "ffmpeg missing: pip install imageio-ffmpeg"
    return str(exe)


def run(*args: str) -> bytes:
    return subprocess.run(args, capture_output=True, check=True, timeout=60).stdout


@pytest.fixture(scope="module")
def clip(ffmpeg: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3 s 160x120 H.264 (or MPEG-4) clip with a sine-tone AAC track."""
    path = tmp_path_factory.mktemp("video") / "clip.mp4"
    encoders = run(ffmpeg, "-hide_banner", "-encoders").decode()
    codec = "libx264" if " libx264 " in encoders else "mpeg4"
    run(
        *(ffmpeg, "-v", "error", "-y"),
        *("-f", "lavfi", "-i", f"testsrc=duration=3:size={WIDTH}x{HEIGHT}:rate=10"),
        *("-f", "lavfi", "-i", "sine=duration=3:sample_rate=8000"),
        *("-c:v", codec, "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path)),
    )
    return path


def frame(ffmpeg: str, path: Path, at: float) -> Image.Image:
    raw = run(
        *(ffmpeg, "-v", "error", "-i", str(path), "-ss", str(at), "-frames:v", "1"),
        *("-f", "rawvideo", "-pix_fmt", "rgb24", "-"),
    )
    assert len(raw) == WIDTH * HEIGHT * 3
    return Image.frombytes("RGB", (WIDTH, HEIGHT), raw)


def change(before: Image.Image, after: Image.Image, position: str) -> tuple[float, float]:
    """Mean pixel change inside the label's box, and away from it (codec noise only)."""
    box = render_overlay(WIDTH, HEIGHT, TEXT, position, on=ON).getchannel("A").getbbox()
    assert box is not None
    diff = ImageChops.difference(before, after).convert("L")
    inside = ImageStat.Stat(diff.crop(box)).mean[0]
    away = Image.new("L", diff.size, 255)
    margin = 16  # codec blocks around the label change too
    ImageDraw.Draw(away).rectangle(
        (box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin), fill=0
    )
    return inside, ImageStat.Stat(diff, away).mean[0]


def audio_packets(ffmpeg: str, path: Path) -> bytes:
    return run(
        ffmpeg, "-v", "error", "-i", str(path), "-map", "0:a", "-c", "copy", "-f", "md5", "-"
    )


@pytest.fixture(scope="module")
def labelled(
    clip: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, video.BurnedLabel]:
    target = tmp_path_factory.mktemp("labelled") / "labelled.mp4"
    return target, add_label(clip, target, TEXT, on=ON)


def test_label_is_drawn_bottom_right_and_nowhere_else_for_the_whole_video(
    ffmpeg: str, clip: Path, labelled: tuple[Path, video.BurnedLabel]
) -> None:
    target, _ = labelled
    for at in (0.0, 0.5, 2.5):
        inside, away = change(frame(ffmpeg, clip, at), frame(ffmpeg, target, at), "bottom-right")
        assert inside > 40, f"no label at {at} s"
        assert away < 3, f"frame changed away from the label at {at} s"


def test_duration_size_and_audio_are_kept(
    ffmpeg: str, clip: Path, labelled: tuple[Path, video.BurnedLabel]
) -> None:
    target, _ = labelled
    before, after = probe(clip), probe(target)
    assert (after.width, after.height, after.has_audio) == (WIDTH, HEIGHT, True)
    assert before.duration is not None and after.duration is not None
    assert abs(after.duration - before.duration) < 0.15
    assert audio_packets(ffmpeg, target) == audio_packets(ffmpeg, clip)  # copied, not re-encoded


def test_text_is_at_least_five_percent_of_the_shortest_side(
    labelled: tuple[Path, video.BurnedLabel],
) -> None:
    _, burned = labelled
    assert burned.shortest_side == HEIGHT
    assert burned.text_height >= 0.05 * HEIGHT
    assert burned.seconds is None
    assert "whole video" in burned.record() and "GB 45438 §5.4" in burned.record()


def test_opening_only_label_leaves_the_later_frames_alone(
    ffmpeg: str, clip: Path, tmp_path: Path
) -> None:
    target = tmp_path / "opening.mov"
    burned = add_label(clip, target, TEXT, position="top-left", seconds=2, on=ON)
    assert burned.seconds == 2
    inside, away = change(frame(ffmpeg, clip, 0.5), frame(ffmpeg, target, 0.5), "top-left")
    assert inside > 40 and away < 3
    inside, _ = change(frame(ffmpeg, clip, 2.5), frame(ffmpeg, target, 2.5), "top-left")
    assert inside < 3
    assert "first 2 s" in burned.record()


def test_the_record_to_store_names_text_and_place(ffmpeg: str, clip: Path, tmp_path: Path) -> None:
    target = tmp_path / "burned.mp4"
    record = video.add_label(clip, target, TEXT, "bottom-left", on=ON).record()
    assert record.startswith("visible label 'AI生成' at bottom-left")
    inside, away = change(frame(ffmpeg, clip, 0.5), frame(ffmpeg, target, 0.5), "bottom-left")
    assert inside > 40 and away < 3


def test_labelled_video_takes_the_implicit_label(
    ffmpeg: str, labelled: tuple[Path, video.BurnedLabel], tmp_path: Path
) -> None:
    target, burned = labelled
    final = tmp_path / "final.mp4"
    with target.open("rb") as stream, final.open("wb") as out:
        mp4.FORMAT.write(stream, out, Update(LABEL, burned.record()))
    with final.open("rb") as stream:
        meta = mp4.FORMAT.read(stream)
    assert [c.value for c in meta.labels] == [LABEL]
    assert meta.explicit == burned.record()
    done = subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(final), "-f", "null", "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    assert done.stderr == b""


def test_too_short_a_span_and_a_wording_without_the_elements_are_refused(
    clip: Path, tmp_path: Path
) -> None:
    with pytest.raises(LabelFitError, match="2 s"):
        add_label(clip, tmp_path / "short.mp4", TEXT, seconds=1, on=ON)
    with pytest.raises(LabelFitError, match="AI element"):
        add_label(clip, tmp_path / "wording.mp4", "生成内容", on=ON)
    with pytest.raises(ValueError, match="another file"):
        add_label(clip, clip, TEXT, on=ON)


def test_a_file_that_is_not_a_video_is_refused(tmp_path: Path) -> None:
    picture = tmp_path / "not-a-video.mp4"
    picture.write_bytes(b"this is text, not a video\n" * 10)
    with pytest.raises(VideoLabelError, match="no video stream"):
        add_label(picture, tmp_path / "out.mp4", TEXT, on=ON)


def test_missing_ffmpeg_raises_tool_unavailable_with_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch, clip: Path, tmp_path: Path
) -> None:
    monkeypatch.setattr(video.shutil, "which", lambda name: None)
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # import now fails
    with pytest.raises(ToolUnavailable) as caught:
        video.find_ffmpeg()
    assert "apt-get install ffmpeg" in str(caught.value)
    assert "pip install imageio-ffmpeg" in str(caught.value)
    with pytest.raises(ToolUnavailable):
        add_label(clip, tmp_path / "out.mp4", TEXT, on=ON)
    assert not (tmp_path / "out.mp4").exists()


def test_system_ffmpeg_is_preferred(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(video.shutil, "which", lambda name: f"/opt/bin/{name}")
    assert video.find_ffmpeg() == "/opt/bin/ffmpeg"


REPORT = """Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x.mov':
  Duration: 00:01:02.50, start: 0.040000, bitrate: 9000 kb/s
  Stream #0:0[0x1](und): Video: hevc (Main) (hvc1 / 0x31637668), yuv420p(tv), 1920x1080, 30 fps
    Side data:
      displaymatrix: rotation of -90.00 degrees
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo
  Stream #0:2: Video: mjpeg (Baseline), yuvj420p, 600x600, 90k tbr (attached pic)
"""


def test_ffmpeg_report_is_read_with_rotation_and_start_time() -> None:
    info = parse_report(REPORT)
    assert (info.width, info.height) == (1080, 1920)  # shown upright
    assert info.duration == pytest.approx(62.5)
    assert info.start == pytest.approx(0.04)
    assert info.has_audio
    cover_only = "  Stream #0:0: Video: mjpeg, yuvj420p, 600x600 (attached pic)\n"
    with pytest.raises(VideoLabelError):
        parse_report(cover_only)
