"""Options of the scan use case, kept apart from the engine so the command line can show its
defaults without importing Arrow."""

from __future__ import annotations

from dataclasses import dataclass

from chinacomply.taxonomy import taxonomy

DEFAULT_SAMPLE = 10_000  # rows read per table to classify its columns


@dataclass(frozen=True)
class ScanOptions:
    sample: int = DEFAULT_SAMPLE
    profile: str = taxonomy.DEFAULT_PROFILE
