"""The OOXML carrier: the AIGC custom property in docProps/custom.xml of DOCX, XLSX and PPTX."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.packaging.custom import StringProperty

from chinacomply.aigc.formats import detect
from chinacomply.aigc.formats.base import EXPLICIT_RECORD_KEY, FormatError, Update
from chinacomply.aigc.formats.ooxml import FORMAT
from chinacomply.aigc.label import ImplicitLabel

LABEL = ImplicitLabel.first_write("001191440300708461136T1XGW3", "doc-0001").to_json()
SECOND = ImplicitLabel.first_write('深圳某某科技 <R&D> "甲"', "编号-0002").to_json()

NS = {
    "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "r": "http://schemas.openxmlformats.org/package/2006/relationships",
}
REL_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
TYPE_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
DATE = (2021, 3, 4, 5, 6, 8)
EDITED = {"[Content_Types].xml", "_rels/.rels", "docProps/custom.xml"}

TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Override PartName="/{main}" ContentType="{main_type}"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "{custom}</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId3" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="{main}"/>{custom}</Relationships>'
)
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    "<dc:title>季度报告</dc:title><dc:creator>张三</dc:creator></cp:coreProperties>"
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>本文由人工智能生成。</w:t></w:r></w:p></w:body></w:document>"
)
PRESENTATION = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
    '<p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/>'
    "</p:presentation>"
)
DOCX_MAIN = (
    "word/document.xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    DOCUMENT,
)
PPTX_MAIN = (
    "ppt/presentation.xml",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    PRESENTATION,
)
CUSTOM_OVERRIDE = f'<Override PartName="/docProps/custom.xml" ContentType="{TYPE_CUSTOM}"/>'
CUSTOM_REL = f'<Relationship Id="rId2" Type="{REL_CUSTOM}" Target="docProps/custom.xml"/>'


def custom_xml(*properties: str, head: str = "") -> str:
    """A custom-properties part as Office writes it."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        f'{head}<Properties xmlns="{NS["cp"]}" xmlns:vt="{NS["vt"]}">'
        + "".join(properties)
        + "</Properties>"
    )


def prop(pid: int, name: str, value: str, kind: str = "lpwstr") -> str:
    return (
        f'<property fmtid="{FMTID}" pid="{pid}" name="{name}"><vt:{kind}>{value}</vt:{kind}>'
        "</property>"
    )


OTHERS = custom_xml(prop(2, "Client", "某某银行"), prop(3, "Pages", "12", "i4"))


