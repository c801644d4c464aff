"""What a rule's condition sees, in every pack: the facts, the date, the parameters and policies
in force, and the outcomes earlier stages decided; every parameter and policy it reads is
remembered for the trace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from chinacomply.model import Deadline
from chinacomply.rules import law
from chinacomply.rules.facts import PackFacts

if TYPE_CHECKING:
    from chinacomply.rules.pack import Pack

F = TypeVar("F", bound=PackFacts)


@dataclass(frozen=True, slots=True)
class Finding:
    """Whether a rule's condition holds, and why, in words a DPO can check against the facts;
    a duty's finding may carry the deadlines it sets."""

    applies: bool
    why: str
    deadlines: tuple[Deadline, ...] = ()


@dataclass
class Context(Generic[F]):
    pack: Pack
    facts: F
    as_of: dt.date
    overrides: dict[str, str] = field(default_factory=dict)  # policy name -> chosen option
    decided: dict[str, str] = field(default_factory=dict)  # stage -> outcome, as stages decide
    used_parameters: dict[str, law.ParameterValue] = field(default_factory=dict)
    used_policies: dict[str, str] = field(default_factory=dict)

    @property
    def outcome(self) -> str | None:
        """The outcome decided so far (the latest stage that decided)."""
        return list(self.decided.values())[-1] if self.decided else None

    def param(self, name: str, on: dt.date | None = None) -> Any:
        """A parameter's value on the decision date (or another date, e.g. an approval's)."""
        value = self.pack.parameter(name, on or self.as_of)
        self.used_parameters[f"{name}@{value.effective_from}"] = value
        return value.value

    def param_if_in_force(self, name: str) -> Any:
        """A parameter's value, or None before its first value takes effect (the SCC filing
        deadline does not exist before SCC23)."""
        first = self.pack.parameters[name][0].effective_from
        return self.param(name) if self.as_of >= first else None

    def policy(self, name: str) -> str:
        setting = self.overrides.get(name, self.pack.policies[name].default)
        self.used_policies[name] = setting
        return setting


def people(count: int) -> str:
    """1 person / 250,000 persons."""
    return f"{count:,} person" + ("" if count == 1 else "s")
