"""The law every rule pack shares: the instrument registry, and the readers of dated parameters
and named policy settings, whoever holds them.

Instruments live once, in `rules/data/instruments.yaml`; a pack's rules, duties and parameters
cite them by id. Dated parameters that belong to no decision pack (the AIGC label values read
by `chinacomply.aigc`) live in `rules/data/parameters.yaml`; each pack keeps its own beside its
rules. Loading checks the data against itself (every citation names a registered instrument,
every parameter value is dated and cited), so a bad amendment fails at once, naming the file
and the key, instead of deciding wrongly later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from chinacomply import datafiles
from chinacomply.model import Citation

CORE_FILES = ("instruments.yaml", "parameters.yaml", "holidays.yaml")


class LawDataError(ValueError):
    """The rule data is inconsistent; the message names the file and key."""


def read_core(name: str) -> str:
    """The text of a core data file (rules/data/NAME)."""
    return datafiles.read_text("chinacomply.rules", f"data/{name}")


def mapping(text: str, where: str, key: str) -> dict[str, Any]:
    """The mapping under `key` of a YAML document, or a LawDataError naming the file."""
    data = datafiles.load_yaml(text)
    if not isinstance(data, dict) or not isinstance(data.get(key), dict | list):
        raise LawDataError(f"{where}: expected a mapping with a {key!r} key")
    return data


@dataclass(frozen=True, slots=True)
class Instrument:
    id: str
    kind: str
    zh: str
    en: str
    issuer: str
    published: dt.date | None
    in_force: dt.date | None
    url: str | None
    note: str | None = None


@cache
def instruments() -> dict[str, Instrument]:
    out = {}
    for id_, raw in mapping(read_core("instruments.yaml"), "instruments.yaml", "instruments")[
        "instruments"
    ].items():
        out[id_] = Instrument(
            id_,
            raw["kind"],
            raw["zh"],
            raw["en"],
            raw["issuer"],
            raw.get("published"),
            raw.get("in_force"),
            raw.get("url"),
            " ".join(str(raw["note"]).split()) if raw.get("note") else None,
        )
    return out


def check_citation(where: str, instrument: str) -> None:
    if instrument not in instruments():
        raise LawDataError(f"{where}: instrument {instrument!r} is not in instruments.yaml")


def citation(where: str, raw: dict[str, Any]) -> Citation:
    """The (instrument, article) an entry cites, checked against the registry."""
    if "instrument" not in raw or "article" not in raw:
        raise LawDataError(f"{where}: needs an instrument and an article")
    check_citation(where, raw["instrument"])
    return Citation(raw["instrument"], str(raw["article"]))


@dataclass(frozen=True, slots=True)
class ParameterValue:
    name: str
    value: Any
    effective_from: dt.date
    citation: Citation
    source: str | None
    note: str | None
    mark: str | None = None  # R: from a reliable secondary; U: unverified (shown in the trace)


MARKS = {"T": "text read", "R": "reliable secondary", "U": "unverified"}


def parse_parameters(text: str, where: str) -> dict[str, tuple[ParameterValue, ...]]:
    """Each parameter's dated values, oldest first, from a parameters.yaml text."""
    out = {}
    for name, raw in mapping(text, where, "parameters")["parameters"].items():
        values = []
        for start, entry in sorted(raw["values"].items()):
            at = f"{where}: {name}.{start}"
            if not isinstance(start, dt.date) or not isinstance(entry, dict):
                raise LawDataError(f"{at}: needs a date key, an instrument and an article")
            if entry.get("mark", "T") not in MARKS:
                raise LawDataError(f"{at}: mark must be one of {', '.join(MARKS)}")
            values.append(
                ParameterValue(
                    name,
                    entry["value"],
                    start,
                    citation(at, entry),
                    entry.get("source"),
                    entry.get("note"),
                    entry.get("mark"),
                )
            )
        out[name] = tuple(values)
    return out


def value_on(values: tuple[ParameterValue, ...], on: dt.date, where: str) -> ParameterValue:
    """The value in force on a date."""
    current = [v for v in values if v.effective_from <= on]
    if not current:
        raise LawDataError(
            f"{where}: {values[0].name} has no value before {values[0].effective_from}"
        )
    return current[-1]


@cache
def parameters() -> dict[str, tuple[ParameterValue, ...]]:
    """The core parameters (those no decision pack owns), each oldest first."""
    return parse_parameters(read_core("parameters.yaml"), "parameters.yaml")


def parameter(name: str, on: dt.date) -> ParameterValue:
    """The value of a core parameter in force on a date."""
    return value_on(parameters()[name], on, "parameters.yaml")


@dataclass(frozen=True, slots=True)
class Policy:
    """An open legal question, the answers the engine can give and the one it gives unless told."""

    name: str
    question: str
    default: str
    options: dict[str, str]


def parse_policies(text: str, where: str) -> dict[str, Policy]:
    out = {}
    for name, raw in mapping(text, where, "policies")["policies"].items():
        options = {str(k): " ".join(str(v).split()) for k, v in raw["options"].items()}
        if raw["default"] not in options:
            raise LawDataError(f"{where}: {name}.default is not one of its options")
        out[name] = Policy(name, " ".join(raw["question"].split()), raw["default"], options)
    return out
