"""What a rule's condition sees: the facts, the date, and the parameters and policies in force,
with every parameter and policy it reads remembered for the trace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from chinacomply.rules import law
from chinacomply.rules.facts import Facts


@dataclass(frozen=True, slots=True)
class Finding:
    """Whether a rule's condition holds, and why, in words a DPO can check against the facts."""

    applies: bool
    why: str


@dataclass
class Context:
    facts: Facts
    as_of: dt.date
    base_pathway: str | None = None  # set before lifecycle rules run
    overrides: dict[str, str] = field(default_factory=dict)  # policy name -> chosen option
    used_parameters: dict[str, law.ParameterValue] = field(default_factory=dict)
    used_policies: dict[str, str] = field(default_factory=dict)

    def param(self, name: str, on: dt.date | None = None) -> Any:
        """A parameter's value on the decision date (or another date, e.g. an approval's)."""
        value = law.parameter(name, on or self.as_of)
        self.used_parameters[f"{name}@{value.effective_from}"] = value
        return value.value

    def param_if_in_force(self, name: str) -> Any:
        """A parameter's value, or None before its first value takes effect (the SCC filing
        deadline does not exist before SCC23)."""
        first = law.parameters()[name][0].effective_from
        return self.param(name) if self.as_of >= first else None

    def policy(self, name: str) -> str:
        setting = self.overrides.get(name, law.policies()[name].default)
        self.used_policies[name] = setting
        return setting

    @property
    def n(self) -> int:
        return self.facts.volumes.non_sensitive

    @property
    def s(self) -> int:
        return self.facts.volumes.sensitive


def people(count: int) -> str:
    """1 person / 250,000 persons."""
    return f"{count:,} person" + ("" if count == 1 else "s")
