"""Interoperability with ExifTool, the reference reader users check labels with: it reads the
labels we write, we read the labels it writes with the shipped config, and its validator finds
nothing new wrong with our output."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import chinacomply.aigc
from chinacomply.aigc.formats import jpeg, png, webp
from chinacomply.aigc.formats.base import Format, Update
from chinacomply.aigc.label import ImplicitLabel

LABEL = ImplicitLabel.first_write("001191440300708461136T1XGW3", "img-0001").to_json()
CHINESE = json.dumps(
    ImplicitLabel.first_write("深圳某某科技有限公司", "图片-0001").to_dict(),
    ensure_ascii=False,
    separators=(",", ":"),
)
CONFIG = Path(chinacomply.aigc.__file__).parent / "data" / "exiftool_tc260.config"
FORMATS: dict[str, Format] = {".png": png.FORMAT, ".jpg": jpeg.FORMAT, ".webp": webp.FORMAT}


@pytest.fixture(scope="module")
def exiftool() -> str:
    found = shutil.which("exiftool") or "/usr/bin/exiftool"
    assert Path(found).exists(), (
        "exiftool is missing: install it (apt-get install libimage-exiftool-perl); "
        "`make test` does this"
    )
    return found


def run(exiftool: str, *args: str | Path, config: bool = False) -> list[dict[str, Any]]:
    """ExifTool's JSON output; with -G1:4 a repeated tag shows as "Group:CopyN:Tag", so a
    second label or a further warning is never folded away. `-config` must come first."""
    first = ["-config", str(CONFIG)] if config else []
    done = subprocess.run(
        [exiftool, *first, "-j", "-a", "-G1:4", *map(str, args)], capture_output=True, check=True
    )
    result: list[dict[str, Any]] = json.loads(done.stdout.decode("utf-8"))
    return result


def tagged(found: dict[str, Any], group: str, tag: str) -> list[Any]:
    """Every value of a tag in a group, copies included."""
    return [
        value
        for key, value in found.items()
        if key.lower().startswith(group.lower() + ":") and key.lower().endswith(":" + tag.lower())
    ]


def images(folder: Path) -> list[Path]:
    """A PNG, a JPEG with EXIF, and a simple (VP8-only) WebP, as Pillow saves them."""
    picture = Image.new("RGB", (30, 20))
    picture.putdata([(x * 8, y * 12, 77) for y in range(20) for x in range(30)])
    exif = Image.Exif()
    exif[0x010F] = "Acme Camera"
    paths = [folder / "a.png", folder / "a.jpg", folder / "a.webp"]
    picture.save(paths[0])
    picture.save(paths[1], exif=exif)
    picture.save(paths[2])
    return paths


def label_file(path: Path, label: str, explicit: str | None = None) -> Path:
    out = io.BytesIO()
    with path.open("rb") as stream:
        FORMATS[path.suffix].write(stream, out, Update(label, explicit))
    target = path.with_name("labelled-" + path.name)
    target.write_bytes(out.getvalue())
    return target


def our_labels(path: Path) -> list[str]:
    with path.open("rb") as stream:
        return [carried.value for carried in FORMATS[path.suffix].read(stream).labels]


def test_exiftool_reads_the_labels_we_write(tmp_path: Path, exiftool: str) -> None:
    labelled = [label_file(path, LABEL, "bottom-right text") for path in images(tmp_path)]
    plain = run(exiftool, "-XMP:all", *labelled)  # no config: any ExifTool sees the property
    for found in plain:
        assert tagged(found, "XMP-TC260", "AIGC") == [LABEL], found["SourceFile"]
        assert tagged(found, "XMP-chinacomply", "ExplicitLabel") == ["bottom-right text"]
    configured = run(exiftool, "-XMP-TC260:AIGC", *labelled, config=True)
    assert [tagged(found, "XMP-TC260", "AIGC") for found in configured] == [[LABEL]] * 3


def test_we_read_the_labels_exiftool_writes_with_the_shipped_config(
    tmp_path: Path, exiftool: str
) -> None:
    paths = images(tmp_path)
    subprocess.run(
        [exiftool, "-config", str(CONFIG), f"-XMP-TC260:AIGC={LABEL}", "-overwrite_original"]
        + [str(p) for p in paths],
        capture_output=True,
        check=True,
    )
    assert [our_labels(path) for path in paths] == [[LABEL]] * 3
    relabelled = [label_file(path, CHINESE) for path in paths]
    assert [our_labels(path) for path in relabelled] == [[CHINESE]] * 3
    found = run(exiftool, "-XMP-TC260:AIGC", "-XMP-x:XMPToolkit", *relabelled, config=True)
    assert [tagged(item, "XMP-TC260", "AIGC") for item in found] == [[CHINESE]] * 3
    assert all(item["XMP-x:XMPToolkit"].startswith("Image::ExifTool") for item in found)


def test_exiftool_validation_finds_nothing_new_in_our_output(tmp_path: Path, exiftool: str) -> None:
    paths = images(tmp_path)
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9286] = b"ASCII\x00\x00\x00" + LABEL.encode()
    with Image.open(paths[0]) as picture:
        picture.save(tmp_path / "exif-label.jpg", exif=exif)
        frames = [picture, picture.rotate(180)]
        frames[0].save(tmp_path / "anim.webp", save_all=True, append_images=frames[1:])
    paths += [tmp_path / "exif-label.jpg", tmp_path / "anim.webp"]
    labelled = [label_file(path, LABEL, "bottom-right text") for path in paths]
    report = run(exiftool, "-validate", "-warning", *paths, *labelled)
    before, after = report[: len(paths)], report[len(paths) :]
    for original, ours in zip(before, after, strict=True):
        assert set(tagged(ours, "ExifTool", "Warning")) <= set(
            tagged(original, "ExifTool", "Warning")
        ), ours["SourceFile"]
        assert ours["ExifTool:Validate"] == original["ExifTool:Validate"], ours["SourceFile"]
