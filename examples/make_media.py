"""Write the AI-content examples of `make demo`: an image and a short text as a generation
service would hand them out before labelling (no labels at all). Deterministic: the same bytes
on every run.

    python examples/make_media.py [--out examples/media]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw

STORY = """# 西湖晨景

清晨的西湖笼罩在薄雾中，远处的雷峰塔若隐若现。湖面上，几只小船缓缓划过，
留下一道道细长的波纹。岸边的柳树垂下新绿的枝条，早起的人们沿着苏堤散步。
"""


def poster(path: Path) -> None:
    """A 960x540 'sunset over a lake' drawn from shapes: a stand-in for a generated picture."""
    image = Image.new("RGB", (960, 540))
    draw = ImageDraw.Draw(image)
    for y in range(540):  # sky to water gradient
        t = y / 539
        sky = (int(250 - 120 * t), int(160 - 60 * t), int(90 + 100 * t))
        draw.line([(0, y), (959, y)], fill=sky if y < 330 else (30, 60, int(110 + 40 * t)))
    draw.ellipse((400, 200, 560, 360), fill=(255, 200, 80))
    draw.rectangle((0, 330, 959, 539), fill=(28, 58, 112))
    for i in range(12):  # reflections
        draw.line(
            [(430 + 4 * i, 345 + 14 * i), (530 - 4 * i, 345 + 14 * i)], fill=(250, 190, 90), width=3
        )
    draw.polygon([(0, 330), (180, 250), (340, 330)], fill=(40, 50, 70))
    draw.polygon([(600, 330), (800, 230), (959, 300), (959, 330)], fill=(45, 55, 80))
    image.save(path, "PNG", optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "media")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    poster(args.out / "poster.png")
    (args.out / "story.md").write_text(STORY, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
