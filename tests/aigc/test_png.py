"""PNG carrier: XMP label in iTXt before the image data, legacy `AIGC` text chunks read and
removed, every other chunk kept byte for byte, pixels untouched, corruption refused."""

from __future__ import annotations

import io
import json
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from chinacomply.aigc import xmp
from chinacomply.aigc.formats import png
from chinacomply.aigc.formats.base import Carried, FormatError, Metadata, Update
from chinacomply.aigc.label import ImplicitLabel

LABEL = ImplicitLabel.first_write("001191440300708461136T1XGW3", "img-0001").to_json()
# Labels from other writers keep Chinese as characters (our own to_json escapes them).
CHINESE = json.dumps(
    ImplicitLabel.first_write("深圳某某科技有限公司", "图片-0001").to_dict(),
    ensure_ascii=False,
    separators=(",", ":"),
)
FORMAT = png.FORMAT
OTHER_XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Painter 7">'
    '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Sunset</rdf:li></rdf:Alt></dc:title>'
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def image(mode: str) -> Image.Image:
    picture = Image.new("RGB", (23, 17))
    picture.putdata(
        [(x * 11 % 256, y * 15 % 256, (x * y) % 256) for y in range(17) for x in range(23)]
    )
    if mode == "RGBA":
        picture.putalpha(Image.linear_gradient("L").resize((23, 17)))
    elif mode == "P":
        picture = picture.quantize(16)
    return picture


def encode(picture: Image.Image, info: PngImagePlugin.PngInfo | None = None, **kw: object) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", pnginfo=info, **kw)
    return buffer.getvalue()


def write(data: bytes, label: str = LABEL, explicit: str | None = None) -> bytes:
    out = io.BytesIO()
    FORMAT.write(io.BytesIO(data), out, Update(label, explicit))
    return out.getvalue()


def read(data: bytes) -> Metadata:
    return FORMAT.read(io.BytesIO(data))


def chunks(data: bytes) -> list[png.Chunk]:
    return png.parse(data)[0]


def text_info(**entries: tuple[str, str | bytes]) -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    for keyword, (kind, value) in entries.items():
        if kind == "tEXt":
            info.add_text(keyword, value)
        elif kind == "zTXt":
            info.add_text(keyword, value, zip=True)
        else:
            info.add_itxt(keyword, value, zip=kind == "iTXt-z")
    return info


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "P"])
def test_label_round_trips_and_pixels_are_untouched(mode: str) -> None:
    original = encode(image(mode))
    labelled = write(original, CHINESE, "bottom-right text label")
    assert read(labelled) == Metadata(
        labels=(Carried("XMP TC260:AIGC in iTXt chunk", CHINESE),),
        explicit="bottom-right text label",
    )
    before, after = Image.open(io.BytesIO(original)), Image.open(io.BytesIO(labelled))
    after.load()
    assert (after.mode, after.size) == (before.mode, before.size)
    assert after.tobytes() == before.tobytes()
    assert after.getpalette() == before.getpalette()
    assert CHINESE in after.info["XML:com.adobe.xmp"]  # Pillow finds the packet too


def test_the_xmp_chunk_goes_before_the_image_data_uncompressed() -> None:
    labelled = write(encode(image("P")))
    kinds = [c.kind for c in chunks(labelled)]
    xmp_index = next(i for i, c in enumerate(chunks(labelled)) if png._is_xmp(c))
    assert xmp_index < kinds.index(b"IDAT")
    xmp_chunk = chunks(labelled)[xmp_index]
    assert xmp_chunk.data.startswith(b"XML:com.adobe.xmp\x00\x00\x00\x00\x00<?xpacket")


def test_other_chunks_are_kept_byte_for_byte_and_in_order() -> None:
    info = text_info(Author=("tEXt", "Ann"), Comment=("zTXt", "long " * 40))
    original = encode(image("RGB"), info, icc_profile=b"\x00" * 128, dpi=(300, 300))
    labelled = write(original)
    kept = [c.raw for c in chunks(labelled) if not png._is_xmp(c)]
    assert kept == [c.raw for c in chunks(original)]


def test_a_second_write_leaves_exactly_one_label() -> None:
    twice = write(write(encode(image("RGB")), "first"), LABEL)
    assert [c.value for c in read(twice).labels] == [LABEL]
    assert sum(png._is_xmp(c) for c in chunks(twice)) == 1


