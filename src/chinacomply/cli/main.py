"""The `chinacomply` command line: argument parsing, printing and exit codes, nothing else.

Exit codes: 0 success; 1 the command ran and found what --fail-on asked it to gate on;
2 bad input or usage, with one line on stderr naming the file and the problem.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NoReturn

import click

from chinacomply import __version__
from chinacomply.cli import render
from chinacomply.model import TableReport
from chinacomply.services import options as scan_options
from chinacomply.sources.errors import SourceError
from chinacomply.taxonomy import taxonomy

# Commands import their engines when they run (Arrow for scan, pydantic for assess), so
# `chinacomply --help` and the lighter commands start in a fraction of a second.

TEXT_BLOCK_CHARS = 1 << 20
_DB_HELP = "Database URL or SQLite path (default: CHINACOMPLY_DB, config.toml, CHINACOMPLY_HOME)."


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


class _Failures:
    """Unreadable tables in a scan of many: one stderr line each, as they happen; the others
    are still scanned (and stored), and the command exits 2 at the end."""

    def __init__(self, before: Callable[[], None] | None = None) -> None:
        self.count = 0
        self._before = before  # e.g. clear the progress line first

    def __call__(self, err: SourceError) -> None:
        if self._before is not None:
            self._before()
        self.count += 1
        click.echo(f"chinacomply: error: {err}", err=True)

    def exit_if_any(self) -> None:
        if self.count:
            sys.exit(2)


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
    failed = _Failures(meter.done)
    for report in scan_service.scan_targets(list(targets), options, meter, failed):
        meter.done()
        reports.append(report)
        if (fmt or "table") == "table":
            click.echo(render.table_report(report) + "\n")
    meter.done()
    if fmt == "json":
        click.echo(
            json.dumps({"tables": [r.to_dict() for r in reports]}, ensure_ascii=False, indent=2)
        )
    failed.exit_if_any()
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
@click.option(
    "--from-inventory",
    is_flag=True,
    help="Take the counts the pack can get from the inventory (face data, individuals "
    "processed) from the datasets recorded there; the trace names each dataset.",
)
@click.option("--db", default=None, help=_DB_HELP)
def assess(
    facts_file: Path,
    as_of: str | None,
    fmt: str,
    policy: tuple[str, ...],
    from_inventory: bool,
    db: str | None,
) -> None:
    """Decide what the law requires for the case in FACTS.yaml, with the rule pack it names
    (`pack: export | frt | incident | audit`; export when absent). docs/facts/ lists the facts
    of each pack."""
    decision = _decide(facts_file, as_of, policy, from_inventory, db)
    if fmt == "json":
        click.echo(json.dumps(decision.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render.decision_text(decision))


def _decide(
    facts_file: Path,
    as_of: str | None,
    policy: tuple[str, ...],
    from_inventory: bool = False,
    db: str | None = None,
) -> Any:
    """The decision for a facts file; every input problem is one line and exit 2."""
    from chinacomply.rules import calendar, engine
    from chinacomply.rules import facts as facts_file_reader
    from chinacomply.rules.facts import FactsError
    from chinacomply.services import assess as assessing

    on = _date(as_of, "--as-of")
    try:
        chosen = engine.policy_settings(policy)
        raw = facts_file_reader.read(facts_file)
        if not from_inventory:
            return assessing.assess(raw, str(facts_file), on, chosen)
        with _store(db) as store:
            return assessing.assess(raw, str(facts_file), on, chosen, store)
    except FactsError as err:
        message = str(err)
        _fail(message if message.startswith(str(facts_file)) else f"{facts_file}: {message}")
    except calendar.CalendarRangeError as err:
        _fail(f"{facts_file}: {err}")


@contextmanager
def _store(db: str | None) -> Iterator[Any]:
    """The inventory store, read-only use; a store that cannot be opened is one line, exit 2."""
    from chinacomply import config
    from chinacomply.inventory.store import StoreError, open_store

    try:
        store = open_store(config.settings(db).db_url)
    except (config.ConfigError, StoreError) as err:
        _fail(str(err))
    try:
        yield store
    finally:
        store.close()


@cli.group()
def incident() -> None:
    """Cybersecurity incidents: what is due, to whom, and how long is left."""


@incident.command("clock")
@click.argument("facts_file", metavar="FACTS.yaml", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--now",
    "now",
    default=None,
    help="The moment to count from (YYYY-MM-DDTHH:MM[+08:00]; default: the current time).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--fail-on-overdue", is_flag=True, help="Exit 1 if anything is overdue.")
def incident_clock(facts_file: Path, now: str | None, fmt: str, fail_on_overdue: bool) -> None:
    """What is due next for the incident in FACTS.yaml and how long is left: the report to
    the authority in hours from discovery, the closing report, the other dated duties."""
    from chinacomply.rules import clock

    moment = _moment(now)
    decision = _decide(facts_file, None, ())
    if decision.pack != "incident":
        _fail(f"{facts_file}: pack: the clock is for incident facts (pack: incident)")
    due = clock.due(decision, moment)
    if fmt == "json":
        click.echo(json.dumps(clock.to_dict(decision, due, moment), ensure_ascii=False, indent=2))
    else:
        click.echo(render.clock_text(decision, due, moment))
    if fail_on_overdue and any(item.overdue for item in due):
        sys.exit(1)


def _moment(value: str | None) -> dt.datetime:
    from chinacomply.rules import periods

    if value is None:
        return dt.datetime.now(periods.CHINA)
    try:
        return periods.aware(dt.datetime.fromisoformat(value))
    except ValueError:
        _fail(f"--now: expected a moment YYYY-MM-DDTHH:MM (with +08:00 or a zone), got {value!r}")


@cli.group()
def rules() -> None:
    """The rule packs: which rules exist, which are in force, what each one says."""


@rules.command("list")
@click.option("--pack", "pack_id", default=None, help="Only this pack's rules (default: all).")
@click.option(
    "--as-of", "as_of", default=None, help="Only the rules in force on this date (default today)."
)
def rules_list(pack_id: str | None, as_of: str | None) -> None:
    """Every rule and duty in force on a date, pack by pack."""
    on = _date(as_of, "--as-of") or dt.date.today()
    chosen = _packs(pack_id)
    blocks = []
    for found in chosen:
        metas = [m for m in (*found.rules, *found.duties) if m.in_force(on)]
        blocks.append(render.rules_table(found, metas))
    click.echo("\n\n".join(blocks))


def _packs(pack_id: str | None) -> list[Any]:
    from chinacomply.rules import pack as packs

    if pack_id is None:
        return list(packs.packs().values())
    known = packs.packs()
    if pack_id not in known:
        _fail(f"--pack: unknown rule pack {pack_id!r} (known: {', '.join(sorted(known))})")
    return [known[pack_id]]


@rules.command("explain")
@click.argument("rule_id")
def rules_explain(rule_id: str) -> None:
    """A rule's instrument, article, dates, what it checks and why, from the data and code."""
    from chinacomply.rules import pack as packs

    try:
        meta = packs.find_rule(rule_id)
    except KeyError:
        _fail(f"unknown rule {rule_id!r}; `chinacomply rules list` shows them")
    found = packs.packs()[meta.pack]
    click.echo(render.rule_explanation(found, meta))


