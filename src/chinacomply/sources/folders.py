"""How a folder is read: every file in sorted order, hidden files and folders skipped. One rule
for tables and media alike, importing nothing heavy (the media checks start without Arrow)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


def walk(folder: Path) -> Iterator[Path]:
    """Every file under `folder`, sorted, skipping any whose path has a part starting with '.'."""
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if path.is_file() and not any(p.startswith(".") for p in parts):
            yield path
