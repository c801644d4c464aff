"""WebP carrier: XMP label in the `XMP ` chunk, simple files turned extended with a correct
VP8X header, every other chunk kept byte for byte and in order, corruption refused."""

from __future__ import annotations

import io
import json
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from chinacomply.aigc import xmp
from chinacomply.aigc.formats import webp
from chinacomply.aigc.formats.base import Carried, FormatError, Metadata, Update
from chinacomply.aigc.label import ImplicitLabel

LABEL = ImplicitLabel.first_write("001191440300708461136T1XGW3", "img-0001").to_json()
CHINESE = json.dumps(
    ImplicitLabel.first_write("深圳某某科技有限公司", "图片-0001").to_dict(),
    ensure_ascii=False,
    separators=(",", ":"),
)
FORMAT = webp.FORMAT
OTHER_XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Painter 7">'
    b'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Sunset</rdf:li></rdf:Alt></dc:title>'
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def picture(mode: str = "RGB", size: tuple[int, int] = (37, 21)) -> Image.Image:
    made = Image.new("RGB", size)
    width, height = size
    made.putdata([(x * 7 % 256, y * 12 % 256, 90) for y in range(height) for x in range(width)])
    if mode == "RGBA":
        made.putalpha(Image.linear_gradient("L").resize(size))
    return made


def encode(image: Image.Image | None = None, **kw: object) -> bytes:
    buffer = io.BytesIO()
    (image or picture()).save(buffer, "WEBP", **kw)
    return buffer.getvalue()


def write(data: bytes, label: str = LABEL, explicit: str | None = None) -> bytes:
    out = io.BytesIO()
    FORMAT.write(io.BytesIO(data), out, Update(label, explicit))
    return out.getvalue()


def read(data: bytes) -> Metadata:
    return FORMAT.read(io.BytesIO(data))


def chunks(data: bytes) -> list[webp.Chunk]:
    return webp.parse(data)[0]


def fourccs(data: bytes) -> list[bytes]:
    return [c.fourcc for c in chunks(data)]


def decoded(data: bytes) -> list[bytes]:
    """Every frame's pixels as Pillow decodes them."""
    image = Image.open(io.BytesIO(data))
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frames.append(image.convert("RGBA").tobytes())
    return frames


FIXTURES = {
    "lossy": ({"lossless": False}, "RGB", [b"VP8 "]),
    "lossless": ({"lossless": True}, "RGB", [b"VP8L"]),
    "lossless alpha": ({"lossless": True}, "RGBA", [b"VP8L"]),
    "lossy alpha": ({"lossless": False}, "RGBA", [b"VP8X", b"ALPH", b"VP8 "]),
}


@pytest.mark.parametrize("fixture", FIXTURES)
def test_label_round_trips_and_pixels_are_untouched(fixture: str) -> None:
    options, mode, layout = FIXTURES[fixture]
    original = encode(picture(mode), **options)
    assert fourccs(original) == layout
    labelled = write(original, CHINESE, "bottom-right text label")
    assert read(labelled) == Metadata(
        labels=(Carried("XMP TC260:AIGC in XMP chunk", CHINESE),),
        explicit="bottom-right text label",
    )
    assert decoded(labelled) == decoded(original)
    assert CHINESE.encode() in Image.open(io.BytesIO(labelled)).info["xmp"]
    assert struct.unpack_from("<I", labelled, 4)[0] == len(labelled) - 8


@pytest.mark.parametrize("fixture", FIXTURES)
def test_the_vp8x_header_is_added_or_flagged(fixture: str) -> None:
    options, mode, _ = FIXTURES[fixture]
    labelled = write(encode(picture(mode, (300, 5)), **options))
    header = chunks(labelled)[0]
    assert header.fourcc == b"VP8X"
    flags = header.data[0]
    assert flags & webp.FLAG_XMP
    assert bool(flags & webp.FLAG_ALPHA) == (mode == "RGBA")
    width = int.from_bytes(header.data[4:7], "little") + 1
    height = int.from_bytes(header.data[7:10], "little") + 1
    assert (width, height) == (300, 5)
    assert fourccs(labelled)[-1] == b"XMP "