@rules.command("reference")
@click.option("--pack", "pack_id", required=True, help="The pack to describe.")
def rules_reference(pack_id: str) -> None:
    """A pack's facts, outcomes, rules, duties, parameters and policies, as Markdown (the
    text of docs/facts/PACK.md)."""
    from chinacomply.rules import reference

    click.echo(reference.markdown(_packs(pack_id)[0]), nl=False)


@rules.command("policies")
@click.option("--pack", "pack_id", default=None, help="Only this pack's policies.")
def rules_policies(pack_id: str | None) -> None:
    """Open legal questions and the answer each setting gives (change with assess --policy)."""
    for found in _packs(pack_id):
        for policy in found.policies.values():
            click.echo(
                f"{policy.name} ({found.id}; default: {policy.default})\n  {policy.question}"
            )
            for option, meaning in policy.options.items():
                click.echo(f"    {option}: {meaning}")


# --- inventory, filings, exports and the ledger ------------------------------------------


@contextmanager
def _workspace(db: str | None) -> Iterator[tuple[Any, bytes]]:
    """The store and the ledger key for this run; every failure becomes one line and exit 2."""
    from chinacomply import config
    from chinacomply.inventory.store import StoreError, open_store
    from chinacomply.ledger import keys as ledger_keys
    from chinacomply.rules.facts import FactsError
    from chinacomply.services.export import WorkflowError

    try:
        settings = config.settings(db)
        store = open_store(settings.db_url)
    except (config.ConfigError, StoreError) as err:
        _fail(str(err))
    try:
        yield store, ledger_keys.load_or_create(settings.key_file)
    except (WorkflowError, FactsError, SourceError, ledger_keys.KeyFileError, ValueError) as err:
        _fail(str(err))
    finally:
        store.close()


