"""Plain-text rendering of scan results for people at a terminal (JSON is for programs)."""

from __future__ import annotations

import unicodedata

from chinacomply.model import TableReport


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def display_width(text: str) -> int:
    """Terminal columns a string takes: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def table_report(report: TableReport) -> str:
    """A header line for the table and one aligned line per column."""
    key = report.subject_key or "-"
    people = "-" if report.individuals is None else f"{report.individuals:,}"
    minors = f", under 14: {report.minors:,}" if report.minors else ""
    lines = [
        f"{report.source}  ({report.rows:,} rows, subject key: {key}, individuals: {people}"
        f"{minors}, profile: {report.profile})"
    ]
    width = max([display_width(c.name) for c in report.columns] + [6])
    lines.append(
        f"  {_pad('column', width)}  {'type':<17} {'sens':<4} {'conf':>5} {'matched':>13}  evidence"
    )
    for col in report.columns:
        kind = col.type or "-"
        sens = "yes" if col.sensitive else ""
        ratio = f"{col.matched}/{col.checked}"
        lines.append(
            f"  {_pad(col.name, width)}  {kind:<17} {sens:<4} {col.confidence:>5.2f} {ratio:>13}  "
            f"{_fit(col.evidence, 110)}"
        )
    return "\n".join(lines)
