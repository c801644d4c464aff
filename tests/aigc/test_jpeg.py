"""JPEG carrier: XMP label in APP1, EXIF text variants from the wild read and blanked in place,
every other segment and the scan data kept byte for byte, corruption refused."""

from __future__ import annotations

import io
import json
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from chinacomply.aigc import xmp
from chinacomply.aigc.formats import jpeg
from chinacomply.aigc.formats.base import Carried, FormatError, Metadata, Update
from chinacomply.aigc.label import ImplicitLabel, parse

LABEL = ImplicitLabel.first_write("001191440300708461136T1XGW3", "img-0001").to_json()
CHINESE = json.dumps(
    ImplicitLabel.first_write("深圳某某科技有限公司", "图片-0001").to_dict(),
    ensure_ascii=False,
    separators=(",", ":"),
)
FORMAT = jpeg.FORMAT
EXIF_POINTER = 0x8769
OTHER_XMP = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Painter 7">'
    b'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Sunset</rdf:li></rdf:Alt></dc:title>'
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)


def picture() -> Image.Image:
    made = Image.new("RGB", (40, 24))
    made.putdata([(x * 6, y * 10, (x + y) * 3) for y in range(24) for x in range(40)])
    return made


def encode(exif: Image.Exif | None = None, **kw: object) -> bytes:
    buffer = io.BytesIO()
    if exif is not None:
        kw["exif"] = exif
    picture().save(buffer, "JPEG", quality=90, **kw)
    return buffer.getvalue()


def exif(endian: str = "<", **tags: object) -> Image.Exif:
    """EXIF with a camera make and the given IFD0 tags; `user_comment` goes in the Exif IFD."""
    made = Image.Exif()
    made.endian = endian
    made[0x010F] = "Acme Camera"
    comment = tags.pop("user_comment", None)
    for tag, value in tags.items():
        made[int(tag.removeprefix("t"), 16)] = value
    if comment is not None:
        made.get_ifd(EXIF_POINTER)[0x9286] = comment
    return made


def write(data: bytes, label: str = LABEL, explicit: str | None = None) -> bytes:
    out = io.BytesIO()
    FORMAT.write(io.BytesIO(data), out, Update(label, explicit))
    return out.getvalue()


def read(data: bytes) -> Metadata:
    return FORMAT.read(io.BytesIO(data))


def segments(data: bytes) -> list[jpeg.Segment]:
    return jpeg.parse(data)[0]


def raw_segments(data: bytes) -> list[bytes]:
    return [data[s.start : s.end] for s in segments(data)]


def scan_data(data: bytes) -> bytes:
    return data[jpeg.parse(data)[1] :]


def test_label_round_trips_with_pixels_and_scan_data_untouched() -> None:
    original = encode()
    labelled = write(original, CHINESE, "bottom-right text label")
    assert read(labelled) == Metadata(
        labels=(Carried("XMP TC260:AIGC in APP1 segment", CHINESE),),
        explicit="bottom-right text label",
    )
    assert scan_data(labelled) == scan_data(original)
    after = Image.open(io.BytesIO(labelled))
    after.load()
    assert after.tobytes() == Image.open(io.BytesIO(original)).tobytes()
    assert CHINESE.encode() in after.info["xmp"]  # Pillow finds the packet too


def test_xmp_goes_after_app0_and_exif_and_they_stay_byte_identical() -> None:
    original = encode(exif(t0132="2026:01:02 03:04:05"))
    labelled = write(original)
    before, after = raw_segments(original), raw_segments(labelled)
    markers = [s.marker for s in segments(labelled)]
    assert markers[:3] == [jpeg.APP0, jpeg.APP1, jpeg.APP1]
    assert jpeg.is_exif(segments(labelled)[1]) and jpeg.is_xmp(segments(labelled)[2])
    assert after[:2] + after[3:] == before
    assert Image.open(io.BytesIO(labelled)).getexif()[0x010F] == "Acme Camera"


def test_without_app0_the_xmp_goes_right_after_soi() -> None:
    original = encode()
    app0 = segments(original)[0]
    bare = original[:2] + original[app0.end :]
    labelled = write(bare)
    assert jpeg.is_xmp(segments(labelled)[0])
    assert raw_segments(labelled)[1:] == raw_segments(bare)


