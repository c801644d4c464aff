"""The scan use case: open every table the user named, classify it from a sample, then stream
its subject key over every row to count distinct individuals exactly."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from chinacomply.classify import table as table_classifier
from chinacomply.classify.individuals import DistinctCounter
from chinacomply.model import Span, TableReport
from chinacomply.scan import text as text_scan
from chinacomply.services.options import ScanOptions
from chinacomply.sources import discover
from chinacomply.sources.base import SourceError, TableSource
from chinacomply.taxonomy import taxonomy

Progress = Callable[[str, int], None]  # (table source, rows read so far)


def scan_table(
    source: TableSource, options: ScanOptions, progress: Progress | None = None
) -> TableReport:
    """Classify one table and count its individuals over every row."""
    sample = source.sample(options.sample)
    columns = table_classifier.classify_sample(sample, options.profile)
    key = table_classifier.subject_key(columns)
    rows = 0
    counter = DistinctCounter(key.type) if key is not None and key.type else None
    # One streamed pass over the key column (or the first column, just to count rows).
    wanted = [key.name] if key is not None else source.columns()[:1]
    if wanted:
        for batch in source.batches(wanted):
            rows += batch.num_rows
            if counter is not None:
                counter.add(batch.column(0))
            if progress is not None:
                progress(source.source, rows)
    return TableReport(
        source=source.source,
        name=source.name,
        rows=rows,
        columns=columns,
        subject_key=key.name if key is not None else None,
        individuals=counter.count() if counter is not None else None,
        profile=options.profile,
        minors=counter.minors() if counter is not None else None,
    )


def scan_targets(
    targets: list[str],
    options: ScanOptions,
    progress: Progress | None = None,
    on_error: discover.OnError | None = None,
) -> Iterator[TableReport]:
    """Every table under the targets, in order. Without `on_error`, raises SourceError at the
    first bad one. With it, a table or file that cannot be read (when opened, sampled or
    streamed) goes to `on_error` and the scan goes on with the next: the caller decides how
    to report it and what the exit status is."""
    taxonomy.profile(options.profile)
    for source in discover.open_tables(targets, on_error):
        try:
            report = scan_table(source, options, progress)
        except SourceError as err:
            if on_error is None:
                raise
            on_error(err)
            continue
        yield report


def scan_text(text: str, lexical: bool = True) -> list[Span]:
    """PI spans in free text (masked values, code-point offsets); `lexical=False` leaves out
    person names and addresses, which need dictionary lookups, for speed on large logs."""
    return text_scan.find_spans(text, lexical)
