"""Value objects shared by all layers."""

from chinacomply.model.findings import ColumnReport, Span, TableReport

__all__ = ["ColumnReport", "Span", "TableReport"]