def test_other_chunks_are_kept_byte_for_byte_in_spec_order() -> None:
    original = encode(exif=b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x00\x00", icc_profile=b"icc!" * 9)
    labelled = write(original)
    assert fourccs(labelled) == [b"VP8X", b"ICCP", b"VP8 ", b"EXIF", b"XMP "]
    kept = [c.raw for c in chunks(labelled)[1:-1]]
    assert kept == [c.raw for c in chunks(original)[1:]]
    assert chunks(labelled)[0].data[1:] == chunks(original)[0].data[1:]


def test_animated_webp_keeps_every_frame_and_chunk() -> None:
    frames = [picture().rotate(angle) for angle in (0, 90, 180)]
    original = encode(frames[0], save_all=True, append_images=frames[1:], duration=80)
    assert b"ANMF" in fourccs(original)
    labelled = write(original)
    assert decoded(labelled) == decoded(original)
    assert [c.raw for c in chunks(labelled)[1:-1]] == [c.raw for c in chunks(original)[1:]]
    assert fourccs(labelled)[-1] == b"XMP "


def test_a_second_write_leaves_exactly_one_label() -> None:
    twice = write(write(encode(), "first"), LABEL)
    assert [c.value for c in read(twice).labels] == [LABEL]
    assert fourccs(twice).count(b"XMP ") == 1
    assert fourccs(twice).count(b"VP8X") == 1


def test_an_existing_xmp_chunk_is_updated_in_place_keeping_its_properties() -> None:
    original = encode(xmp=OTHER_XMP)
    labelled = write(original)
    assert fourccs(labelled) == fourccs(original)
    packet = next(c.data for c in chunks(labelled) if c.fourcc == b"XMP ")
    assert b'xmp:CreatorTool="Painter 7"' in packet and b"Sunset" in packet
    assert xmp.read(packet)[0] == [LABEL]


@pytest.mark.parametrize("padding", [0, 1])
def test_odd_sized_chunks_are_padded(padding: int) -> None:
    label = LABEL[:-2] + "x" * padding + '"}'
    labelled = write(encode(), label)
    last = chunks(labelled)[-1]
    assert len(last.raw) == 8 + len(last.data) + (len(last.data) & 1)
    assert struct.unpack_from("<I", labelled, 4)[0] == len(labelled) - 8
    assert [c.value for c in read(labelled).labels] == [label]


def test_a_c2pa_chunk_is_a_trace_and_is_kept() -> None:
    original = encode()
    extra = webp.make_chunk(b"C2PA", b"\x00\x00\x00\x10jumbc2pa")
    body = original[12:] + extra
    with_c2pa = b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body
    assert read(with_c2pa).traces == ("C2PA manifest store (C2PA chunk)",)
    assert extra in write(with_c2pa)


def test_sniff() -> None:
    assert FORMAT.sniff(encode()[:64], ".webp")
    assert not FORMAT.sniff(b"RIFF\x00\x00\x00\x00WAVEfmt ", ".webp")


def test_truncated_and_garbage_files_raise_format_error() -> None:
    labelled = write(encode())
    for length in range(0, len(labelled) - 1, 9):
        with pytest.raises(FormatError):
            read(labelled[:length])
    for garbage in (b"", b"RIFF", b"RIFF\x04\x00\x00\x00WEBP", b"RIFF\x0c\x00\x00\x00WEBPjunk\x00"):
        with pytest.raises(FormatError):
            read(garbage)


def test_a_simple_file_with_a_broken_bitstream_header_cannot_be_converted() -> None:
    original = bytearray(encode())
    original[20 + 3] = 0  # the VP8 start code
    read(bytes(original))  # reading needs no bitstream
    with pytest.raises(FormatError, match="VP8 chunk at offset 12"):
        write(bytes(original))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_files_only_ever_raise_format_error(data: st.DataObject) -> None:
    labelled = write(encode(picture("RGBA"), lossless=True), "old")
    mutated = bytearray(labelled)
    for _ in range(data.draw(st.integers(1, 3))):
        mutated[data.draw(st.integers(0, len(mutated) - 1))] = data.draw(st.integers(0, 255))
    try:
        read(bytes(mutated))
        result = write(bytes(mutated))
    except FormatError:
        return
    assert [c.value for c in read(result).labels] == [LABEL]
