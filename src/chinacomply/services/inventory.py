"""The inventory use case: scan tables and keep what the scan found, in one transaction per
table, with an audit event for each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from chinacomply.inventory import models, repository
from chinacomply.inventory.store import Store
from chinacomply.model import TableReport
from chinacomply.services import scan as scan_service
from chinacomply.services.options import ScanOptions
from chinacomply.sources.discover import OnError


def _system(source: str) -> str:
    """The system a table belongs to: the database URL, or the folder of a file."""
    if "://" in source:
        return source.rsplit("#", 1)[0]
    return str(Path(source.split(":", 1)[0]).parent)


def add(
    store: Store,
    targets: list[str],
    options: ScanOptions,
    who: str = "cli",
    progress: scan_service.Progress | None = None,
    on_error: OnError | None = None,
) -> Iterator[tuple[int, TableReport]]:
    """Scan every table under the targets and store it; yields (dataset id, report). Files are
    stored by absolute path, so a later export plan finds them from any working folder.

    A table is stored only once its scan is complete, in its own transaction, so a file that
    fails mid-read leaves nothing behind; with `on_error` it is reported there and the other
    tables are still scanned and stored (see `scan.scan_targets`)."""
    absolute = [t if "://" in t else str(Path(t).resolve()) for t in targets]
    for report in scan_service.scan_targets(absolute, options, progress, on_error):
        with store.transaction() as session:
            dataset = repository.save_dataset(session, report, _system(report.source))
            session.flush()
            repository.audit(
                session,
                who,
                "inventory add",
                "dataset",
                dataset.id,
                {"source": report.source, "individuals": report.individuals},
            )
            dataset_id = dataset.id
        yield dataset_id, report


def listing(store: Store) -> list[models.Dataset]:
    with store.transaction() as session:
        return list(repository.datasets(session))
