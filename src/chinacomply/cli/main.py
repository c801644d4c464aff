"""The `chinacomply` command line: argument parsing, printing and exit codes, nothing else.

Exit codes: 0 success; 1 the command ran and found what --fail-on asked it to gate on;
2 bad input or usage, with one line on stderr naming the file and the problem.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from typing import IO, NoReturn

import click

from chinacomply import __version__
from chinacomply.cli import render
from chinacomply.model import TableReport
from chinacomply.services import scan as scan_service
from chinacomply.sources.base import SourceError
from chinacomply.taxonomy import taxonomy

TEXT_BLOCK_CHARS = 1 << 20


def _fail(message: str) -> NoReturn:
    click.echo(f"chinacomply: error: {message}", err=True)
    sys.exit(2)


class _Progress:
    """Rows read so far, on one stderr line, at most a few times a second; only on a TTY."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._last = 0.0

    def __call__(self, source: str, rows: int) -> None:
        now = time.monotonic()
        if self.enabled and now - self._last > 0.25:
            self._last = now
            click.echo(f"\rscanning {source}: {rows:,} rows", err=True, nl=False)

    def done(self) -> None:
        if self.enabled and self._last:
            click.echo("\r\033[K", err=True, nl=False)


@click.group()
@click.version_option(__version__, prog_name="chinacomply")
def cli() -> None:
    """Find, classify and count personal information under China's data laws."""


@cli.command()
@click.argument("targets", nargs=-1)
@click.option(
    "--text", "text_mode", is_flag=True, help="Find PI spans in free text (FILE or - for stdin)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "jsonl"]),
    default=None,
    help="table or json for tables (default table); jsonl for --text (default).",
)
@click.option(
    "--sample",
    default=scan_service.DEFAULT_SAMPLE,
    show_default=True,
    type=click.IntRange(1),
    help="Rows per table read to classify columns (individuals are counted over every row).",
)
@click.option(
    "--profile",
    default=taxonomy.DEFAULT_PROFILE,
    show_default=True,
    type=click.Choice(sorted(taxonomy.profiles())),
    help="Sensitivity profile: pipl (PIPL Art. 28) or gb35273 (identity documents sensitive).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["pi", "sensitive"]),
    default=None,
    help="Exit 1 if any table holds PI (or sensitive PI): a gate for CI.",
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress on stderr (default: when a TTY)."
)
@click.option(
    "--patterns-only",
    is_flag=True,
    help="With --text: identifiers with a shape only, no person names or addresses (faster).",
)
def scan(
    targets: tuple[str, ...],
    text_mode: bool,
    fmt: str | None,
    sample: int,
    profile: str,
    fail_on: str | None,
    progress: bool | None,
    patterns_only: bool,
) -> None:
    """Classify every column of the tables in TARGETS (files, folders, database URLs)."""
    if text_mode:
        _scan_text(targets, fmt or "jsonl", lexical=not patterns_only)
        return
    if not targets:
        _fail("scan needs a file, folder or database URL (or --text)")
    if fmt not in (None, "table", "json"):
        _fail("--format for tables is table or json")
    show = sys.stderr.isatty() if progress is None else progress
    meter = _Progress(show)
    options = scan_service.ScanOptions(sample=sample, profile=profile)
    reports: list[TableReport] = []
    try:
        for report in scan_service.scan_targets(list(targets), options, meter):
            meter.done()
            reports.append(report)
            if (fmt or "table") == "table":
                click.echo(render.table_report(report) + "\n")
    except SourceError as err:
        meter.done()
        _fail(str(err))
    if fmt == "json":
        click.echo(
            json.dumps({"tables": [r.to_dict() for r in reports]}, ensure_ascii=False, indent=2)
        )
    if fail_on == "sensitive" and any(r.sensitive for r in reports):
        sys.exit(1)
    if fail_on == "pi" and any(c.type and c.type != "uscc" for r in reports for c in r.columns):
        sys.exit(1)


def _text_blocks(stream: IO[str]) -> Iterator[str]:
    """Whole lines in blocks of about a megabyte: bounded memory, no span cut at a block edge
    except one that crosses a line break."""
    block: list[str] = []
    size = 0
    for line in stream:
        block.append(line)
        size += len(line)
        if size >= TEXT_BLOCK_CHARS:
            yield "".join(block)
            block, size = [], 0
    if block:
        yield "".join(block)


def _scan_text(targets: tuple[str, ...], fmt: str, lexical: bool) -> None:
    if fmt not in ("jsonl", "json"):
        _fail("--format for --text is jsonl or json")
    if len(targets) > 1:
        _fail("--text takes one FILE or - for stdin")
    where = targets[0] if targets else "-"
    try:
        stream = sys.stdin if where == "-" else open(where, encoding="utf-8")  # noqa: SIM115
    except OSError as err:
        _fail(f"{where}: {err.strerror}")
    offset = 0
    spans = []
    out = sys.stdout
    try:
        with stream:
            for block in _text_blocks(stream):
                for span in scan_service.scan_text(block, lexical):
                    record = span.to_dict()
                    record["start"] += offset
                    record["end"] += offset
                    if fmt == "jsonl":
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    else:
                        spans.append(record)
                offset += len(block)
    except UnicodeDecodeError:
        _fail(f"{where}: not UTF-8 text")
    if fmt == "json":
        out.write(json.dumps({"spans": spans}, ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    cli(prog_name="chinacomply")
