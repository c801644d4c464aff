"""The Python API: `scan`, `scan_text` and `assess`, the library face of `chinacomply scan`,
`chinacomply scan --text` and `chinacomply assess`. Each one calls the same service as its
command, so a table, a text or a facts file gets the same answer from either.

`chinacomply/__init__.py` re-exports these names; import them from `chinacomply`, not from
here. Engines load when a function first runs (Arrow for `scan`, pydantic for `assess`), so
`import chinacomply` stays light. docs/python-api.md shows each call.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from chinacomply.model import Decision, Span, TableReport
from chinacomply.services import options
from chinacomply.taxonomy import taxonomy

Target = str | os.PathLike[str]


def scan(
    targets: Target | Iterable[Target],
    *,
    sample: int = options.DEFAULT_SAMPLE,
    profile: str = taxonomy.DEFAULT_PROFILE,
) -> list[TableReport]:
    """One report per table under `targets`: a file, a folder (walked in sorted order) or a
    database URL, or a list of them. Columns are classified from `sample` rows of each table;
    individuals are counted over every row. `profile` is the sensitivity profile (`pipl`, or
    `gb35273` where identity documents are sensitive too).

    Raises `SourceError` for the first table that cannot be read and `UnknownProfileError`
    (a ValueError) for a profile the taxonomy does not define; `ValueError` for `sample < 1`.
    """
    from chinacomply.services import scan as service

    if isinstance(targets, str | os.PathLike):
        targets = [targets]
    named = [os.fspath(t) for t in targets]
    if isinstance(sample, bool) or not isinstance(sample, int) or sample < 1:
        raise ValueError(f"sample: expected a whole number of rows, at least 1, got {sample!r}")
    return list(service.scan_targets(named, options.ScanOptions(sample=sample, profile=profile)))


def scan_text(text: str, *, patterns_only: bool = False) -> list[Span]:
    """The PI found in free text, in offset order: each span's type, score, code-point
    offsets into `text` and its value masked (the raw value never leaves the scanner).
    `patterns_only=True` finds identifiers with a shape only, not person names or addresses
    (faster on large logs), like `scan --text --patterns-only`."""
    from chinacomply.services import scan as service

    if not isinstance(text, str):
        raise TypeError(f"scan_text: expected str, got {type(text).__name__}")
    return service.scan_text(text, lexical=not patterns_only)


def assess(
    facts: Mapping[str, Any] | str | os.PathLike[str],
    as_of: dt.date | str | None = None,
    policies: Mapping[str, str] | None = None,
) -> Decision:
    """What the law requires for a case: `facts` is a mapping (the content of a facts file)
    or the path of a YAML or JSON facts file. The pack is the one the facts name (`pack:`,
    export when absent). `as_of` (a date or `YYYY-MM-DD`) applies the law in force that day,
    over the facts' own `as_of`; `policies` answers open legal questions
    (`{"name": "option"}`, see `chinacomply rules policies`).

    Raises `FactsError` (a ValueError) naming the key for facts that cannot be assessed, an
    unknown policy or option, a date outside the shipped calendars, or a file that cannot be
    read: the cases `chinacomply assess` reports in one line with exit 2.
    """
    from chinacomply.rules import calendar
    from chinacomply.rules import facts as facts_files
    from chinacomply.services import assess as service

    if isinstance(facts, str | os.PathLike):
        path = Path(facts)
        raw: Any = facts_files.read(path)
        source = str(path)
    elif isinstance(facts, Mapping):
        raw, source = dict(facts), "facts"
    else:
        raise TypeError(f"assess: expected a mapping or a path, got {type(facts).__name__}")
    on = _date(as_of)
    chosen = dict(policies) if policies is not None else None
    try:
        return service.assess(raw, source, on, chosen)
    except calendar.CalendarRangeError as err:  # a date outside the shipped holiday calendars
        raise facts_files.FactsError(f"{source}: {err}") from err


def _date(value: dt.date | str | None) -> dt.date | None:
    from chinacomply.rules.facts import FactsError

    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise FactsError(f"as_of: expected a date YYYY-MM-DD, got {value!r}")
