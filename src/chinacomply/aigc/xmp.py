"""The XMP packet that carries the TC260 label in images: property `TC260:AIGC` (namespace
`http://www.tc260.org.cn/ns/AIGC/1.0/`) whose value is the label JSON, and our own record of a
visible label, `chinacomply:ExplicitLabel`.

A file carries one label and a writer must update it where it stands (GB 45438 Annex E), so an
existing packet is edited in place: the property's bytes are replaced and every other byte of the
packet (other properties, namespaces, padding, the xpacket wrapper) stays exactly as written.
ElementTree cannot do that (it re-serialises with new prefixes and drops the wrapper), so this
module walks the packet with expat, the parser ElementTree itself runs on, which reports where
each tag starts. Like defusedxml, it refuses DOCTYPE and ENTITY declarations, the way XML bombs
are built; XMP never needs them.
"""

from __future__ import annotations

import itertools
import re
import xml.parsers.expat
from dataclasses import dataclass, field

from chinacomply.aigc.formats.base import FormatError

TC260_NS = "http://www.tc260.org.cn/ns/AIGC/1.0/"
TC260_PREFIX = "TC260"
TC260_PROPERTY = "AIGC"
CHINACOMPLY_NS = "http://ns.chinacomply.org/xmp/1.0/"
CHINACOMPLY_PREFIX = "chinacomply"
EXPLICIT_PROPERTY = "ExplicitLabel"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
IPTC_EXT_NS = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
DCTERMS_NS = "http://purl.org/dc/terms/"
XML_NS = "http://www.w3.org/XML/1998/namespace"
PACKET_ID = "W5M0MpCehiHzreSzNTczkc9d"

# IPTC digital source types that say the content was made by a model (IPTC NewsCodes).
AI_SOURCE_TYPES = (
    "trainedAlgorithmicMedia",
    "compositeSynthetic",
    "algorithmicMedia",
    "compositeWithTrainedAlgorithmicMedia",
)

_LABEL = (TC260_NS, TC260_PROPERTY)
_EXPLICIT = (CHINACOMPLY_NS, EXPLICIT_PROPERTY)
_SOURCE_TYPE = (IPTC_EXT_NS, "DigitalSourceType")
_PROVENANCE = (DCTERMS_NS, "provenance")
_WATCHED = (_LABEL, _EXPLICIT, _SOURCE_TYPE, _PROVENANCE)

_START_TAG = re.compile(rb"<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*/?>")
_ATTRIBUTE = re.compile(rb"(\s+)([^\s=/>]+)\s*=\s*(?:\"[^\"]*\"|'[^']*')")
_TRAILER = b"\x00 \t\r\n"
# Characters XML 1.0 cannot carry at all, escaped or not.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class _Property:
    """One occurrence of a watched property, and the bytes that hold it."""

    key: tuple[str, str]
    value: str
    is_attribute: bool
    raw_name: str  # the qualified name as written ("TC260:AIGC")
    start: int  # attribute: its name; element: its "<"
    end: int
    removal_start: int  # with the white space before it, so removing it leaves no gap


@dataclass(slots=True)
class _Open:
    """An element being parsed."""

    key: tuple[str, str]
    namespaces: dict[str, str]
    start: int
    tag_end: int
    empty: bool
    raw_name: str
    watched: bool
    texts: list[str] = field(default_factory=list)
    list_item: str | None = None
    resource: str | None = None
    item_of: _Open | None = None  # the watched property whose first rdf:li this is


@dataclass(slots=True)
class _Layout:
    """What the walk found: the watched properties and where new ones can go."""

    properties: list[_Property] = field(default_factory=list)
    rdf_start: int = -1
    rdf_tag_end: int = -1
    rdf_end: int = -1  # start of "</rdf:RDF>"; -1 when the element is an empty tag
    rdf_raw_name: str = ""
    rdf_prefix_bound: bool = False  # is the prefix "rdf" bound to RDF_NS inside rdf:RDF?
    about: str | None = None


def read(packet: bytes) -> tuple[list[str], str | None, list[str]]:
    """The TC260 label values, the explicit-label record and the AI-generation traces in an
    XMP packet. Raises FormatError when the packet is not well-formed XML."""
    layout = _walk(packet)
    labels = [p.value for p in layout.properties if p.key == _LABEL]
    records = [p.value for p in layout.properties if p.key == _EXPLICIT]
    return labels, (records[0] if records else None), _traces(layout.properties)


