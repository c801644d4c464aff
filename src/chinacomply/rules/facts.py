"""Transfer facts, the input of `assess`, validated strictly at the edge (design.md "Transfer
facts"): unknown keys, wrong types and dates before the earliest law encoded are errors that name
the key, never silently ignored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from chinacomply import datafiles

EARLIEST = dt.date(2022, 9, 1)  # M22 in force: the first date whose export law is encoded

Mode = Literal["transmit", "remote_access", "onshore_access", "offshore_processing"]
Mechanism = Literal[
    "security_assessment", "standard_contract", "certification", "gba_standard_contract"
]
Change = Literal[
    "purpose",
    "scope",
    "data_types",
    "recipient",
    "retention",
    "recipient_law",
    "control",
    "contract",
]
GBA_CITIES = (
    "Guangzhou",
    "Shenzhen",
    "Zhuhai",
    "Foshan",
    "Huizhou",
    "Dongguan",
    "Zhongshan",
    "Jiangmen",
    "Zhaoqing",
)


# Dates may come as YAML dates or as ISO strings (JSON has no date type); lists as tuples.
Date = Annotated[dt.date, Field(strict=False)]


class FactsError(ValueError):
    """Facts that cannot be assessed; the message names the file and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _not_before_earliest(value: dt.date | None) -> dt.date | None:
    if value is not None and value < EARLIEST:
        raise ValueError(f"{value} is before {EARLIEST}, the earliest date whose law is encoded")
    return value


class Handler(_Strict):
    ciio: bool = False
    ftz: str | None = None
    gba_city: str | None = None
    processed_individuals: int | None = Field(default=None, ge=0)

    @field_validator("gba_city")
    @classmethod
    def _gba_city(cls, value: str | None) -> str | None:
        if value is not None and value not in GBA_CITIES:
            raise ValueError(f"{value!r} is not a mainland GBA city ({', '.join(GBA_CITIES)})")
        return value


class Activity(_Strict):
    mode: Mode = "transmit"
    recipient_region: str = Field(default="US", pattern=r"^[A-Z]{2}$")


class Data(_Strict):
    personal_information: bool = True
    sensitive_personal_information: bool = False
    important_data: bool = False
    core_data: bool = False
    foreign_origin_only: bool = False
    on_ftz_negative_list: bool = False


class Grounds(_Strict):
    contract_with_individual: bool = False
    hr_management: bool = False
    emergency: bool = False


class Volumes(_Strict):
    non_sensitive: int = Field(default=0, ge=0)
    sensitive: int = Field(default=0, ge=0)


class Existing(_Strict):
    mechanism: Mechanism | None = None
    valid_from: Date | None = None
    material_changes: Annotated[tuple[Change, ...], Field(strict=False)] = ()
    projected_growth: float | None = Field(default=None, ge=-1.0)

    _valid_from = field_validator("valid_from")(_not_before_earliest)


class Facts(_Strict):
    as_of: Date | None = None
    handler: Handler = Handler()
    activity: Activity = Activity()
    data: Data = Data()
    grounds: Grounds = Grounds()
    volumes: Volumes = Volumes()
    existing: Existing = Existing()

    _as_of = field_validator("as_of")(_not_before_earliest)


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


_PLAIN = {
    "extra_forbidden": "unknown key",
    "bool_type": "expected true or false",
    "int_type": "expected a whole number",
    "float_type": "expected a number",
    "string_type": "expected text",
    "date_type": "expected a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "expected a date (YYYY-MM-DD)",
    "date_parsing": "expected a date (YYYY-MM-DD)",
    "model_type": "expected a mapping of keys",
    "tuple_type": "expected a list",
    "string_pattern_mismatch": "expected a two-letter ISO code such as US or HK",
}


def _message(err: ValidationError) -> str:
    first = err.errors()[0]
    problem = _PLAIN.get(first["type"], first["msg"].removeprefix("Value error, "))
    return f"{_where(first['loc'])}: {problem}"


def parse(raw: Any, source: str = "facts") -> Facts:
    """Facts from a parsed YAML/JSON mapping; FactsError names the source and the key."""
    if not isinstance(raw, dict):
        raise FactsError(f"{source}: expected a mapping of facts, got {type(raw).__name__}")
    try:
        return Facts.model_validate(raw)
    except ValidationError as err:
        raise FactsError(f"{source}: {_message(err)}") from None


def load(path: Path) -> Facts:
    """Facts from a YAML or JSON file (JSON is YAML)."""
    try:
        raw = datafiles.load_yaml(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise FactsError(f"{path}: {err.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        where = getattr(err, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        raise FactsError(f"{path}: not valid YAML{line}") from None
    return parse(raw, str(path))