def test_an_xmp_packet_with_other_properties_keeps_them() -> None:
    info = text_info(**{"XML:com.adobe.xmp": ("iTXt", OTHER_XMP)})
    labelled = write(encode(image("RGB"), info))
    packet = next(png.decode_text(c).text for c in chunks(labelled) if png._is_xmp(c))
    assert packet.startswith(OTHER_XMP.split("</rdf:Description>", maxsplit=1)[0].encode())
    assert b'xmp:CreatorTool="Painter 7"' in packet and b"Sunset" in packet
    assert xmp.read(packet)[0] == [LABEL]


def test_a_compressed_xmp_chunk_is_read_and_rewritten_plain() -> None:
    info = text_info(**{"XML:com.adobe.xmp": ("iTXt-z", xmp.build("old"))})
    original = encode(image("RGB"), info)
    assert [c.value for c in read(original).labels] == ["old"]
    labelled = write(original)
    xmp_chunks = [c for c in chunks(labelled) if png._is_xmp(c)]
    assert len(xmp_chunks) == 1 and xmp_chunks[0].data[18] == 0  # compression flag off
    assert [c.value for c in read(labelled).labels] == [LABEL]


def test_an_xmp_chunk_after_the_image_data_is_updated_where_it_stands() -> None:
    original = encode(image("RGB"))
    iend = original.rindex(b"IEND") - 4
    late = png.make_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + xmp.build("old"))
    original = original[:iend] + late + original[iend:]
    labelled = write(original)
    kinds = [c.kind for c in chunks(labelled)]
    assert kinds.count(b"iTXt") == 1 and kinds.index(b"iTXt") > kinds.index(b"IDAT")
    assert [c.value for c in read(labelled).labels] == [LABEL]


@pytest.mark.parametrize("kind", ["tEXt", "zTXt", "iTXt", "iTXt-z"])
def test_legacy_aigc_text_chunks_are_labels_and_are_removed_on_write(kind: str) -> None:
    value = LABEL if kind in ("tEXt", "zTXt") else CHINESE
    original = encode(image("RGB"), text_info(AIGC=(kind, value), Author=("tEXt", "Ann")))
    chunk_kind = kind[:4]
    assert read(original).labels == (Carried(f"{chunk_kind} chunk AIGC", value),)
    labelled = write(original)
    assert [c.carrier for c in read(labelled).labels] == ["XMP TC260:AIGC in iTXt chunk"]
    assert Image.open(io.BytesIO(labelled)).info["Author"] == "Ann"


def test_utf8_json_in_a_text_chunk_is_read_as_written_in_the_wild() -> None:
    raw = png.make_chunk(b"tEXt", b"AIGC\x00" + CHINESE.encode("utf-8"))
    original = encode(image("RGB"))
    original = original[:33] + raw + original[33:]
    assert [c.value for c in read(original).labels] == [CHINESE]


def test_a_file_with_legacy_and_xmp_labels_shows_both() -> None:
    info = text_info(AIGC=("tEXt", "legacy"))
    info.add_itxt("XML:com.adobe.xmp", xmp.build("xmp").decode())
    carriers = [c.carrier for c in read(encode(image("RGB"), info)).labels]
    assert sorted(carriers) == ["XMP TC260:AIGC in iTXt chunk", "tEXt chunk AIGC"]


def test_a_second_xmp_chunk_loses_its_label_but_keeps_its_properties() -> None:
    info = text_info(**{"XML:com.adobe.xmp": ("iTXt", xmp.build("one"))})
    original = encode(image("RGB"), info)
    second = xmp.update(OTHER_XMP.encode(), "two", None)
    extra = png.make_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + second)
    original = original[:33] + extra + original[33:]
    assert len(read(original).labels) == 2
    labelled = write(original)
    assert [c.value for c in read(labelled).labels] == [LABEL]
    assert b"Sunset" in labelled


def test_animated_png_keeps_every_frame() -> None:
    frames = [Image.new("RGB", (9, 9), (i * 60, 255 - i * 60, 7)) for i in range(3)]
    original = encode(frames[0], save_all=True, append_images=frames[1:], duration=50)
    labelled = write(original)
    before, after = Image.open(io.BytesIO(original)), Image.open(io.BytesIO(labelled))
    assert getattr(after, "n_frames", 1) == 3
    for index in range(3):
        before.seek(index)
        after.seek(index)
        assert after.convert("RGB").tobytes() == before.convert("RGB").tobytes()
    kinds = [c.kind for c in chunks(labelled)]
    assert kinds.index(b"iTXt") < kinds.index(b"acTL")