def update(packet: bytes | None, label_json: str, explicit: str | None) -> bytes:
    """The packet with `label_json` as its one TC260:AIGC value (and `explicit` as the record of
    a visible label; None keeps the record it has). An existing property is replaced where it
    stands, in the form it was written (attribute or element); further copies are removed;
    everything else is kept byte for byte. Without a packet, a fresh one is built."""
    _check_writable(label_json)
    if explicit is not None:
        _check_writable(explicit)
    if packet is None:
        return build(label_json, explicit)
    wanted = [(_LABEL, label_json)]
    if explicit is not None:
        wanted.append((_EXPLICIT, explicit))
    layout = _walk(packet)
    edits: list[tuple[int, int, bytes]] = []
    missing: list[tuple[tuple[str, str], str]] = []
    for key, value in wanted:
        found = [p for p in layout.properties if p.key == key]
        if not found:
            missing.append((key, value))
            continue
        edits.append((found[0].start, found[0].end, _rewritten(found[0], value)))
        edits.extend((p.removal_start, p.end, b"") for p in found[1:])
    if missing:
        edits.append(_insertion(packet, layout, missing))
    result = _apply(packet, edits)
    _verify(result, label_json)
    return result


def without_label(packet: bytes) -> bytes:
    """The packet with every TC260:AIGC property removed (for a second XMP packet in a file,
    which must not hold a second label); unchanged bytes when it had none."""
    layout = _walk(packet)
    edits = [(p.removal_start, p.end, b"") for p in layout.properties if p.key == _LABEL]
    return _apply(packet, edits) if edits else packet


