"""Visible image labels (GB 45438 §5.2): at an edge or corner, at least 5% of the shortest side
high, with an AI element and a generation element, drawn with the bundled font."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from chinacomply.aigc.explicit import image as image_label

ON = dt.date(2026, 3, 1)


def _image(fmt: str, size: tuple[int, int] = (640, 400), mode: str = "RGB") -> io.BytesIO:
    buf = io.BytesIO()
    Image.new(mode, size, (40, 140, 90) if mode == "RGB" else (40, 140, 90, 255)).save(buf, fmt)
    buf.seek(0)
    return buf


def _ink_box(before: Image.Image, after: Image.Image) -> tuple[int, int, int, int]:
    """The box of pixels the label changed."""
    from PIL import ImageChops

    box = ImageChops.difference(before.convert("RGB"), after.convert("RGB")).getbbox()
    assert box is not None, "nothing was drawn"
    return box


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_label_is_drawn_in_the_corner_and_the_format_is_kept(fmt: str) -> None:
    src = _image(fmt)
    original = Image.open(io.BytesIO(src.getvalue()))
    out = io.BytesIO()
    drawn = image_label.add_label(src, out, "AI生成", "bottom-right", ON)
    labelled = Image.open(io.BytesIO(out.getvalue()))
    assert labelled.format == fmt and labelled.size == original.size
    left, top, right, bottom = _ink_box(original, labelled)
    assert left > 640 / 2 and top > 400 / 2, "the label is in the bottom-right quarter"
    assert right >= 640 - 40 and bottom >= 400 - 40, "and near the corner"
    assert drawn.text_height >= 0.05 * 400
    assert "bottom-right" in drawn.record() and "GB 45438 §5.2" in drawn.record()


def test_text_height_is_at_least_five_percent_of_the_shortest_side() -> None:
    for size in [(300, 1200), (1920, 1080), (200, 200)]:
        drawn = image_label.add_label(_image("PNG", size), io.BytesIO(), "AI生成", on=ON)
        assert drawn.text_height >= 0.05 * min(size), size


@pytest.mark.parametrize(
    ("position", "quarter"),
    [("top-left", (0, 0)), ("top-right", (1, 0)), ("bottom-left", (0, 1))],
)
def test_other_corners(position: str, quarter: tuple[int, int]) -> None:
    src = _image("PNG")
    out = io.BytesIO()
    image_label.add_label(src, out, "人工智能合成", position, ON)
    left, top, _, _ = _ink_box(
        Image.open(io.BytesIO(src.getvalue())), Image.open(io.BytesIO(out.getvalue()))
    )
    assert (left >= 320, top >= 200) == (bool(quarter[0]), bool(quarter[1]))


@pytest.mark.parametrize(
    ("text", "message"),
    [("由模型生成", "no AI element"), ("AI作品", "no generation element")],
)
def test_wording_needs_both_elements(text: str, message: str) -> None:
    with pytest.raises(image_label.LabelFitError, match=message):
        image_label.add_label(_image("PNG"), io.BytesIO(), text, on=ON)


def test_a_character_the_bundled_font_lacks_is_refused_with_the_fix() -> None:
    with pytest.raises(image_label.LabelFitError, match="--font"):
        image_label.add_label(_image("PNG"), io.BytesIO(), "AI生成的猫", on=ON)


def test_a_label_too_wide_for_the_image_is_refused() -> None:
    with pytest.raises(image_label.LabelFitError, match="width"):
        wording = "本图片内容由人工智能生成合成，请勿删除此标识"
        image_label.add_label(_image("PNG", (100, 100)), io.BytesIO(), wording, on=ON)


def test_centre_is_not_an_edge_or_corner() -> None:
    with pytest.raises(image_label.LabelFitError, match="edge or corner"):
        image_label.add_label(_image("PNG"), io.BytesIO(), "AI生成", "centre", ON)


def test_alpha_and_icc_profile_survive() -> None:
    buf = io.BytesIO()
    Image.new("RGBA", (320, 200), (10, 20, 30, 128)).save(buf, "PNG", icc_profile=b"fake-icc")
    buf.seek(0)
    out = io.BytesIO()
    image_label.add_label(buf, out, "AI生成", on=ON)
    labelled = Image.open(io.BytesIO(out.getvalue()))
    assert labelled.mode == "RGBA" and labelled.info.get("icc_profile") == b"fake-icc"
    assert labelled.getpixel((5, 5)) == (10, 20, 30, 128), "pixels away from the label unchanged"


def test_overlay_for_video_frames_is_transparent_outside_the_label() -> None:
    overlay = image_label.render_overlay(320, 180, "AI生成", on=ON)
    assert overlay.mode == "RGBA" and overlay.size == (320, 180)
    assert overlay.getpixel((0, 0))[3] == 0 and overlay.getbbox() is not None


def test_not_an_image_is_a_clear_error() -> None:
    with pytest.raises(image_label.LabelFitError, match="not an image"):
        image_label.add_label(io.BytesIO(b"hello"), io.BytesIO(), "AI生成", on=ON)


def test_a_rotated_photo_gets_its_label_in_the_corner_a_viewer_shows() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: viewers turn it 90 degrees clockwise
    buf = io.BytesIO()
    Image.new("RGB", (400, 200), (40, 140, 90)).save(buf, "JPEG", exif=exif.tobytes())
    buf.seek(0)
    out = io.BytesIO()
    image_label.add_label(buf, out, "AI生成", "bottom-right", ON)
    labelled = Image.open(io.BytesIO(out.getvalue()))
    assert labelled.size == (200, 400), "stored upright"
    assert labelled.getexif().get(0x0112, 1) == 1
    left, top, _, _ = _ink_box(Image.new("RGB", (200, 400), (40, 140, 90)), labelled)
    assert left > 100 and top > 200