@cli.group()
def inventory() -> None:
    """Datasets and what they hold, kept in the inventory database."""


@inventory.command("add")
@click.argument("targets", nargs=-1, required=True)
@click.option("--db", default=None, help=_DB_HELP)
@click.option(
    "--sample", default=scan_options.DEFAULT_SAMPLE, show_default=True, type=click.IntRange(1)
)
@click.option(
    "--profile",
    default=taxonomy.DEFAULT_PROFILE,
    show_default=True,
    type=click.Choice(sorted(taxonomy.profiles())),
)
def inventory_add(targets: tuple[str, ...], db: str | None, sample: int, profile: str) -> None:
    """Scan TARGETS (files, folders, database URLs) and store the datasets found."""
    from chinacomply.services import inventory as inventory_service

    options = scan_options.ScanOptions(sample=sample, profile=profile)
    failed = _Failures()
    with _workspace(db) as (store, _):
        for dataset_id, report in inventory_service.add(
            store, list(targets), options, on_error=failed
        ):
            people = "-" if report.individuals is None else f"{report.individuals:,}"
            click.echo(
                f"dataset {dataset_id}: {report.source} ({report.rows:,} rows, "
                f"{people} individuals, {'sensitive' if report.sensitive else 'not sensitive'})"
            )
    failed.exit_if_any()


@inventory.command("list")
@click.option("--db", default=None, help=_DB_HELP)
def inventory_list(db: str | None) -> None:
    """The datasets in the inventory."""
    from chinacomply.services import inventory as inventory_service

    with _workspace(db) as (store, _):
        for d in inventory_service.listing(store):
            people = "-" if d.individuals is None else f"{d.individuals:,}"
            click.echo(
                f"{d.id:>4}  {d.name:<24} {people:>12} individuals  "
                f"key {d.subject_key or '-':<12} {d.source}"
            )


@cli.group()
def filing() -> None:
    """Mechanisms in place for a recipient (assessment results, filed contracts, certificates)."""


@filing.command("add")
@click.option("--recipient", required=True)
@click.option(
    "--region", required=True, help="ISO code of the recipient's country or region (HK, US...)."
)
@click.option(
    "--mechanism",
    required=True,
    type=click.Choice(
        ["security_assessment", "standard_contract", "certification", "gba_standard_contract"]
    ),
)
@click.option(
    "--valid-from",
    "valid_from",
    required=True,
    help="Date the result, filing or certificate took effect.",
)
@click.option("--reference", default="", help="The approval or filing number.")
@click.option("--db", default=None, help=_DB_HELP)
def filing_add(
    recipient: str, region: str, mechanism: str, valid_from: str, reference: str, db: str | None
) -> None:
    from chinacomply.services import export as export_service

    start = _date(valid_from, "--valid-from")
    assert start is not None
    with _workspace(db) as (store, _):
        filed = export_service.add_filing(
            store, recipient, region.upper(), mechanism, start, reference
        )
    click.echo(f"filing {filed.id}: {mechanism} for {recipient} from {start}")


@cli.group()
def export() -> None:
    """Plan an export (count, decide) and record it in the ledger."""


@export.command("plan")
@click.option("--dataset", "dataset", required=True, help="Dataset id, source or name.")
@click.option("--recipient", required=True)
@click.option("--region", required=True, help="ISO code of the recipient's country or region.")
@click.option(
    "--contract-with-individual",
    "ground",
    flag_value="contract",
    help="Necessary for a contract with the individual (P24 Art. 5(1)).",
)
@click.option(
    "--hr-management",
    "ground",
    flag_value="hr",
    help="Necessary for cross-border HR management (P24 Art. 5(2)).",
)
@click.option(
    "--emergency",
    "ground",
    flag_value="emergency",
    help="Necessary in an emergency (P24 Art. 5(3)).",
)
@click.option(
    "--statutory-duty",
    "ground",
    flag_value="statutory",
    help="Necessary to perform a statutory duty or obligation (NDSMR Art. 35(6)).",
)
@click.option("--as-of", "as_of", default=None, help="Date of the transfer (default today).")
@click.option(
    "--facts",
    "facts_file",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="More facts (handler, data flags) in the FACTS.yaml format; volumes are computed.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--db", default=None, help=_DB_HELP)
