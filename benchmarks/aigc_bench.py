"""AIGC label checks at batch scale: files per second for `chinacomply aigc check` over a folder
of mixed media (PNG, JPEG, WebP, MP3, WAV, MP4, DOCX, Markdown; half of them labelled), against
ExifTool reading the same files (the tool people use today to look at the label).

Prints files/s for: the check in process (the service a platform would call per upload), the
CLI end to end (`aigc check DIR --format json`, one process for the whole folder), and
`exiftool -j -r DIR` (one process, every tag) — plus the ratio. Run from the repository root:

    .venv/bin/python benchmarks/aigc_bench.py [--files 1000] [--out benchmarks/out/aigc]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import time
import wave
import zipfile
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from chinacomply.aigc import formats
from chinacomply.aigc.formats.base import Update
from chinacomply.aigc.label import ImplicitLabel
from chinacomply.services import aigc as aigc_service

ROOT = Path(__file__).resolve().parents[1]
PRODUCER = "001191440300708461136T1XGW3"


def _image(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.effect_mandelbrot((256, 192), (-2, -1.2, 1, 1.2), 60).convert("RGB").save(buf, fmt)
    return buf.getvalue()


def _wav() -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        tone = (int(8000 * math.sin(2 * math.pi * 440 * i / 16000)) for i in range(16000))
        out.writeframes(b"".join(struct.pack("<h", s) for s in tone))
    return buf.getvalue()


def _mp3() -> bytes:
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(64)
    encoder.set_in_sample_rate(16000)
    encoder.set_channels(1)
    pcm = _wav()[44:]
    return bytes(encoder.encode(pcm) + encoder.flush())


def _mp4(tmp: Path) -> bytes:
    import imageio_ffmpeg

    path = tmp / "base.mp4"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=1:size=128x72:rate=10",
            "-c:v",
            "mpeg4",
            str(path),
        ],
        check=True,
    )
    return path.read_bytes()


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>西湖晨景'
            "</w:t></w:r></w:p></w:body></w:document>",
        )
    return buf.getvalue()


def make_files(out: Path, count: int) -> dict[str, int]:
    """`count` files round-robin over the formats; every other one labelled by our writer."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    bases: dict[str, bytes] = {
        ".png": _image("PNG"),
        ".jpg": _image("JPEG"),
        ".webp": _image("WEBP"),
        ".wav": _wav(),
        ".mp3": _mp3(),
        ".mp4": _mp4(out),
        ".docx": _docx(),
        ".md": "# 西湖晨景\n\n清晨的西湖笼罩在薄雾中。\n".encode(),
    }
    (out / "base.mp4").unlink()
    made: dict[str, int] = {}
    for i in range(count):
        suffix = list(bases)[i % len(bases)]
        path = out / f"f{i:05d}{suffix}"
        data = bases[suffix]
        if i % 2:
            fmt = formats.detect(data[:64], suffix)
            assert fmt is not None, suffix
            label = ImplicitLabel.first_write(PRODUCER, f"bench-{i}")
            buf = io.BytesIO()
            fmt.write(io.BytesIO(data), buf, Update(label.to_json()))
            data = buf.getvalue()
        path.write_bytes(data)
        made[suffix] = made.get(suffix, 0) + 1
    return made


def timed(what: Callable[[], object]) -> float:
    started = time.perf_counter()
    what()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/out/aigc")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    made = make_files(args.out, args.files)
    size = sum(p.stat().st_size for p in args.out.iterdir())
    print(
        f"{args.files} files, {size / 1e6:.1f} MB: "
        + ", ".join(f"{k} {v}" for k, v in made.items())
    )

    options = aigc_service.CheckOptions(on=dt.date(2026, 3, 1))
    in_process = timed(lambda: list(aigc_service.check_paths([str(args.out)], options)))
    cli = ROOT / ".venv/bin/chinacomply"
    end_to_end = timed(
        lambda: subprocess.run(
            [str(cli), "aigc", "check", str(args.out), "--format", "json"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    )
    result = json.loads(
        subprocess.run(
            [str(cli), "aigc", "check", str(args.out), "--format", "json"],
            check=True,
            capture_output=True,
        ).stdout
    )
    labelled = sum(1 for f in result["files"] if f["implicit"]["state"] == "present")
    rows = [("chinacomply, in process", in_process), ("chinacomply aigc check (CLI)", end_to_end)]
    exiftool = shutil.which("exiftool")
    if exiftool:
        rows.append(
            (
                "exiftool -j -r (peer)",
                timed(
                    lambda: subprocess.run(
                        [exiftool, "-j", "-q", "-r", str(args.out)],
                        check=False,
                        stdout=subprocess.DEVNULL,
                    )
                ),
            )
        )
    print(f"labels found by the check: {labelled} of {args.files} (expected {args.files // 2})")
    for name, seconds in rows:
        print(f"  {name:<32} {args.files / seconds:>9,.0f} files/s  ({seconds:.2f} s)")
    if exiftool:
        print(f"  ratio, CLI to exiftool: {rows[-1][1] / end_to_end:.1f} x")
    else:
        print("  exiftool not found (apt-get install libimage-exiftool-perl) — no peer figure")
    return 0 if labelled == args.files // 2 else 1


if __name__ == "__main__":
    sys.exit(main())
