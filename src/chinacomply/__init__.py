"""chinacomply: find, classify and count personal information under China's data laws.

The public API is small and listed here once; everything else is an implementation detail.
"""

from __future__ import annotations

from chinacomply.model import ColumnReport, Span, TableReport

__version__ = "0.1.0"

__all__ = ["ColumnReport", "Span", "TableReport", "__version__", "find_spans", "scan"]


def scan(targets: list[str], sample: int = 10_000, profile: str = "pipl") -> list[TableReport]:
    """Classify every table under the targets (files, folders, SQLAlchemy URLs)."""
    from chinacomply.services import options
    from chinacomply.services import scan as service

    return list(service.scan_targets(targets, options.ScanOptions(sample=sample, profile=profile)))


def find_spans(text: str) -> list[Span]:
    """PI spans in free text, masked, with code-point offsets."""
    from chinacomply.services import scan as service

    return service.scan_text(text)