def test_a_second_write_leaves_exactly_one_label() -> None:
    twice = write(write(encode(), "first"), LABEL)
    assert [c.value for c in read(twice).labels] == [LABEL]
    assert sum(jpeg.is_xmp(s) for s in segments(twice)) == 1


def test_an_existing_xmp_segment_is_updated_in_place_keeping_its_properties() -> None:
    original = encode(xmp=OTHER_XMP)
    labelled = write(original)
    index = next(i for i, s in enumerate(segments(original)) if jpeg.is_xmp(s))
    updated = segments(labelled)[index]
    assert jpeg.is_xmp(updated)
    assert len(segments(labelled)) == len(segments(original))
    packet = updated.payload[len(jpeg.XMP_HEADER) :]
    assert b'xmp:CreatorTool="Painter 7"' in packet and b"Sunset" in packet
    assert xmp.read(packet)[0] == [LABEL]


def test_a_second_xmp_segment_loses_its_label() -> None:
    first = jpeg._xmp_segment(xmp.build("one"))
    second = jpeg._xmp_segment(xmp.update(OTHER_XMP, "two", None))
    original = encode()
    original = original[:2] + first + second + original[2:]
    assert [c.value for c in read(original).labels] == ["one", "two"]
    labelled = write(original)
    assert [c.value for c in read(labelled).labels] == [LABEL]
    assert b"Sunset" in labelled


def utf16(text: str, order: str) -> bytes:
    return text.encode("utf-16-le" if order == "le" else "utf-16-be")


EXIF_VARIANTS: dict[str, tuple[str, dict[str, object], str]] = {
    "UserComment ASCII": ("<", {"user_comment": b"ASCII\x00\x00\x00" + LABEL.encode()}, LABEL),
    "UserComment UNICODE LE in MM": (
        ">",
        {"user_comment": b"UNICODE\x00" + utf16(CHINESE, "le")},
        CHINESE,
    ),
    "UserComment UNICODE BE in MM": (
        ">",
        {"user_comment": b"UNICODE\x00" + utf16(CHINESE, "be")},
        CHINESE,
    ),
    "UserComment UNICODE BE in II": (
        "<",
        {"user_comment": b"UNICODE\x00" + utf16(LABEL, "be")},
        LABEL,
    ),
    "UserComment undefined, AIGC prefix": (
        "<",
        {"user_comment": b"\x00" * 8 + b"AIGC" + LABEL.encode()},
        LABEL,
    ),
    "ImageDescription AIGC=": (">", {"t010E": "AIGC=" + LABEL}, LABEL),
    "ImageDescription AIGC:": ("<", {"t010E": "AIGC: " + LABEL}, LABEL),
    "ImageDescription UTF-8 Chinese": (">", {"t010E": ("AIGC:" + CHINESE).encode()}, CHINESE),
    "ImageDescription bare JSON": ("<", {"t010E": LABEL}, LABEL),
    "ImageDescription wrapped": (
        "<",
        {"t010E": '{"AIGC":' + LABEL + "}"},
        '{"AIGC":' + LABEL + "}",
    ),
    "XPComment": ("<", {"t9C9C": utf16(CHINESE, "le") + b"\x00\x00"}, CHINESE),
}


@pytest.mark.parametrize("variant", EXIF_VARIANTS)
def test_exif_labels_from_the_wild_are_read(variant: str) -> None:
    endian, tags, expected = EXIF_VARIANTS[variant]
    found = read(encode(exif(endian, **tags))).labels
    tag_name = variant.split(maxsplit=1)[0]
    assert found == (Carried(f"EXIF {tag_name}", expected),)
    assert parse(found[0].value).produce_id in ("img-0001", "图片-0001")


@pytest.mark.parametrize("variant", EXIF_VARIANTS)
def test_writing_blanks_the_exif_label_in_place_and_keeps_the_rest(variant: str) -> None:
    endian, tags, _ = EXIF_VARIANTS[variant]
    original = encode(exif(endian, **tags))
    labelled = write(original)
    assert [c.carrier for c in read(labelled).labels] == ["XMP TC260:AIGC in APP1 segment"]
    old_exif = next(s for s in segments(original) if jpeg.is_exif(s))
    new_exif = next(s for s in segments(labelled) if jpeg.is_exif(s))
    assert len(new_exif.payload) == len(old_exif.payload)
    pairs = zip(old_exif.payload, new_exif.payload, strict=True)
    changed = [i for i, (a, b) in enumerate(pairs) if a != b]
    assert changed
    blanked = jpeg.exif_texts(new_exif.payload)
    assert all(not item.text.strip() for item in blanked)
    assert all(any(t.start <= i < t.end for t in blanked) for i in changed)
    reopened = Image.open(io.BytesIO(labelled))
    assert reopened.getexif()[0x010F] == "Acme Camera"
    assert reopened.tobytes() == Image.open(io.BytesIO(original)).tobytes()


