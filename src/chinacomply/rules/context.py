"""What a rule's condition sees, in every pack: the facts, the date, the parameters and policies
in force, and the outcomes earlier stages decided; every parameter and policy it reads is
remembered for the trace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from chinacomply.model import Deadline
from chinacomply.rules import law
from chinacomply.rules.facts import PackFacts

if TYPE_CHECKING:
    from chinacomply.rules.pack import Pack

F = TypeVar("F", bound=PackFacts)


class Finding(NamedTuple):
    """Whether a rule's condition holds, and why, in words a DPO can check against the facts;
    a duty's finding may carry the deadlines it sets. (A named tuple: every rule of every
    decision makes one.)"""

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
    used_policies: dict[str, str] = field(default_factory=dict)
    outcome: str | None = None  # the outcome decided so far (the latest stage that decided)
    _values: dict[tuple[str, dt.date], law.ParameterValue] = field(default_factory=dict)

    def decide(self, stage: str, outcome: str) -> None:
        self.decided[stage] = outcome
        self.outcome = outcome

    @property
    def used_parameters(self) -> list[law.ParameterValue]:
        """Every parameter value the decision read, once each."""
        return list({(v.name, v.effective_from): v for v in self._values.values()}.values())

    def param(self, name: str, on: dt.date | None = None) -> Any:
        """A parameter's value on the decision date (or another date, e.g. an approval's)."""
        key = (name, on or self.as_of)
        value = self._values.get(key)
        if value is None:
            value = self._values[key] = self.pack.parameter(name, key[1])
        return value.value

    def policy(self, name: str) -> str:
        setting = self.overrides.get(name, self.pack.policies[name].default)
        self.used_policies[name] = setting
        return setting


def people(count: int) -> str:
    """1 person / 250,000 persons."""
    return f"{count:,} person" + ("" if count == 1 else "s")