def test_bytes_after_iend_are_kept() -> None:
    original = encode(image("RGB")) + b"appended"
    assert write(original).endswith(b"IEND\xae\x42\x60\x82appended")


def test_traces_c2pa_and_generator_settings() -> None:
    info = text_info(parameters=("tEXt", "a cat\nSteps: 20, Sampler: Euler a, CFG scale: 7"))
    original = encode(image("RGB"), info)
    cabx = png.make_chunk(b"caBX", b"\x00\x00\x00\x10jumbc2pa")
    original = original[:33] + cabx + original[33:]
    assert read(original).traces == (
        "C2PA manifest store (caBX chunk)",
        "Stable Diffusion generation parameters (text chunk 'parameters')",
    )
    assert cabx in write(original)


def test_sniff() -> None:
    assert FORMAT.sniff(encode(image("RGB"))[:64], ".png")
    assert not FORMAT.sniff(b"GIF89a", ".png")


def test_truncated_files_raise_format_error() -> None:
    labelled = write(encode(image("RGB")))
    for length in range(0, len(labelled) - 1, 7):
        with pytest.raises(FormatError):
            read(labelled[:length])


def test_bad_crc_and_bad_structure_raise_format_error() -> None:
    original = bytearray(encode(image("RGB")))
    original[20] ^= 0xFF  # inside IHDR data
    with pytest.raises(FormatError, match="CRC"):
        read(bytes(original))
    no_ihdr = png.SIGNATURE + png.make_chunk(b"IDAT", b"") + png.make_chunk(b"IEND", b"")
    with pytest.raises(FormatError, match="IHDR"):
        read(no_ihdr)
    with pytest.raises(FormatError):
        read(b"garbage that is not a png at all")


def test_a_zip_bomb_text_chunk_is_refused() -> None:
    bomb = zlib.compress(b"{" * (png.MAX_TEXT + 1), 9)
    original = encode(image("RGB"))
    raw = png.make_chunk(b"zTXt", b"AIGC\x00\x00" + bomb)
    with pytest.raises(FormatError, match="refused"):
        read(original[:33] + raw + original[33:])


def test_a_broken_legacy_text_chunk_raises_format_error() -> None:
    original = encode(image("RGB"))
    raw = png.make_chunk(b"zTXt", b"AIGC\x00\x00not zlib")
    with pytest.raises(FormatError, match="corrupt compressed"):
        read(original[:33] + raw + original[33:])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_files_only_ever_raise_format_error(data: st.DataObject) -> None:
    mutated = bytearray(write(encode(image("RGB"), text_info(Author=("tEXt", "Ann")))))
    for _ in range(data.draw(st.integers(1, 3))):
        mutated[data.draw(st.integers(0, len(mutated) - 1))] = data.draw(st.integers(0, 255))
    try:
        read(bytes(mutated))
        labelled = write(bytes(mutated))
    except FormatError:
        return
    assert [c.value for c in read(labelled).labels] == [LABEL]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_chunks_with_valid_crcs_only_ever_raise_format_error(data: st.DataObject) -> None:
    """Past the CRC check: broken text chunks, keywords, compression and XMP inside them."""
    info = text_info(AIGC=("zTXt", LABEL), Note=("iTXt-z", CHINESE))
    info.add_itxt("XML:com.adobe.xmp", xmp.build("old").decode())
    found = chunks(encode(image("RGB"), info))
    index = data.draw(
        st.sampled_from([i for i, c in enumerate(found) if c.kind in png.TEXT_CHUNKS])
    )
    body = bytearray(found[index].data)
    for _ in range(data.draw(st.integers(1, 4))):
        body[data.draw(st.integers(0, len(body) - 1))] = data.draw(st.integers(0, 255))
    body = body[: data.draw(st.integers(0, len(body)))]
    rebuilt = [
        png.make_chunk(c.kind, bytes(body)) if i == index else c.raw for i, c in enumerate(found)
    ]
    mutated = png.SIGNATURE + b"".join(rebuilt)
    try:
        read(mutated)
        labelled = write(mutated)
    except FormatError:
        return
    assert [c.value for c in read(labelled).labels] == [LABEL]
