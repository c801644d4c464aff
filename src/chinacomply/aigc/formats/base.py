"""What every file format's label carrier offers: read the AIGC labels a file holds, and write
one in place of whatever label it held.

A format module (png, jpeg, mp4, ...) exposes one `FORMAT` object with this shape. It works on
open binary streams so a large video is walked box by box and copied in chunks, never read
whole; the service layer owns paths, temporary files and the atomic rename.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Protocol

# How a visible label that this tool wrote is recorded in metadata: a visible label cannot be
# detected reliably in pixels or sound, so `aigc check` reports it as unknown unless a record
# made when it was written says so. The record is a short text (what, where, how large).
EXPLICIT_RECORD_KEY = "chinacomply:ExplicitLabel"


class FormatError(ValueError):
    """The file is not a well-formed file of its format; the message says what and where (a byte
    offset, a chunk or box name), never any of the file's content."""


@dataclass(frozen=True, slots=True)
class Carried:
    """One AIGC value found in a file, and where it sat ("XMP TC260:AIGC in iTXt")."""

    carrier: str
    value: str


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a file's metadata says about AI generation.

    labels: every AIGC value found (more than one breaks the one-label rule of GB 45438);
    explicit: the record of a visible label written by this tool, if any;
    traces: other signs of AI generation that are not a TC260 label (an IPTC digital source
    type of trainedAlgorithmicMedia, a C2PA manifest store, "AI generated" in a description),
    which make content *suspected* AIGC for a platform (LBL25 Art. 6(3)).
    """

    labels: tuple[Carried, ...] = ()
    explicit: str | None = None
    traces: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Update:
    """What to write: the label's JSON, and a record of a visible label (None keeps any record
    the file already has)."""

    label_json: str
    explicit: str | None = None


class Format(Protocol):
    """A file format that can carry the implicit label."""

    name: str  # short and stable: "png", "jpeg", "mp4", "docx"...
    carrier: str  # where the label goes, for reports: "XMP TC260:AIGC in an iTXt chunk"

    def sniff(self, head: bytes, suffix: str) -> bool:
        """Is this a file of the format? `head` is the first 64 bytes (fewer for tiny files),
        `suffix` the lower-case file extension with its dot (".png")."""
        ...

    def read(self, stream: BinaryIO) -> Metadata:
        """The labels, explicit-label record and traces in the file. Raises FormatError."""
        ...

    def write(self, stream: BinaryIO, out: BinaryIO, update: Update) -> None:
        """Copy the file from `stream` to `out` with exactly one AIGC label, the given one: an
        existing label is replaced where it stands (every carrier of the format that held one
        is updated or removed), everything else is kept byte for byte where the format allows.
        Raises FormatError."""
        ...
