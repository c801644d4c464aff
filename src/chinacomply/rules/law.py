"""The law as data, loaded once: instruments, dated parameters, policy settings and rule
metadata from `rules/data/*.yaml`, plus the ruleset's version and content hash.

Loading checks the data against itself (every citation names a registered instrument, every
exception is listed before the rule it excepts), so a bad amendment fails at once, naming the
file and the key, instead of deciding wrongly later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from chinacomply import datafiles
from chinacomply.model import Citation

DATA_FILES = (
    "instruments.yaml",
    "parameters.yaml",
    "policies.yaml",
    "rules.yaml",
    "obligations.yaml",
    "holidays.yaml",
)


class LawDataError(ValueError):
    """The rule data is inconsistent; the message names the file and key."""


def _read(name: str) -> str:
    return datafiles.read_text("chinacomply.rules", f"data/{name}")


def _load(name: str) -> dict[str, Any]:
    data = datafiles.load_yaml(_read(name))
    if not isinstance(data, dict):
        raise LawDataError(f"{name}: expected a mapping")
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


@cache
def instruments() -> dict[str, Instrument]:
    out = {}
    for id_, raw in _load("instruments.yaml")["instruments"].items():
        out[id_] = Instrument(
            id_,
            raw["kind"],
            raw["zh"],
            raw["en"],
            raw["issuer"],
            raw.get("published"),
            raw.get("in_force"),
            raw.get("url"),
        )
    return out


def _check_citation(where: str, instrument: str) -> None:
    if instrument not in instruments():
        raise LawDataError(f"{where}: instrument {instrument!r} is not in instruments.yaml")


@dataclass(frozen=True, slots=True)
class ParameterValue:
    name: str
    value: Any
    effective_from: dt.date
    citation: Citation
    source: str | None
    note: str | None


@cache
def parameters() -> dict[str, tuple[ParameterValue, ...]]:
    """Each parameter's dated values, oldest first."""
    out = {}
    for name, raw in _load("parameters.yaml")["parameters"].items():
        values = []
        for start, entry in sorted(raw["values"].items()):
            where = f"parameters.yaml: {name}.{start}"
            if not isinstance(start, dt.date) or "article" not in entry:
                raise LawDataError(f"{where}: needs a date key, an instrument and an article")
            _check_citation(where, entry["instrument"])
            values.append(
                ParameterValue(
                    name,
                    entry["value"],
                    start,
                    Citation(entry["instrument"], str(entry["article"])),
                    entry.get("source"),
                    entry.get("note"),
                )
            )
        out[name] = tuple(values)
    return out


def parameter(name: str, on: dt.date) -> ParameterValue:
    """The value of a parameter in force on a date."""
    values = parameters()[name]
    current = [v for v in values if v.effective_from <= on]
    if not current:
        raise LawDataError(
            f"parameters.yaml: {name} has no value before {values[0].effective_from}"
        )
    return current[-1]


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    question: str
    default: str
    options: dict[str, str]


@cache
def policies() -> dict[str, Policy]:
    out = {}
    for name, raw in _load("policies.yaml")["policies"].items():
        options = {str(k): str(v) for k, v in raw["options"].items()}
        if raw["default"] not in options:
            raise LawDataError(f"policies.yaml: {name}.default is not one of its options")
        out[name] = Policy(name, raw["question"], raw["default"], options)
    return out


@dataclass(frozen=True, slots=True)
class RuleMeta:
    id: str
    stage: str  # scope | base | lifecycle
    citation: Citation
    title: str
    yields: str | None
    effective_from: dt.date
    effective_to: dt.date | None
    exception_to: tuple[str, ...]
    requires_any: tuple[str, ...]

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@cache
def rules() -> tuple[RuleMeta, ...]:
    """Rule metadata in evaluation order, checked: known instruments, exceptions first."""
    out: list[RuleMeta] = []
    for raw in _load("rules.yaml")["rules"]:
        where = f"rules.yaml: {raw.get('id', '?')}"
        _check_citation(where, raw["instrument"])
        out.append(
            RuleMeta(
                raw["id"],
                raw["stage"],
                Citation(raw["instrument"], str(raw["article"])),
                " ".join(raw["title"].split()),
                raw.get("yields"),
                raw["effective_from"],
                raw.get("effective_to"),
                tuple(raw.get("exception_to", ())),
                tuple(raw.get("requires_any", ())),
            )
        )
    position = {rule.id: i for i, rule in enumerate(out)}
    if len(position) != len(out):
        raise LawDataError("rules.yaml: duplicate rule id")
    for i, rule in enumerate(out):
        for required in rule.requires_any:
            if required not in position:
                raise LawDataError(
                    f"rules.yaml: {rule.id}.requires_any names unknown rule {required}"
                )
        for general in rule.exception_to:
            if general not in position:
                raise LawDataError(
                    f"rules.yaml: {rule.id}.exception_to names unknown rule {general}"
                )
            if position[general] < i:
                raise LawDataError(
                    f"rules.yaml: {rule.id} must be listed before {general}, its general rule"
                )
    return tuple(out)


def rule(rule_id: str) -> RuleMeta:
    for meta in rules():
        if meta.id == rule_id:
            return meta
    raise KeyError(rule_id)


@cache
def ruleset() -> tuple[str, str]:
    """(version, sha256 of every data file): a decision names exactly the law it applied."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(name.encode() + b"\0" + _read(name).encode("utf-8") + b"\0")
    version = str(_load("rules.yaml")["ruleset"]["version"])
    return version, digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ObligationText:
    id: str
    citation: Citation
    effective_from: dt.date
    effective_to: dt.date | None
    text: str  # may name parameters in braces: {records.retention_years}


@cache
def obligation_texts() -> dict[str, ObligationText]:
    out = {}
    for id_, raw in _load("obligations.yaml")["obligations"].items():
        _check_citation(f"obligations.yaml: {id_}", raw["instrument"])
        out[id_] = ObligationText(
            id_,
            Citation(raw["instrument"], str(raw["article"])),
            raw["effective_from"],
            raw.get("effective_to"),
            " ".join(raw["text"].split()),
        )
    return out
