"""Facts, the input of `assess`, validated strictly at the edge for every pack: unknown keys,
wrong types, impossible dates (2026-02-30) and missing facts that change the outcome are errors
that name the file and the key, never a traceback and never a silent default.

Each pack declares its facts as a pydantic model derived from `PackFacts`; this module holds what
they share: the strict base, the date and timestamp types, the file reader and the messages.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, ClassVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

DEFAULT_PACK = "export"  # a facts file without `pack:` is an export, as before packs existed

# Dates and timestamps may come as YAML values or as ISO strings (JSON has neither type).
Date = Annotated[dt.date, Field(strict=False)]
Timestamp = Annotated[dt.datetime, Field(strict=False)]
Count = Annotated[int, Field(ge=0)]


class FactsError(ValueError):
    """Facts that cannot be assessed; the message names the file and the key."""


class Strict(BaseModel):
    """A section of facts: every key known, every type exact, immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PackFacts(Strict):
    """What every pack's facts share: the pack they are for and the date whose law applies."""

    PACK: ClassVar[str]

    pack: str | None = Field(default=None, description="the rule pack the facts are for")
    as_of: Date | None = Field(
        default=None,
        description="the date whose law applies (default: today; `--as-of` overrides it)",
    )


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


_PLAIN = {
    "extra_forbidden": "unknown key",
    "missing": "required: give it explicitly, it changes the outcome",
    "bool_type": "expected true or false",
    "int_type": "expected a whole number",
    "float_type": "expected a number",
    "string_type": "expected text",
    "date_type": "expected a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "expected a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "expected a date (YYYY-MM-DD), not a time",
    "date_parsing": "expected a date (YYYY-MM-DD)",
    "datetime_type": "expected a timestamp (YYYY-MM-DDTHH:MM, with +08:00 or a zone)",
    "datetime_parsing": "expected a timestamp (YYYY-MM-DDTHH:MM, with +08:00 or a zone)",
    "datetime_from_date_parsing": "expected a timestamp (YYYY-MM-DDTHH:MM, with +08:00 or a zone)",
    "model_type": "expected a mapping of keys",
    "tuple_type": "expected a list",
    "string_pattern_mismatch": "expected a two-letter ISO code such as US or HK",
    "greater_than_equal": "must not be negative",
}


def message(err: ValidationError) -> str:
    """The first problem of a validation error, as `key.path: what is wrong`."""
    first = err.errors()[0]
    problem = _PLAIN.get(first["type"])
    if problem is None:
        problem = first["msg"].removeprefix("Value error, ")
        if first["type"] == "literal_error":
            problem = problem.replace("Input should be", "expected")
    return f"{_where(first['loc'])}: {problem}" if first["loc"] else problem


def validate(model: type[PackFacts], raw: Any, source: str) -> PackFacts:
    """A pack's facts from a parsed mapping; FactsError names the source and the key."""
    if not isinstance(raw, dict):
        raise FactsError(f"{source}: expected a mapping of facts, got {type(raw).__name__}")
    try:
        return model.model_validate(raw)
    except ValidationError as err:
        raise FactsError(f"{source}: {message(err)}") from None


def pack_of(raw: Any, source: str) -> str:
    """The pack a mapping of facts names (`pack:`), the export pack when it names none."""
    if not isinstance(raw, dict):
        raise FactsError(f"{source}: expected a mapping of facts, got {type(raw).__name__}")
    name = raw.get("pack", DEFAULT_PACK)
    if name is None:
        return DEFAULT_PACK
    if not isinstance(name, str):
        raise FactsError(f"{source}: pack: expected the name of a rule pack")
    return name


class _TextDates(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML that leaves dates and timestamps as text, for the facts model to parse: so an
    impossible date (2026-02-30) is an error naming its key, not a bare ValueError of YAML."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read(path: Path) -> Any:
    """The parsed YAML (or JSON, which is YAML) of a facts file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise FactsError(f"{path}: {err.strerror}") from None
    except UnicodeDecodeError:
        raise FactsError(f"{path}: not UTF-8 text") from None
    try:
        return yaml.load(text, Loader=_TextDates)
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        raise FactsError(f"{path}: not valid YAML{line}") from None
