"""The `chinacomply` command line: argument parsing, printing and exit codes, nothing else.

Exit codes: 0 success; 1 the command ran and found what --fail-on asked it to gate on;
2 bad input or usage, with one line on stderr naming the file and the problem.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, NoReturn

import click

from chinacomply import __version__
from chinacomply.cli import render
from chinacomply.model import TableReport
from chinacomply.rules import law
from chinacomply.services import options as scan_options
from chinacomply.sources.errors import SourceError
from chinacomply.taxonomy import taxonomy

# Commands import their engines when they run (Arrow for scan, pydantic for assess), so
# `chinacomply --help` and the lighter commands start in a fraction of a second.

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
    default=scan_options.DEFAULT_SAMPLE,
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
    from chinacomply.services import scan as scan_service

    options = scan_options.ScanOptions(sample=sample, profile=profile)
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
    from chinacomply.services import scan as scan_service

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
    records: list[dict[str, object]] = []
    out = sys.stdout
    try:
        with stream:
            for block in _text_blocks(stream):
                spans = scan_service.scan_text(block, lexical)
                if fmt == "jsonl":
                    out.write("".join(span.to_json(offset) + "\n" for span in spans))
                else:
                    records.extend(
                        span.to_dict() | {"start": span.start + offset, "end": span.end + offset}
                        for span in spans
                    )
                offset += len(block)
    except UnicodeDecodeError:
        _fail(f"{where}: not UTF-8 text")
    if fmt == "json":
        out.write(json.dumps({"spans": records}, ensure_ascii=False, indent=2) + "\n")


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"{option}: expected a date YYYY-MM-DD, got {value!r}")


def _policies(pairs: tuple[str, ...]) -> dict[str, str]:
    chosen = {}
    for pair in pairs:
        name, _, option = pair.partition("=")
        policy = law.policies().get(name)
        if policy is None:
            _fail(f"--policy: unknown policy {name!r} (known: {', '.join(sorted(law.policies()))})")
        if option not in policy.options:
            _fail(f"--policy {name}: choose one of {', '.join(policy.options)}")
        chosen[name] = option
    return chosen


@cli.command()
@click.argument("facts_file", metavar="FACTS.yaml", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--as-of",
    "as_of",
    default=None,
    help="Apply the law in force on this date (default: the facts' as_of, else today).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--policy",
    "policy",
    multiple=True,
    metavar="NAME=OPTION",
    help="Answer an open legal question differently from the default (see `rules policies`).",
)
def assess(facts_file: Path, as_of: str | None, fmt: str, policy: tuple[str, ...]) -> None:
    """Decide the export pathway for the transfer described in FACTS.yaml."""
    from chinacomply.rules import calendar, engine
    from chinacomply.rules import facts as facts_model

    on = _date(as_of, "--as-of")
    chosen = _policies(policy)
    try:
        facts = facts_model.load(facts_file)
        decision = engine.evaluate(facts, on, chosen)
    except facts_model.FactsError as err:
        message = str(err)
        _fail(message if message.startswith(str(facts_file)) else f"{facts_file}: {message}")
    except calendar.CalendarRangeError as err:
        _fail(f"{facts_file}: {err}")
    if fmt == "json":
        click.echo(json.dumps(decision.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render.decision_text(decision))


@cli.group()
def rules() -> None:
    """The rule set: which rules exist, which are in force, what each one says."""


@rules.command("list")
@click.option(
    "--as-of", "as_of", default=None, help="Only the rules in force on this date (default today)."
)
def rules_list(as_of: str | None) -> None:
    on = _date(as_of, "--as-of") or dt.date.today()
    click.echo(render.rules_table([m for m in law.rules() if m.in_force(on)]))


@rules.command("explain")
@click.argument("rule_id")
def rules_explain(rule_id: str) -> None:
    try:
        meta = law.rule(rule_id)
    except KeyError:
        _fail(f"unknown rule {rule_id!r}; `chinacomply rules list` shows them")
    from chinacomply.rules.export import conditions

    doc = conditions()[meta.id].__doc__ or ""
    click.echo(render.rule_explanation(meta, doc))


@rules.command("policies")
def rules_policies() -> None:
    """Open legal questions and the answer each setting gives (change with assess --policy)."""
    for policy in law.policies().values():
        click.echo(f"{policy.name} (default: {policy.default})\n  {policy.question}")
        for option, meaning in policy.options.items():
            click.echo(f"    {option}: {meaning}")


def main() -> None:
    cli(prog_name="chinacomply")
