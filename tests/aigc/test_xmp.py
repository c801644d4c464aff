"""The XMP packet carrying TC260:AIGC: read both property forms, update in place keeping every
other byte, build fresh packets, spot AI-generation traces, refuse XML bombs and garbage."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chinacomply.aigc import xmp
from chinacomply.aigc.formats.base import FormatError
from chinacomply.aigc.label import ImplicitLabel, parse

LABEL = ImplicitLabel.first_write("001191440300708461136T1XGW3", "img-0001").to_json()
# Labels from other writers keep Chinese as characters (our own to_json escapes them).
CHINESE = json.dumps(
    ImplicitLabel.first_write("深圳某某科技有限公司", "图片-0001").to_dict(),
    ensure_ascii=False,
    separators=(",", ":"),
)
TC260 = "{http://www.tc260.org.cn/ns/AIGC/1.0/}AIGC"

HEAD = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Test 1.0">\n'
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
)
TAIL = " </rdf:RDF>\n</x:xmpmeta>\n" + " " * 200 + '\n<?xpacket end="w"?>'
OTHERS = (
    '  <rdf:Description rdf:about=""\n'
    '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
    '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
    '    xmp:CreatorTool="Painter 7">\n'
    '   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Sunset</rdf:li></rdf:Alt></dc:title>\n'
    "  </rdf:Description>\n"
)


def packet(*descriptions: str) -> bytes:
    return (HEAD + "".join(descriptions) + TAIL).encode("utf-8")


def element_form(value: str, prefix: str = "TC260") -> str:
    escaped = value.replace("&", "&amp;").replace("<", "&lt;")
    return (
        f'  <rdf:Description rdf:about="" '
        f'xmlns:{prefix}="http://www.tc260.org.cn/ns/AIGC/1.0/">\n'
        f"   <{prefix}:AIGC>{escaped}</{prefix}:AIGC>\n"
        "  </rdf:Description>\n"
    )


def attribute_form(value: str) -> str:
    escaped = value.replace("&", "&amp;").replace('"', "&quot;")
    return (
        '  <rdf:Description rdf:about="" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/"\n'
        f'    TC260:AIGC="{escaped}"/>\n'
    )


def tc260_values(data: bytes) -> list[str]:
    """What an independent parser (ElementTree) finds, attribute and element forms alike."""
    root = ET.fromstring(data)
    found = [el.text or "" for el in root.iter(TC260)]
    found += [el.attrib[TC260] for el in root.iter() if TC260 in el.attrib]
    return found


def test_a_fresh_packet_holds_the_label_and_the_record() -> None:
    built = xmp.update(None, CHINESE, "visible label: bottom-right, 5% of height")
    assert built.startswith(b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>')
    assert built.rstrip().endswith(b'<?xpacket end="w"?>')
    labels, record, traces = xmp.read(built)
    assert labels == [CHINESE]
    assert parse(labels[0]).content_producer == "深圳某某科技有限公司"
    assert record == "visible label: bottom-right, 5% of height"
    assert traces == []
    assert tc260_values(built) == [CHINESE]


def test_markup_characters_in_the_label_round_trip() -> None:
    tricky = '{"Label":"1","ProduceID":"a<b>&c\'d\\"e"}'
    assert xmp.read(xmp.build(tricky))[0] == [tricky]
    attribute_packet = packet(attribute_form(LABEL))
    assert xmp.read(xmp.update(attribute_packet, tricky, None))[0] == [tricky]


def test_element_form_is_read_and_replaced_in_place_keeping_everything_else() -> None:
    old = "{" + '"Label":"2"' + "}"
    original = packet(OTHERS, element_form(old))
    updated = xmp.update(original, LABEL, None)
    escaped_old = old.encode()
    assert xmp.read(original)[0] == [old]
    assert updated == original.replace(escaped_old, LABEL.encode())
    assert xmp.read(updated)[0] == [LABEL]
    root = ET.fromstring(updated)
    assert root.find(".//{http://purl.org/dc/elements/1.1/}title//*") is not None
    assert b'xmp:CreatorTool="Painter 7"' in updated


def test_attribute_form_is_read_and_replaced_as_an_attribute() -> None:
    original = packet(OTHERS, attribute_form('{"Label":"3"}'))
    assert xmp.read(original)[0] == ['{"Label":"3"}']
    updated = xmp.update(original, LABEL, None)
    assert tc260_values(updated) == [LABEL]
    assert b"<TC260:AIGC>" not in updated  # not turned into a second, element-form property
    assert updated.startswith((HEAD + OTHERS).encode())


def test_a_second_write_replaces_the_label_instead_of_adding_one() -> None:
    once = xmp.update(packet(OTHERS), "first", None)
    twice = xmp.update(once, LABEL, None)
    assert tc260_values(twice) == [LABEL]
    assert twice.count(b"xmlns:TC260") == 1


def test_both_forms_present_leave_exactly_one_label() -> None:
    original = packet(attribute_form("a"), OTHERS, element_form("b"))
    assert xmp.read(original)[0] == ["a", "b"]
    updated = xmp.update(original, LABEL, None)
    assert tc260_values(updated) == [LABEL]
    assert xmp.read(updated)[0] == [LABEL]
    assert b"Sunset" in updated


def test_any_prefix_bound_to_the_tc260_namespace_is_the_same_property() -> None:
    original = packet(element_form("old", prefix="tc"))
    assert xmp.read(original)[0] == ["old"]
    updated = xmp.update(original, LABEL, None)
    assert tc260_values(updated) == [LABEL]
    assert b"<tc:AIGC>" in updated


def test_a_packet_without_the_namespace_gets_a_new_description_and_keeps_the_rest() -> None:
    original = packet(OTHERS)
    updated = xmp.update(original, LABEL, None)
    assert tc260_values(updated) == [LABEL]
    assert updated.startswith((HEAD + OTHERS).encode())
    assert updated.endswith(TAIL.encode())


def test_the_explicit_record_is_added_replaced_and_kept() -> None:
    first = xmp.update(packet(OTHERS), LABEL, "top-left text")
    assert xmp.read(first)[1] == "top-left text"
    kept = xmp.update(first, CHINESE, None)
    assert xmp.read(kept)[:2] == ([CHINESE], "top-left text")
    replaced = xmp.update(kept, LABEL, "bottom-right text")
    assert xmp.read(replaced)[1] == "bottom-right text"
    assert replaced.count(b"chinacomply:ExplicitLabel>") == 2  # one open tag, one close tag


def test_without_label_removes_every_copy_and_leaves_other_packets_alone() -> None:
    original = packet(attribute_form("a"), OTHERS, element_form("b"))
    cleaned = xmp.without_label(original)
    assert xmp.read(cleaned)[0] == []
    assert b"Sunset" in cleaned
    assert xmp.without_label(packet(OTHERS)) == packet(OTHERS)


def test_an_empty_rdf_element_is_opened_to_take_the_label() -> None:
    bare = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="' + xmp.RDF_NS.encode()
    bare += b'"/></x:xmpmeta>'
    assert tc260_values(xmp.update(bare, LABEL, None)) == [LABEL]


def test_a_packet_without_rdf_cannot_take_the_label() -> None:
    with pytest.raises(FormatError, match="no rdf:RDF"):
        xmp.update(b'<x:xmpmeta xmlns:x="adobe:ns:meta/"/>', LABEL, None)


@pytest.mark.parametrize("term", xmp.AI_SOURCE_TYPES)
def test_iptc_digital_source_types_of_ai_media_are_traces(term: str) -> None:
    uri = f"http://cv.iptc.org/newscodes/digitalsourcetype/{term}"
    as_resource = (
        '  <rdf:Description rdf:about="" '
        'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">\n'
        f'   <Iptc4xmpExt:DigitalSourceType rdf:resource="{uri}"/>\n'
        "  </rdf:Description>\n"
    )
    as_attribute = (
        '  <rdf:Description rdf:about="" '
        'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
        f'Iptc4xmpExt:DigitalSourceType="{uri}"/>\n'
    )
    for description in (as_resource, as_attribute):
        assert xmp.read(packet(description))[2] == [f"IPTC DigitalSourceType {term}"]


def test_camera_source_types_and_plain_provenance_are_not_traces() -> None:
    camera = (
        '  <rdf:Description rdf:about="" '
        'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
        'xmlns:dcterms="http://purl.org/dc/terms/">\n'
        "   <Iptc4xmpExt:DigitalSourceType>"
        "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
        "</Iptc4xmpExt:DigitalSourceType>\n"
        "   <dcterms:provenance>Scanned from the 1952 archive</dcterms:provenance>\n"
        "  </rdf:Description>\n"
    )
    assert xmp.read(packet(camera))[2] == []


def test_a_c2pa_provenance_reference_is_a_trace() -> None:
    c2pa = (
        '  <rdf:Description rdf:about="" xmlns:dcterms="http://purl.org/dc/terms/" '
        'dcterms:provenance="self#jumbf=/c2pa/urn:uuid:1234/c2pa.assertions"/>\n'
    )
    assert xmp.read(packet(c2pa))[2] == ["C2PA manifest reference (XMP dcterms:provenance)"]


def test_doctype_and_entity_declarations_are_refused_quickly() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    bomb += b"".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i else "&lol;" * 10}">'.encode()
        for i in range(9)
    )
    bomb += b"]><x:xmpmeta xmlns:x='adobe:ns:meta/'>&lol8;</x:xmpmeta>"
    started = time.perf_counter()
    for hostile in (bomb, b'<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>'):
        with pytest.raises(FormatError, match="DOCTYPE or ENTITY"):
            xmp.read(hostile)
        with pytest.raises(FormatError, match="DOCTYPE or ENTITY"):
            xmp.update(hostile, LABEL, None)
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    "garbage",
    [b"", b"\x00\x00", b"<x:xmpmeta", b"<a><b></a>", b"\xff\xfe<\x00a\x00/>", b"<a>&nope;</a>"],
)
def test_malformed_packets_raise_format_error(garbage: bytes) -> None:
    with pytest.raises(FormatError):
        xmp.read(garbage)
    with pytest.raises(FormatError):
        xmp.update(garbage, LABEL, None)


def test_a_label_xml_cannot_carry_is_refused() -> None:
    with pytest.raises(FormatError, match="cannot carry"):
        xmp.update(packet(OTHERS), "a\x00b", None)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_packets_only_ever_raise_format_error(data: st.DataObject) -> None:
    original = bytearray(packet(attribute_form("a"), OTHERS, element_form("b")))
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.sampled_from(b"<>&\"'/:=x \x00\xff"))
    mutated = bytes(original[: data.draw(st.integers(0, len(original)))])
    try:
        xmp.read(mutated)
        updated = xmp.update(mutated, LABEL, "record")
    except FormatError:
        return
    assert xmp.read(updated)[0] == [LABEL]


def test_a_language_alternative_value_is_read_and_replaced_by_a_simple_one() -> None:
    alternative = (
        '  <rdf:Description rdf:about="" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/">\n'
        '   <TC260:AIGC><rdf:Alt><rdf:li xml:lang="x-default">old</rdf:li></rdf:Alt></TC260:AIGC>\n'
        "  </rdf:Description>\n"
    )
    original = packet(alternative)
    assert xmp.read(original)[0] == ["old"]
    updated = xmp.update(original, LABEL, None)
    assert tc260_values(updated) == [LABEL]
    assert b"rdf:Alt" not in updated