@pytest.mark.parametrize(
    "text", ["A sunset over the bay", "AIGC generated picture", '{"width": 3}', "{not json"]
)
def test_ordinary_exif_text_is_not_a_label(text: str) -> None:
    original = encode(exif(t010E=text, user_comment=b"ASCII\x00\x00\x00" + text.encode()))
    assert read(original).labels == ()
    labelled = write(original)
    assert raw_segments(labelled)[1] == raw_segments(original)[1]  # EXIF untouched


def test_a_label_too_large_for_one_segment_is_refused_clearly() -> None:
    huge = ImplicitLabel.first_write("001191440300708461136T1XGW3", "x" * 70000).to_json()
    with pytest.raises(FormatError, match="does not fit in a JPEG APP1 segment"):
        write(encode(), huge)


def test_c2pa_jumbf_and_iptc_source_type_are_traces() -> None:
    jumbf = b"JP\x00\x01\x00\x00\x00\x01" + b"\x00\x00\x00\x40jumb\x00\x00\x00\x28jumdc2pa"
    app11 = struct.pack(">BBH", 0xFF, jpeg.APP11, len(jumbf) + 2) + jumbf
    source = xmp.update(
        OTHER_XMP.replace(
            b'xmp:CreatorTool="Painter 7"',
            b'xmp:CreatorTool="Painter 7" '
            b'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
            b'Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/'
            b'trainedAlgorithmicMedia"',
        ),
        LABEL,
        None,
    )
    original = encode(xmp=source)
    original = original[:2] + app11 + original[2:]
    assert read(original).traces == (
        "C2PA manifest store (APP11 JUMBF)",
        "IPTC DigitalSourceType trainedAlgorithmicMedia",
    )
    assert app11 in write(original)


def test_fill_bytes_and_restart_free_segments_are_copied_verbatim() -> None:
    original = encode()
    first = segments(original)[1]
    padded = original[: first.start] + b"\xff\xff" + original[first.start :]
    labelled = write(padded)
    assert padded[first.start : first.end + 2] in labelled


def test_sniff() -> None:
    assert FORMAT.sniff(encode()[:64], ".jpg")
    assert not FORMAT.sniff(b"\x89PNG\r\n\x1a\n", ".jpg")


def test_truncated_and_garbage_files_raise_format_error() -> None:
    labelled = write(encode(exif(t010E="hello")))
    scan = jpeg.parse(labelled)[1]
    for length in range(0, scan, 5):
        with pytest.raises(FormatError):
            read(labelled[:length])
    for garbage in (b"", b"\xff\xd8", b"\xff\xd8\x00\x00", b"\xff\xd8\xff\xe1\x00\x01", b"GIF89a"):
        with pytest.raises(FormatError):
            read(garbage)


def test_broken_exif_offsets_raise_format_error() -> None:
    original = encode(exif(t010E=LABEL))
    segment = next(s for s in segments(original) if jpeg.is_exif(s))
    payload = bytearray(segment.payload)
    payload[10:14] = struct.pack("<I", 60000)  # IFD0 offset far past the segment
    broken = original[: segment.end - len(payload)] + bytes(payload) + original[segment.end :]
    with pytest.raises(FormatError, match="EXIF IFD0"):
        read(broken)
    with pytest.raises(FormatError, match="EXIF IFD0"):
        write(broken)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_files_only_ever_raise_format_error(data: st.DataObject) -> None:
    original = write(encode(exif(t010E="AIGC=" + LABEL, user_comment=b"ASCII\x00\x00\x00x")))
    header = bytearray(original[: jpeg.parse(original)[1]])
    for _ in range(data.draw(st.integers(1, 3))):
        header[data.draw(st.integers(0, len(header) - 1))] = data.draw(st.integers(0, 255))
    mutated = bytes(header) + original[len(header) :]
    try:
        read(mutated)
        labelled = write(mutated)
    except FormatError:
        return
    assert [c.value for c in read(labelled).labels] == [LABEL]
