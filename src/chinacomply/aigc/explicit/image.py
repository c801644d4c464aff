"""The explicit label of an image (GB 45438-2025 §5.2): a text prompt with an AI element and a
generation element, at an edge or corner, its text at least 5% of the image's shortest side high.

Text is drawn white on a translucent dark plate so it stays legible on any picture. Height is
measured on the rendered glyphs (their ink, not the font's nominal size), so the 5% holds for
what a person sees. The font ships with the package (a subset of WenQuanYi Micro Hei, Apache-2.0;
scripts/build_label_font.py); other wordings can bring their own font.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from chinacomply.aigc.explicit import text as explicit_text
from chinacomply.rules import law

if TYPE_CHECKING:
    from PIL import Image, ImageFont

FONT_RESOURCE = "data/label-font.ttf"
DEFAULT_TEXT = "AI生成"
PLATE = (0, 0, 0, 150)  # translucent black behind the text
INK = (255, 255, 255, 255)
SAVE_FORMATS = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp"}
# Drawn 20% above the minimum, so the label clears 5% however its height is measured (the ink
# of Latin capitals is shorter than that of CJK characters).
HEIGHT_MARGIN = 1.2


class LabelFitError(ValueError):
    """The label cannot be drawn as the standard asks (too long for the image, a character the
    font lacks, a wording without the required elements)."""


@dataclass(frozen=True, slots=True)
class Drawn:
    """What was drawn, for the explicit-label record and the report."""

    text: str
    position: str
    text_height: int
    shortest_side: int

    def record(self) -> str:
        share = self.text_height / self.shortest_side
        return (
            f"visible label {self.text!r} at {self.position}, text {share:.1%} of the shortest "
            "side (GB 45438 §5.2)"
        )


def font_path() -> Path:
    """The bundled label font, as a file path (ffmpeg and Pillow both want one)."""
    return Path(str(resources.files("chinacomply.aigc").joinpath(FONT_RESOURCE)))


def _font(size: int, path: Path | None) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    try:
        return ImageFont.truetype(str(path or font_path()), size)
    except OSError:
        raise LabelFitError(f"{path}: not a font Pillow can read") from None


def _missing_glyphs(text: str, path: Path | None) -> str:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        cmap = TTFont(str(path or font_path()), fontNumber=0).getBestCmap()
    except (TTLibError, OSError, AssertionError):
        raise LabelFitError(f"{path}: not a TrueType or OpenType font") from None
    return "".join(sorted({c for c in text if not c.isspace() and ord(c) not in cmap}))


def _fitted_font(
    text: str, min_height: int, path: Path | None
) -> tuple[ImageFont.FreeTypeFont, tuple[int, int, int, int]]:
    """The smallest font size whose rendered text is at least `min_height` pixels tall."""
    size = max(4, min_height)
    for _ in range(64):
        font = _font(size, path)
        box = font.getbbox(text)
        height = box[3] - box[1]
        if height >= min_height:
            return font, (int(box[0]), int(box[1]), int(box[2]), int(box[3]))
        size = max(size + 1, math.ceil(size * min_height / max(height, 1)))
    raise LabelFitError(f"cannot draw {text!r} {min_height} pixels high with this font")


def render_overlay(
    width: int,
    height: int,
    text: str,
    position: str = "bottom-right",
    on: dt.date | None = None,
    font: Path | None = None,
) -> Image.Image:
    """A transparent RGBA image of the given size with the label drawn at `position`."""
    overlay, _ = _overlay(width, height, text, position, on or dt.date.today(), font)
    return overlay


def _overlay(
    width: int, height: int, text: str, position: str, on: dt.date, font_file: Path | None
) -> tuple[Image.Image, Drawn]:
    from PIL import Image, ImageDraw

    positions = law.parameter("aigc.explicit.image.positions", on).value
    if position not in positions:
        raise LabelFitError(
            f"position {position!r} is not an edge or corner ({', '.join(positions)})"
        )
    try:
        explicit_text.check_wording(text, on)  # one rule for every modality
    except ValueError as err:
        raise LabelFitError(f"label text {text!r}: {err}") from None
    missing = _missing_glyphs(text, font_file)
    if missing:
        raise LabelFitError(
            f"the label font has no glyph for {missing!r}; pass a CJK font with --font"
        )
    shortest = min(width, height)
    ratio = law.parameter("aigc.explicit.image.min_text_height", on).value
    font, box = _fitted_font(text, math.ceil(shortest * ratio * HEIGHT_MARGIN), font_file)
    text_w, text_h = box[2] - box[0], box[3] - box[1]
    pad = max(2, text_h // 4)
    margin = max(1, shortest // 50)
    plate_w, plate_h = text_w + 2 * pad, text_h + 2 * pad
    if plate_w + 2 * margin > width or plate_h + 2 * margin > height:
        raise LabelFitError(
            f"label {text!r} at {text_h} px high needs {plate_w + 2 * margin} px of width; "
            f"the image is {width}x{height}"
        )
    x, y = _place(position, width, height, plate_w, plate_h, margin)
    overlay = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rectangle((x, y, x + plate_w - 1, y + plate_h - 1), fill=PLATE)
    draw.text((x + pad - box[0], y + pad - box[1]), text, font=font, fill=INK)
    return overlay, Drawn(text, position, text_h, shortest)


def _place(position: str, width: int, height: int, w: int, h: int, margin: int) -> tuple[int, int]:
    """Top-left corner of a w x h plate at an edge or corner, `margin` pixels in."""
    left, right, centre_x = margin, width - w - margin, (width - w) // 2
    top, bottom, centre_y = margin, height - h - margin, (height - h) // 2
    x = left if "left" in position else right if "right" in position else centre_x
    y = top if "top" in position else bottom if "bottom" in position else centre_y
    return x, y


def add_label(
    stream: BinaryIO,
    out: BinaryIO,
    text: str,
    position: str = "bottom-right",
    on: dt.date | None = None,
    font: Path | None = None,
) -> Drawn:
    """Draw the label into a PNG, JPEG or WebP image and write it in the same format.

    The image is re-encoded (pixels change where the label is), keeping its ICC profile and
    EXIF; the implicit label is written afterwards by the format's carrier."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        opened = Image.open(io.BytesIO(stream.read()))
        opened.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        raise LabelFitError(f"not an image Pillow can draw on ({err})") from None
    fmt = opened.format or ""
    # Upright first: a photo whose EXIF says "rotated" gets its label where a viewer shows the
    # corner, and the EXIF orientation is reset to match the pixels.
    image = ImageOps.exif_transpose(opened) or opened
    if fmt not in SAVE_FORMATS:
        raise LabelFitError(f"visible labels are drawn on PNG, JPEG or WebP images, not {fmt}")
    overlay, drawn = _overlay(
        image.width, image.height, text, position, on or dt.date.today(), font
    )
    mode = image.mode
    labelled = Image.alpha_composite(image.convert("RGBA"), overlay)
    keep = {k: image.info[k] for k in ("icc_profile", "exif", "dpi") if k in image.info}
    if fmt == "JPEG":
        labelled.convert("RGB").save(out, "JPEG", quality=95, **keep)
    elif fmt == "WEBP":
        lossless = bool(image.info.get("lossless"))
        labelled.save(out, "WEBP", lossless=lossless, quality=95, **keep)
    else:
        target = mode if mode in ("RGB", "RGBA", "L", "LA") else "RGBA"
        labelled.convert(target).save(out, "PNG", **keep)
    return drawn
