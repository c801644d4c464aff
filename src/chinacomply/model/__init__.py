"""Value objects shared by all layers."""

from chinacomply.model.decision import (
    Alternative,
    Citation,
    Deadline,
    Decision,
    Obligation,
    StageOutcome,
    TraceEntry,
)
from chinacomply.model.findings import ColumnReport, Span, TableReport

__all__ = [
    "Alternative",
    "Citation",
    "ColumnReport",
    "Deadline",
    "Decision",
    "Obligation",
    "Span",
    "StageOutcome",
    "TableReport",
    "TraceEntry",
]