def export_plan(
    dataset: str,
    recipient: str,
    region: str,
    ground: str | None,
    as_of: str | None,
    facts_file: Path | None,
    fmt: str,
    db: str | None,
) -> None:
    """Count the individuals the transfer adds to the window, decide, store the plan."""
    from chinacomply.datafiles import load_yaml
    from chinacomply.services import export as export_service

    on = _date(as_of, "--as-of") or dt.date.today()
    extra: dict[str, Any] = {}
    if facts_file is not None:
        try:
            extra = load_yaml(facts_file.read_text("utf-8")) or {}
        except OSError as err:
            _fail(f"{facts_file}: {err.strerror}")
    with _workspace(db) as (store, key):
        made = export_service.plan(
            store, key, dataset, recipient, region.upper(), on, ground, extra
        )
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "plan_id": made.plan_id,
                    "individuals": made.individuals,
                    "new_non_sensitive": made.new_non_sensitive,
                    "new_sensitive": made.new_sensitive,
                    "decision": made.decision.to_dict(),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(f"plan {made.plan_id}")
    click.echo(
        f"{made.individuals:,} individuals; new to the window: {made.new_non_sensitive:,} "
        f"non-sensitive, {made.new_sensitive:,} sensitive\n"
    )
    click.echo(render.decision_text(made.decision))


@export.command("record")
@click.argument("plan_id")
@click.option(
    "--force", is_flag=True, help="Record even if the filing the decision requires is missing."
)
@click.option("--db", default=None, help=_DB_HELP)
def export_record(plan_id: str, force: bool, db: str | None) -> None:
    """Commit a planned export to the ledger (recording twice never counts twice)."""
    from chinacomply.services import export as export_service

    with _workspace(db) as (store, _):
        done = export_service.record(store, plan_id, force)
    if not done.newly_recorded:
        click.echo(f"plan {plan_id} was already recorded; nothing changed")
        return
    click.echo(
        f"recorded plan {plan_id}: window totals now {done.after.non_sensitive:,} "
        f"non-sensitive, {done.after.sensitive:,} sensitive"
    )
    for message in done.crossed:
        click.echo(f"ESCALATION: {message}")


@cli.group()
def ledger() -> None:
    """Distinct individuals exported per counting window."""


@ledger.command("status")
@click.option(
    "--year", type=int, default=None, help="The window ending in this year (default: today's)."
)
@click.option("--as-of", "as_of", default=None, help="The window in force on this date.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--db", default=None, help=_DB_HELP)
def ledger_status(year: int | None, as_of: str | None, fmt: str, db: str | None) -> None:
    """Totals in the counting window against every threshold, with headroom."""
    from chinacomply.services import export as export_service

    on = _date(as_of, "--as-of") or (dt.date(year, 12, 31) if year else dt.date.today())
    with _workspace(db) as (store, _):
        totals = export_service.status(store, on)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "as_of": on.isoformat(),
                    "window": totals.window,
                    "years": list(totals.years),
                    "non_sensitive": totals.non_sensitive,
                    "sensitive": totals.sensitive,
                    "thresholds": totals.thresholds,
                },
                indent=2,
            )
        )
        return
    span = "-".join(str(y) for y in totals.years)
    click.echo(
        f"counting window {span} ({totals.window}) on {on}: "
        f"{totals.non_sensitive:,} non-sensitive, {totals.sensitive:,} sensitive individuals"
    )
    for row in totals.thresholds:
        mark = "REACHED" if row["reached"] else "WARNING 80%" if row["warning"] else "ok"
        click.echo(
            f"  {row['counter']:<14} {row['total']:>12,} / {row['threshold']:>9,}  "
            f"headroom {row['headroom']:>9,}  {mark:<11} {row['meaning']}"
        )


# --- AI-generated content labels ---------------------------------------------------------


@cli.group()
def aigc() -> None:
    """AI-generated content labels (LBL25, GB 45438-2025): check them, write them."""