def build(label_json: str, explicit: str | None = None) -> bytes:
    """A fresh packet holding the label (and the visible-label record), in the xpacket wrapper
    that lets other tools find and edit it in place."""
    _check_writable(label_json)
    body = f"   <{TC260_PREFIX}:{TC260_PROPERTY}>{_escape_text(label_json)}"
    body += f"</{TC260_PREFIX}:{TC260_PROPERTY}>\n"
    declarations = f'\n    xmlns:{TC260_PREFIX}="{TC260_NS}"'
    if explicit is not None:
        _check_writable(explicit)
        declarations += f'\n    xmlns:{CHINACOMPLY_PREFIX}="{CHINACOMPLY_NS}"'
        body += f"   <{CHINACOMPLY_PREFIX}:{EXPLICIT_PROPERTY}>{_escape_text(explicit)}"
        body += f"</{CHINACOMPLY_PREFIX}:{EXPLICIT_PROPERTY}>\n"
    text = (
        f'<?xpacket begin="\ufeff" id="{PACKET_ID}"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        f' <rdf:RDF xmlns:rdf="{RDF_NS}">\n'
        f'  <rdf:Description rdf:about=""{declarations}>\n'
        f"{body}"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return text.encode("utf-8")


def _check_writable(value: str) -> None:
    """XML cannot carry NUL and most control characters, even as references."""
    if _NOT_XML.search(value):
        raise FormatError("the value to write holds a character that XML cannot carry")


def _escape_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(value: str) -> str:
    escaped = _escape_text(value).replace('"', "&quot;")
    return escaped.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


def _rewritten(prop: _Property, value: str) -> bytes:
    """The property's new bytes, in the form it had; an element is rewritten whole so a
    structured or empty one becomes a simple value."""
    if prop.is_attribute:
        return f'{prop.raw_name}="{_escape_attribute(value)}"'.encode()
    return f"<{prop.raw_name}>{_escape_text(value)}</{prop.raw_name}>".encode()


def _insertion(
    packet: bytes, layout: _Layout, missing: list[tuple[tuple[str, str], str]]
) -> tuple[int, int, bytes]:
    """A new rdf:Description for the properties the packet lacks, as the last child of
    rdf:RDF (one Description per group of namespaces is how XMP writers lay packets out)."""
    if layout.rdf_start < 0:
        raise FormatError("the XMP packet has no rdf:RDF element to hold the label")
    prefixes = {_LABEL: TC260_PREFIX, _EXPLICIT: CHINACOMPLY_PREFIX}
    declarations = "" if layout.rdf_prefix_bound else f' xmlns:rdf="{RDF_NS}"'
    body = ""
    for key, value in missing:
        prefix = prefixes[key]
        declarations += f' xmlns:{prefix}="{key[0]}"'
        body += f"   <{prefix}:{key[1]}>{_escape_text(value)}</{prefix}:{key[1]}>\n"
    about = _escape_attribute(layout.about or "")
    description = (
        f'  <rdf:Description rdf:about="{about}"{declarations}>\n{body}  </rdf:Description>\n'
    )
    if layout.rdf_end >= 0:
        line_start = layout.rdf_end
        while line_start > 0 and packet[line_start - 1 : line_start] in (b" ", b"\t"):
            line_start -= 1
        if line_start > 0 and packet[line_start - 1 : line_start] == b"\n":
            return line_start, line_start, description.encode()
        return layout.rdf_end, layout.rdf_end, ("\n" + description).encode()
    # <rdf:RDF .../> : open it, add the Description, close it.
    closing = f">\n{description} </{layout.rdf_raw_name}>"
    return layout.rdf_tag_end - 2, layout.rdf_tag_end, closing.encode()


def _apply(packet: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Splice the edits in, in one pass (a packet may hold thousands of copies to remove)."""
    ordered = sorted(edits, key=lambda edit: (edit[0], edit[1]))
    for before, after in itertools.pairwise(ordered):
        if after[0] < before[1]:
            raise FormatError("the XMP packet nests TC260 properties inside each other")
    pieces: list[bytes] = []
    kept_from = 0
    for start, end, replacement in ordered:
        pieces += [packet[kept_from:start], replacement]
        kept_from = end
    pieces.append(packet[kept_from:])
    return b"".join(pieces)


def _with_leading_space(packet: bytes, start: int) -> int:
    """Where an element starts together with the indentation (and line break) before it."""
    while start > 0 and packet[start - 1 : start] in (b" ", b"\t"):
        start -= 1
    if start > 0 and packet[start - 1 : start] == b"\n":
        start -= 1
    return start


def _verify(result: bytes, label_json: str) -> None:
    """The edited packet must parse and hold exactly the new label, or nothing is written."""
    labels, _, _ = read(result)
    if labels != [label_json]:
        raise FormatError("the XMP packet could not be updated to hold exactly one label")


def _traces(properties: list[_Property]) -> list[str]:
    found: list[str] = []
    for prop in properties:
        trace = None
        if prop.key == _SOURCE_TYPE:
            term = prop.value.strip().rstrip("/").rsplit("/", 1)[-1]
            if term in AI_SOURCE_TYPES:
                trace = f"IPTC DigitalSourceType {term}"
        elif prop.key == _PROVENANCE:
            lowered = prop.value.lower()
            if "c2pa" in lowered or "jumbf" in lowered:
                trace = "C2PA manifest reference (XMP dcterms:provenance)"
        if trace and trace not in found:
            found.append(trace)
    return found


def _walk(packet: bytes) -> _Layout:
    """Parse the packet and note every watched property with its byte span."""
    if not isinstance(packet, bytes | bytearray):
        raise FormatError("the XMP packet is not bytes")
    data = bytes(packet).rstrip(_TRAILER)  # NUL padding after the packet is not XML
    if not data:
        raise FormatError("the XMP packet is empty")
    walker = _Walker(data)
    return walker.run()


def _refuse_declaration(*_args: object) -> None:
    raise FormatError("the XMP packet has a DOCTYPE or ENTITY declaration (refused)")


class _Walker:
    """Expat handlers that record where watched properties sit."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.layout = _Layout()
        self.stack: list[_Open] = []
        self.owner: _Open | None = None  # the watched property being read, if any
        # XMP in images is UTF-8 by definition; forcing it keeps byte offsets meaningful for
        # the splice (a packet declaring another encoding fails to parse instead).
        self.parser = xml.parsers.expat.ParserCreate(encoding="utf-8")
        self.parser.StartDoctypeDeclHandler = _refuse_declaration
        self.parser.EntityDeclHandler = _refuse_declaration
        self.parser.UnparsedEntityDeclHandler = _refuse_declaration
        self.parser.ExternalEntityRefHandler = _refuse_external
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text

    def run(self) -> _Layout:
        try:
            self.parser.Parse(self.data, True)
        except xml.parsers.expat.ExpatError as err:
            reason = xml.parsers.expat.errors.messages.get(err.code, "malformed")
            raise FormatError(
                f"the XMP packet is not well-formed XML ({reason}, line {err.lineno} column "
                f"{err.offset})"
            ) from None
        return self.layout

    def start(self, raw_name: str, attributes: dict[str, str]) -> None:
        position = self.parser.CurrentByteIndex
        match = _START_TAG.match(self.data, position)
        if match is None:
            raise FormatError(f"the XMP packet has a tag it cannot locate at byte {position}")
        parent = self.stack[-1] if self.stack else None
        namespaces = parent.namespaces if parent else {"xml": XML_NS}
        declared = {
            ("" if name == "xmlns" else name[6:]): value
            for name, value in attributes.items()
            if name == "xmlns" or name.startswith("xmlns:")
        }
        if declared:
            namespaces = {**namespaces, **declared}
        key = _resolve(raw_name, namespaces, is_attribute=False)
        owner = self.owner
        inside_watched = owner is not None
        opened = _Open(
            key=key,
            namespaces=namespaces,
            start=position,
            tag_end=match.end(),
            empty=match.group().endswith(b"/>"),
            raw_name=raw_name,
            watched=key in _WATCHED and not inside_watched,
            resource=_attribute(attributes, namespaces, RDF_NS, "resource"),
        )
        if key == (RDF_NS, "RDF") and self.layout.rdf_start < 0:
            self.layout.rdf_start = position
            self.layout.rdf_tag_end = match.end()
            self.layout.rdf_raw_name = raw_name
            self.layout.rdf_prefix_bound = namespaces.get("rdf") == RDF_NS
        if key == (RDF_NS, "Description") and self.layout.about is None:
            self.layout.about = _attribute(attributes, namespaces, RDF_NS, "about") or ""
        if owner and key == (RDF_NS, "li") and owner.list_item is None:
            owner.list_item = ""  # the first item of an rdf:Alt/Bag/Seq value is its value
            opened.item_of = owner
        if not inside_watched:
            self.note_attributes(match, attributes, namespaces)
        if opened.watched:
            self.owner = opened
        self.stack.append(opened)

    def note_attributes(
        self, match: re.Match[bytes], attributes: dict[str, str], namespaces: dict[str, str]
    ) -> None:
        for found in _ATTRIBUTE.finditer(self.data, match.start(), match.end()):
            raw = found.group(2).decode("utf-8", "replace")
            if ":" not in raw or raw.startswith("xmlns"):
                continue
            key = _resolve(raw, namespaces, is_attribute=True)
            if key in _WATCHED and raw in attributes:
                self.layout.properties.append(
                    _Property(
                        key, attributes[raw], True, raw, found.start(2), found.end(), found.start()
                    )
                )

    def text(self, content: str) -> None:
        if not self.stack:
            return
        current = self.stack[-1]
        if current.watched:
            current.texts.append(content)
            return
        if current.item_of is not None:
            current.item_of.list_item = (current.item_of.list_item or "") + content

    def end(self, _raw_name: str) -> None:
        opened = self.stack.pop()
        if opened.key == (RDF_NS, "RDF") and opened.start == self.layout.rdf_start:
            self.layout.rdf_end = -1 if opened.empty else self.parser.CurrentByteIndex
        if not opened.watched:
            return
        self.owner = None
        end = opened.tag_end
        if not opened.empty:
            close = self.data.find(b">", self.parser.CurrentByteIndex)
            end = close + 1
        if opened.resource is not None:
            value = opened.resource
        elif opened.list_item is not None:
            value = opened.list_item
        else:
            value = "".join(opened.texts)
        removal_start = _with_leading_space(self.data, opened.start)
        self.layout.properties.append(
            _Property(opened.key, value, False, opened.raw_name, opened.start, end, removal_start)
        )


def _refuse_external(*_args: object) -> int:
    raise FormatError("the XMP packet refers to an external entity (refused)")


def _resolve(raw: str, namespaces: dict[str, str], *, is_attribute: bool) -> tuple[str, str]:
    """(namespace URI, local name) of a qualified name; an unbound prefix gets no namespace."""
    prefix, _, local = raw.rpartition(":")
    if not prefix:
        return ("" if is_attribute else namespaces.get("", "")), local
    return namespaces.get(prefix, ""), local


def _attribute(
    attributes: dict[str, str], namespaces: dict[str, str], uri: str, local: str
) -> str | None:
    """An attribute's value by namespace, whatever prefix it is written with."""
    for prefix, bound in namespaces.items():
        if bound == uri and prefix and f"{prefix}:{local}" in attributes:
            return attributes[f"{prefix}:{local}"]
    return None
