"""Build the font that draws explicit labels: WenQuanYi Micro Hei (Apache-2.0), cut down to the
characters label wordings use, so the wheel carries ~100 KB instead of 5 MB and no font is
downloaded or looked up at run time.

Source: Debian's fonts-wqy-microhei (apt-get install fonts-wqy-microhei). Run:
    .venv/bin/python scripts/build_label_font.py
Wordings outside LABEL_CHARACTERS need `aigc label --font PATH` with a full CJK font.
"""

from __future__ import annotations

import string
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
TARGET = Path(__file__).resolve().parents[1] / "src/chinacomply/aigc/data/label-font.ttf"

# The words of GB 45438 explicit labels and the wordings providers use around them.
LABEL_CHARACTERS = (
    "人工智能生成合成内容本由此该图片像视频音频文字作品经过使用深度技术制作部分含有"
    "疑似可能为属于标识提示服务者提供平台发布传播用户声明注意请勿删除"
    "（）【】《》：；，。、！？“”‘’—…·－"
)


def characters() -> str:
    return "".join(sorted(set(string.printable.strip() + " " + LABEL_CHARACTERS)))


def main() -> int:
    if not SOURCE.exists():
        print(f"{SOURCE} is missing: apt-get install fonts-wqy-microhei", file=sys.stderr)
        return 2
    font = TTFont(SOURCE, fontNumber=0)
    options = subset.Options()
    options.name_IDs = ["*"]  # keep the copyright and licence names
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    font.save(TARGET)
    print(f"{TARGET}: {TARGET.stat().st_size:,} bytes, {len(characters())} characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