def _read_trust(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        pem = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        _fail(f"{path}: cannot read the trust anchors ({getattr(err, 'strerror', None) or err})")
    if "-----BEGIN CERTIFICATE-----" not in pem:
        _fail(f"{path}: not a PEM file of trust-anchor certificates")
    return pem


@aigc.command("check")
@click.argument("targets", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option(
    "--as",
    "role",
    type=click.Choice(["provider", "platform"]),
    default="provider",
    show_default=True,
    help="platform: also decide the LBL25 Art. 6 action for each upload.",
)
@click.option(
    "--user-declared", is_flag=True, help="With --as platform: the uploader declared AI content."
)
@click.option(
    "--trust",
    "trust",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="PEM trust anchors for C2PA signers (a valid manifest by one of them is 'trusted').",
)
@click.option(
    "--as-of", "as_of", default=None, help="Apply the rules of this date (default today)."
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default=None,
    help="Exit 1 if any file has a finding this serious: a gate for CI or an upload pipeline.",
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a TTY)."
)
def aigc_check(
    targets: tuple[str, ...],
    fmt: str,
    role: str,
    user_declared: bool,
    trust: Path | None,
    as_of: str | None,
    fail_on: str | None,
    progress: bool | None,
) -> None:
    """Report the explicit, implicit and C2PA label state of files and folders."""
    from chinacomply.aigc.check import SEVERITY_ORDER
    from chinacomply.services import aigc as aigc_service

    options = aigc_service.CheckOptions(
        on=_date(as_of, "--as-of") or dt.date.today(),
        as_platform=role == "platform",
        user_declared=user_declared,
        trust_anchors_pem=_read_trust(trust),
    )
    try:
        paths = list(aigc_service.files(list(targets)))
    except aigc_service.AigcError as err:
        _fail(str(err))
    show = (sys.stderr.isatty() if progress is None else progress) and len(paths) > 1
    reports = []
    with click.progressbar(
        paths, label="checking", file=sys.stderr if show else io.StringIO()
    ) as bar:
        for path in bar:
            report = aigc_service.check_file(path, options)
            reports.append(report)
    for report in reports if fmt == "table" else ():
        click.echo(render.aigc_check(report) + "\n")
    if fmt == "json":
        payload = {"as_of": options.on.isoformat(), "files": [r.to_dict() for r in reports]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    if fail_on is not None:
        gate = SEVERITY_ORDER[fail_on]
        if any(r.worst is not None and SEVERITY_ORDER[r.worst] <= gate for r in reports):
            sys.exit(1)


@aigc.command("label")
@click.argument("targets", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--producer", default=None, help="ContentProducer: your provider code (or name).")
@click.option(
    "--produce-id",
    "produce_id",
    default=None,
    help="ProduceID; over several files use {stem} or {n} to keep it unique.",
)
@click.option(
    "--label",
    "label_value",
    type=click.Choice(["1", "2", "3"]),
    default="1",
    show_default=True,
    help="1 AI-generated, 2 may be, 3 suspected.",
)
@click.option("--reserved-code1", default="", help="ReservedCode1: the producer's security data.")
@click.option("--propagator", default=None, help="A platform's code: add propagation elements.")
@click.option("--propagate-id", "propagate_id", default=None, help="PropagateID (with {stem}/{n}).")
@click.option("--reserved-code2", default="", help="ReservedCode2: the propagator's security data.")
@click.option(
    "--user-declared", is_flag=True, help="With --propagator: the uploader declared AI content."
)
@click.option(
    "--explicit", is_flag=True, help="Also add the visible or audible label for the content type."
)
@click.option(
    "--text",
    "explicit_text",
    default=None,
    help="Wording of the explicit label (default: AI生成; in text 本内容由人工智能生成).",
)
@click.option("--position", default="bottom-right", show_default=True)
@click.option(
    "--font",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="A CJK font for wordings the bundled font cannot draw.",
)
@click.option("--c2pa-cert", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--c2pa-key", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Output file (one input) or folder (several); default: label in place.",
)
@click.option("--as-of", "as_of", default=None)
@click.option("--progress/--no-progress", default=None)
def aigc_label(
    targets: tuple[Path, ...],
    producer: str | None,
    produce_id: str | None,
    label_value: str,
    reserved_code1: str,
    propagator: str | None,
    propagate_id: str | None,
    reserved_code2: str,
    user_declared: bool,
    explicit: bool,
    explicit_text: str | None,
    position: str,
    font: Path | None,
    c2pa_cert: Path | None,
    c2pa_key: Path | None,
    output: Path | None,
    as_of: str | None,
    progress: bool | None,
) -> None:
    """Write the implicit label (and with --explicit the visible or audible one) onto files."""
    from chinacomply.services import aigc as aigc_service

    if (c2pa_cert is None) != (c2pa_key is None):
        _fail("--c2pa-cert and --c2pa-key go together")
    try:
        paths = list(aigc_service.files([str(t) for t in targets]))
    except aigc_service.AigcError as err:
        _fail(str(err))
    many = len(paths) > 1 or any(t.is_dir() for t in targets)
    for template, option in ((produce_id, "--produce-id"), (propagate_id, "--propagate-id")):
        if many and template and "{stem}" not in template and "{n}" not in template:
            _fail(f"{option}: several files need {{stem}} or {{n}} in the ID to keep it unique")
    targets_of = {path: _label_target(path, targets, output, many) for path in paths}
    clash = _first_clash(targets_of)
    if clash:
        _fail(f"{clash[0]} and {clash[1]} would both be written to {targets_of[clash[0]]}")
    show = (sys.stderr.isatty() if progress is None else progress) and len(paths) > 1
    with click.progressbar(
        list(enumerate(paths, 1)), label="labelling", file=sys.stderr if show else io.StringIO()
    ) as bar:
        for n, path in bar:
            request = aigc_service.LabelRequest(
                on=_date(as_of, "--as-of") or dt.date.today(),
                producer=producer,
                produce_id=_fill(produce_id, path, n),
                label=label_value,
                reserved_code1=reserved_code1,
                propagator=propagator,
                propagate_id=_fill(propagate_id, path, n),
                reserved_code2=reserved_code2,
                user_declared=user_declared,
                explicit=explicit,
                explicit_text=explicit_text,
                position=position,
                font=font,
                c2pa_cert=c2pa_cert,
                c2pa_key=c2pa_key,
            )
            try:
                done = aigc_service.label_file(path, targets_of[path], request)
            except aigc_service.AigcError as err:
                _fail(str(err))  # the files written so far are already listed above
            extra = f"; {done.explicit}" if done.explicit else ""
            signed = "; C2PA signed" if done.signed else ""
            click.echo(f"{done.path}: {done.format} label {done.label.to_json()}{extra}{signed}")
            for note in done.notes:
                click.echo(f"  note: {note}", err=True)


def _first_clash(targets_of: dict[Path, Path]) -> tuple[Path, Path] | None:
    """Two inputs that would be written to the same output file, if any."""
    seen: dict[Path, Path] = {}
    for source, target in targets_of.items():
        key = target.resolve()
        if key in seen:
            return seen[key], source
        seen[key] = source
    return None


def _fill(template: str | None, path: Path, n: int) -> str | None:
    if template is None:
        return None
    return template.replace("{stem}", path.stem).replace("{n}", str(n))


def _label_target(path: Path, targets: tuple[Path, ...], output: Path | None, many: bool) -> Path:
    """In place without -o; -o names the file for one input, a folder mirroring the inputs for
    several."""
    if output is None:
        return path
    if not many:
        return output
    for root in targets:
        if root.is_dir() and path.is_relative_to(root):
            return output / path.relative_to(root)
    return output / path.name


# --- the server and its tokens -------------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1))
@click.option("--db", default=None, help=_DB_HELP)
def serve(host: str, port: int, workers: int, db: str | None) -> None:
    """The REST API (/api, OpenAPI at /docs) and the web dashboard (/)."""
    import os

    import uvicorn

    from chinacomply import config

    try:
        settings = config.settings(db)
    except config.ConfigError as err:
        _fail(str(err))
    os.environ["CHINACOMPLY_DB"] = settings.db_url  # every worker opens the same store
    with _workspace(db):
        pass  # fail here, in one line, if the store or the key cannot be opened
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: serving on {host}, beyond this machine", err=True)
    uvicorn.run(
        "chinacomply.api.app:from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )


@cli.group()
def token() -> None:
    """API tokens (read or write scope), stored hashed."""


@token.command("create")
@click.option("--scope", type=click.Choice(["read", "write"]), required=True)
@click.option("--name", default="", help="Who or what the token is for.")
@click.option("--db", default=None, help=_DB_HELP)
def token_create(scope: str, name: str, db: str | None) -> None:
    """Create a token and print its secret once (only its hash is kept)."""
    from chinacomply.services import tokens

    with _workspace(db) as (store, _):
        made, secret = tokens.create(store, scope, name or f"{scope} token")
    click.echo(secret)
    click.echo(
        f"token {made.id} ({made.scope}): keep the secret above, it is not shown again", err=True
    )


def main() -> None:
    cli(prog_name="chinacomply")