def package(
    main: tuple[str, str, str] = DOCX_MAIN,
    custom: str | None = None,
    parts: dict[str, str | bytes] | None = None,
) -> bytes:
    """A minimal package built entry by entry: deflated XML, a stored image, fixed dates."""
    name, main_type, main_xml = main
    declared = custom is not None
    entries: dict[str, str | bytes] = {
        "[Content_Types].xml": TYPES.format(
            main=name, main_type=main_type, custom=CUSTOM_OVERRIDE if declared else ""
        ),
        "_rels/.rels": RELS.format(main=name, custom=CUSTOM_REL if declared else ""),
        name: main_xml,
        "docProps/core.xml": CORE,
        "word/media/image1.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    }
    if custom is not None:
        entries["docProps/custom.xml"] = custom
    entries.update(parts or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry_name, content in entries.items():
            info = zipfile.ZipInfo(entry_name, DATE)
            stored = entry_name.endswith(".png")
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def xlsx(custom: dict[str, str] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "销售额"
    sheet["B2"] = 1234.5
    for name, value in (custom or {}).items():
        workbook.custom_doc_props.append(StringProperty(name=name, value=value))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(data: bytes, label: str = LABEL, explicit: str | None = None) -> bytes:
    out = io.BytesIO()
    FORMAT.write(io.BytesIO(data), out, Update(label, explicit))
    return out.getvalue()


def labels(data: bytes) -> list[str]:
    return [carried.value for carried in FORMAT.read(io.BytesIO(data)).labels]


def properties(data: bytes) -> list[tuple[str, str, str]]:
    """(name, pid, value) of every custom property, read with ElementTree."""
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("docProps/custom.xml"))
    assert root.tag == f"{{{NS['cp']}}}Properties"
    found = []
    for element in root.findall("cp:property", NS):
        assert element.get("fmtid") == FMTID
        value = "".join(element[0].itertext())
        found.append((element.get("name", ""), element.get("pid", ""), value))
    return found


def stored_entries(data: bytes) -> dict[str, tuple[object, ...]]:
    """Each entry's name, date, method, CRC, sizes and compressed bytes, as stored."""
    found: dict[str, tuple[object, ...]] = {}
    for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
        name_length, extra_length = struct.unpack_from("<2H", data, info.header_offset + 26)
        start = info.header_offset + 30 + name_length + extra_length
        raw = data[start : start + info.compress_size]
        found[info.filename] = (info.date_time, info.compress_type, info.CRC, info.file_size, raw)
    return found


def patched_sizes(data: bytes, name: str, size: int) -> bytes:
    """The package with an entry claiming another uncompressed size in both its headers."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    patched = bytearray(data)
    struct.pack_into("<L", patched, info.header_offset + 22, size)
    central = data.index(b"PK\x01\x02")
    while True:
        name_length, extra, comment = struct.unpack_from("<3H", data, central + 28)
        if data[central + 46 : central + 46 + name_length] == name.encode():
            struct.pack_into("<L", patched, central + 24, size)
            return bytes(patched)
        central += 46 + name_length + extra + comment


# --- recognition ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".pptx", ".docm", ".xltx", ".potx"])
def test_office_suffixes_are_recognised(suffix: str) -> None:
    head = package()[:64]
    assert FORMAT.sniff(head, suffix)
    assert detect(head, suffix) is FORMAT


def test_other_zips_and_other_bytes_are_not_office() -> None:
    assert not FORMAT.sniff(package()[:64], ".zip")
    assert not FORMAT.sniff(b"%PDF-1.7\n", ".docx")


def test_a_zip_without_content_types_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", DOCUMENT)
    with pytest.raises(FormatError, match=r"\[Content_Types\]\.xml"):
        FORMAT.read(io.BytesIO(buffer.getvalue()))


# --- writing and reading --------------------------------------------------------------------


def test_an_unlabelled_document_reads_as_unlabelled() -> None:
    metadata = FORMAT.read(io.BytesIO(package()))
    assert metadata.labels == ()
    assert metadata.explicit is None


def test_label_round_trip_creates_the_custom_part_and_declares_it() -> None:
    labelled = write(package())
    metadata = FORMAT.read(io.BytesIO(labelled))
    assert [c.value for c in metadata.labels] == [LABEL]
    assert "docProps/custom.xml" in metadata.labels[0].carrier
    assert properties(labelled) == [("AIGC", "2", LABEL)]

    archive = zipfile.ZipFile(io.BytesIO(labelled))
    assert archive.testzip() is None
    types = ET.fromstring(archive.read("[Content_Types].xml"))
    overrides = [
        o.get("ContentType")
        for o in types.findall("ct:Override", NS)
        if o.get("PartName") == "/docProps/custom.xml"
    ]
    assert overrides == [TYPE_CUSTOM]
    rels = ET.fromstring(archive.read("_rels/.rels")).findall("r:Relationship", NS)
    custom = [r for r in rels if r.get("Type") == REL_CUSTOM]
    assert [r.get("Target") for r in custom] == ["docProps/custom.xml"]
    ids = [r.get("Id") for r in rels]
    assert len(set(ids)) == len(ids) == 3  # a fresh Id beside rId1 and rId3


def test_existing_custom_properties_are_kept_and_pids_stay_unique() -> None:
    labelled = write(package(custom=OTHERS))
    assert properties(labelled) == [
        ("Client", "2", "某某银行"),
        ("Pages", "3", "12"),
        ("AIGC", "4", LABEL),
    ]
    before, after = stored_entries(package(custom=OTHERS)), stored_entries(labelled)
    # Content type and relationship were declared already: those parts are untouched.
    assert after["[Content_Types].xml"] == before["[Content_Types].xml"]
    assert after["_rels/.rels"] == before["_rels/.rels"]


def test_a_second_write_replaces_the_label_in_place() -> None:
    once = write(package(custom=OTHERS))
    twice = write(once, SECOND)
    assert labels(twice) == [SECOND]
    assert properties(twice) == [
        ("Client", "2", "某某银行"),
        ("Pages", "3", "12"),
        ("AIGC", "4", SECOND),
    ]
    fresh_twice = write(write(package()), SECOND)
    assert properties(fresh_twice) == [("AIGC", "2", SECOND)]
    archive = zipfile.ZipFile(io.BytesIO(fresh_twice))
    assert archive.read("[Content_Types].xml").count(b"/docProps/custom.xml") == 1
    assert archive.read("_rels/.rels").count(REL_CUSTOM.encode()) == 1


def test_duplicate_labels_collapse_to_one() -> None:
    custom = custom_xml(
        prop(2, "AIGC", "old"), prop(3, "Client", "x"), prop(4, "aigc", "older"), prop(3, "Y", "y")
    )
    labelled = write(package(custom=custom))
    assert labels(package(custom=custom)) == ["old", "older"]
    assert labels(labelled) == [LABEL]
    found = properties(labelled)
    assert [name for name, _, _ in found] == ["AIGC", "Client", "Y"]
    assert found[0][1] == "2"  # its own pid kept: it was unique


def test_a_label_with_a_shared_pid_gets_a_fresh_one() -> None:
    custom = custom_xml(prop(5, "Client", "x"), prop(5, "AIGC", "old"))
    found = properties(write(package(custom=custom)))
    assert found == [("Client", "5", "x"), ("AIGC", "6", LABEL)]


def test_every_other_entry_is_copied_as_stored_in_its_order() -> None:
    original = package(custom=None)
    labelled = write(original)
    before, after = stored_entries(original), stored_entries(labelled)
    for name, stored in before.items():
        if name not in EDITED:
            assert after[name] == stored, name
    names = zipfile.ZipFile(io.BytesIO(labelled)).namelist()
    assert names == [*zipfile.ZipFile(io.BytesIO(original)).namelist(), "docProps/custom.xml"]
    assert after["word/media/image1.png"][1] == zipfile.ZIP_STORED
    for name in EDITED:
        assert after[name][0] == DATE  # edited and new parts keep the package's date


class Unseekable(io.RawIOBase):
    """A write-only stream zipfile cannot seek back in, so it writes data descriptors."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, chunk: object) -> int:
        assert isinstance(chunk, bytes | bytearray | memoryview)
        self.data += chunk
        return len(chunk)


def test_entries_with_data_descriptors_or_zip64_fields_are_copied_cleanly() -> None:
    sink = Unseekable()
    source = zipfile.ZipFile(io.BytesIO(package()))
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            with archive.open(name, "w", force_zip64=name.endswith(".png")) as entry:
                entry.write(source.read(name))
    original = bytes(sink.data)
    infos = zipfile.ZipFile(io.BytesIO(original)).infolist()
    assert all(info.flag_bits & 0x08 for info in infos)
    labelled = write(original)
    archive = zipfile.ZipFile(io.BytesIO(labelled))
    assert archive.testzip() is None
    before = zipfile.ZipFile(io.BytesIO(original))
    for info in infos:
        if info.filename not in EDITED:
            assert archive.read(info.filename) == before.read(info.filename)
    assert labels(labelled) == [LABEL]


def test_content_types_goes_first_when_it_was_last() -> None:
    original = xlsx()
    assert zipfile.ZipFile(io.BytesIO(original)).namelist()[-1] == "[Content_Types].xml"
    labelled = write(original)
    names = zipfile.ZipFile(io.BytesIO(labelled)).namelist()
    assert names[0] == "[Content_Types].xml"
    before, after = stored_entries(original), stored_entries(labelled)
    assert all(after[name] == before[name] for name in before if name not in EDITED)


def test_writing_is_deterministic() -> None:
    assert write(package(custom=OTHERS)) == write(package(custom=OTHERS))


def test_explicit_record_is_written_and_kept_by_a_later_write() -> None:
    record = "text 'AI生成' bottom-right, 6% of the short side"
    labelled = write(package(), explicit=record)
    assert FORMAT.read(io.BytesIO(labelled)).explicit == record
    relabelled = write(labelled, SECOND)
    metadata = FORMAT.read(io.BytesIO(relabelled))
    assert metadata.explicit == record
    assert [c.value for c in metadata.labels] == [SECOND]
    assert [name for name, _, _ in properties(relabelled)] == ["AIGC", EXPLICIT_RECORD_KEY]


def test_characters_xml_escapes_survive_exactly() -> None:
    value = "a\tb\r\nc <&> '\"' 生成 😀 ]]>"
    assert labels(write(package(), value)) == [value]


def test_a_character_xml_cannot_carry_is_refused() -> None:
    with pytest.raises(FormatError, match=r"U\+0001"):
        write(package(), LABEL.replace("doc", "d\x01oc"))


def test_prefixed_namespaces_are_respected() -> None:
    custom = (
        f'<op:Properties xmlns:op="{NS["cp"]}" xmlns:t="{NS["vt"]}">'
        f'<op:property fmtid="{FMTID}" pid="2" name="Client"><t:lpwstr>x</t:lpwstr></op:property>'
        "</op:Properties>"
    )
    labelled = write(package(custom=custom))
    assert properties(labelled) == [("Client", "2", "x"), ("AIGC", "3", LABEL)]
    assert b'<op:property fmtid="' in zipfile.ZipFile(io.BytesIO(labelled)).read(
        "docProps/custom.xml"
    )


def test_an_empty_self_closing_properties_part_is_filled() -> None:
    custom = f'<?xml version="1.0"?>\n<Properties xmlns="{NS["cp"]}" xmlns:vt="{NS["vt"]}" />'
    assert properties(write(package(custom=custom))) == [("AIGC", "2", LABEL)]


def test_a_utf16_part_is_read_but_not_edited() -> None:
    custom = custom_xml(prop(2, "AIGC", "x")).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    data = package(custom=custom_xml(), parts={"docProps/custom.xml": custom.encode("utf-16")})
    assert labels(data) == ["x"]
    with pytest.raises(FormatError, match="not UTF-8"):
        write(data)


@pytest.mark.parametrize("build", [package, lambda: package(PPTX_MAIN), xlsx])
def test_round_trip_for_word_powerpoint_and_excel(build: object) -> None:
    assert callable(build)
    labelled = write(write(build(), SECOND))
    assert labels(labelled) == [LABEL]


# --- other tools ----------------------------------------------------------------------------


def test_openpyxl_loads_the_labelled_workbook_and_sees_the_label(tmp_path: Path) -> None:
    path = tmp_path / "labelled.xlsx"
    path.write_bytes(write(xlsx({"Client": "某某银行"})))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    assert sheet["A1"].value == "销售额"
    assert sheet["B2"].value == 1234.5
    props = {p.name: p.value for p in workbook.custom_doc_props}
    assert props == {"Client": "某某银行", "AIGC": LABEL}


def test_a_workbook_labelled_by_openpyxl_is_read_and_relabelled() -> None:
    theirs = xlsx({"AIGC": SECOND, "Client": "x"})
    assert labels(theirs) == [SECOND]
    ours = write(theirs)
    assert labels(ours) == [LABEL]
    assert [name for name, _, _ in properties(ours)] == ["AIGC", "Client"]


def test_exiftool_reads_the_label(tmp_path: Path) -> None:
    exiftool = shutil.which("exiftool") or "/usr/bin/exiftool"
    assert Path(exiftool).exists(), "exiftool is needed for this test: apt-get install exiftool"
    for name, data in (("a.docx", package()), ("b.pptx", package(PPTX_MAIN)), ("c.xlsx", xlsx())):
        path = tmp_path / name
        path.write_bytes(write(data, SECOND))
        result = subprocess.run(
            [exiftool, "-j", str(path)], capture_output=True, check=True, timeout=30
        )
        tags = json.loads(result.stdout)[0]
        assert tags["AIGC"] == SECOND, name


# --- hostile and broken input ----------------------------------------------------------------

XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE Properties [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f'<Properties xmlns="{NS["cp"]}" xmlns:vt="{NS["vt"]}">'
    f'<property fmtid="{FMTID}" pid="2" name="AIGC"><vt:lpwstr>&xxe;</vt:lpwstr></property>'
    "</Properties>"
)
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + f']><Properties xmlns="{NS["cp"]}" xmlns:vt="{NS["vt"]}">'
    f'<property fmtid="{FMTID}" pid="2" name="AIGC"><vt:lpwstr>&lol9;</vt:lpwstr></property>'
    "</Properties>"
)


@pytest.mark.parametrize("custom", [XXE, LAUGHS, custom_xml(head="<!DOCTYPE Properties>")])
def test_doctype_and_entities_are_refused(custom: str) -> None:
    data = package(custom=custom)
    with pytest.raises(FormatError, match=r"DOCTYPE|entity"):
        FORMAT.read(io.BytesIO(data))
    with pytest.raises(FormatError, match=r"DOCTYPE|entity"):
        write(data)


def test_a_doctype_in_content_types_is_refused() -> None:
    types = TYPES.format(main="word/document.xml", main_type="x", custom="").replace(
        "<Types", "<!DOCTYPE Types><Types", 1
    )
    with pytest.raises(FormatError, match="DOCTYPE"):
        write(package(parts={"[Content_Types].xml": types}))


def test_an_entry_claiming_a_huge_size_is_refused() -> None:
    data = patched_sizes(package(), "word/document.xml", 3 * 1024**3)
    with pytest.raises(FormatError, match="zip bomb"):
        FORMAT.read(io.BytesIO(data))
    with pytest.raises(FormatError, match="zip bomb"):
        write(data)


def test_a_highly_compressible_properties_part_is_refused() -> None:
    bomb = custom_xml(prop(2, "AIGC", " " * (9 * 1024 * 1024)))
    data = package(custom=bomb)
    assert len(data) < 100_000
    with pytest.raises(FormatError, match="larger than"):
        FORMAT.read(io.BytesIO(data))


def test_a_part_lying_about_its_size_is_refused() -> None:
    data = package(custom=custom_xml(prop(2, "AIGC", " " * 100_000)))
    with pytest.raises(FormatError):
        FORMAT.read(io.BytesIO(patched_sizes(data, "docProps/custom.xml", 100)))


def test_overlapping_entries_are_refused() -> None:
    data = package()
    archive = zipfile.ZipFile(io.BytesIO(data))
    first, second = archive.infolist()[:2]
    # Make the first entry claim to extend into the second one's header.
    patched = bytearray(data)
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<L", patched, central + 20, second.header_offset - first.header_offset)
    with pytest.raises(FormatError, match="overlap"):
        FORMAT.read(io.BytesIO(bytes(patched)))


def test_an_unsupported_compression_method_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("[Content_Types].xml", TYPES)
    with pytest.raises(FormatError, match="compression method 12"):
        FORMAT.read(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("share", [i / 20 for i in range(20)])
def test_truncated_packages_raise_format_error(share: float) -> None:
    data = write(package(custom=OTHERS))
    cut = data[: int(len(data) * share)]
    with pytest.raises(FormatError):
        FORMAT.read(io.BytesIO(cut))
    with pytest.raises(FormatError):
        write(cut)


@pytest.mark.parametrize(
    "data", [b"", b"PK\x03\x04", b"PK\x03\x04" + bytes(200), b"garbage" * 100, zlib.compress(b"x")]
)
def test_garbage_raises_format_error(data: bytes) -> None:
    with pytest.raises(FormatError):
        FORMAT.read(io.BytesIO(data))
    with pytest.raises(FormatError):
        write(data)


VALID = write(package(custom=OTHERS))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), max_size=8))
def test_mutated_packages_only_ever_raise_format_error(changes: list[tuple[int, int]]) -> None:
    data = bytearray(VALID)
    for offset, value in changes:
        data[offset] = value
    for action in (FORMAT.read, lambda stream: FORMAT.write(stream, io.BytesIO(), Update(LABEL))):
        with contextlib.suppress(FormatError):
            action(io.BytesIO(bytes(data)))
