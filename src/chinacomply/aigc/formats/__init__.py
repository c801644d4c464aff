"""The label carriers, one module per file format, and how a file is matched to one: by its
first bytes where the format has a signature, by its extension for text."""

from __future__ import annotations

import importlib
from functools import cache

from chinacomply.aigc.formats.base import Carried, Format, FormatError, Metadata, Update

__all__ = ["Carried", "Format", "FormatError", "Metadata", "Update", "all_formats", "detect"]

# Signature formats first; the ZIP-based office formats before text, text (by extension) last.
MODULES = ("png", "jpeg", "webp", "mp4", "mp3", "wav", "ooxml", "text")
HEAD_BYTES = 64


@cache
def all_formats() -> tuple[Format, ...]:
    """Every carrier, imported on first use so `chinacomply --help` stays fast."""
    return tuple(
        importlib.import_module(f"chinacomply.aigc.formats.{name}").FORMAT for name in MODULES
    )


def detect(head: bytes, suffix: str) -> Format | None:
    """The format of a file from its first bytes and extension; None when no carrier knows it."""
    for fmt in all_formats():
        if fmt.sniff(head, suffix.lower()):
            return fmt
    return None
