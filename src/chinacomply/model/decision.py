"""What the rules engine decides, for any rule pack: an outcome, the article that decided it, the
duties and deadlines that come with it, and a trace of every rule it considered. Plain frozen
values, serialised as the JSON contract in the README specifies (the export pack's outcome keeps
its name `pathway`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True)
class Citation:
    instrument: str
    article: str

    def to_dict(self) -> dict[str, str]:
        return {"instrument": self.instrument, "article": self.article}


@dataclass(frozen=True, slots=True)
class Alternative:
    """Another way to satisfy the law for the same transfer (the GBA contract, certification)."""

    mechanism: str
    citation: Citation
    note: str

    def to_dict(self) -> dict[str, str]:
        return {"mechanism": self.mechanism, **self.citation.to_dict(), "note": self.note}


@dataclass(frozen=True, slots=True)
class Obligation:
    id: str
    citation: Citation
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, **self.citation.to_dict(), "text": self.text}


@dataclass(frozen=True, slots=True)
class Deadline:
    """Something to do within a period. `by` is the last day when the start of the period is
    known; `at` is the moment, with its time zone, for periods counted in hours (incident
    reports); `start` is the earliest day of a window ("within 60 working days before expiry")."""

    what: str
    within: str
    citation: Citation
    by: dt.date | None = None
    start: dt.date | None = None
    at: dt.datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"what": self.what, "within": self.within, **self.citation.to_dict()}
        if self.start is not None:
            out["from"] = self.start.isoformat()
        if self.by is not None:
            out["by"] = self.by.isoformat()
        if self.at is not None:
            out["at"] = self.at.isoformat()
        return out


class TraceEntry(NamedTuple):
    """One rule considered: decides, applies (but an earlier rule decided), not_applicable,
    or not_in_force on the date; plus notes for parameters and policy settings used. (A named
    tuple: a decision makes dozens, and a tuple is built several times faster than a frozen
    dataclass.)"""

    rule: str
    citation: Citation
    outcome: str
    why: str

    def to_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "instrument": self.citation.instrument,
            "article": self.citation.article,
            "outcome": self.outcome,
            "why": self.why,
        }


@dataclass(frozen=True, slots=True)
class StageOutcome:
    """What one stage of a pack decided (a pack may decide in steps: an incident's grade, then
    its report; an export's pathway, then what an existing filing changes)."""

    stage: str
    outcome: str
    rule: str

    def to_dict(self) -> dict[str, str]:
        return {"stage": self.stage, "outcome": self.outcome, "rule": self.rule}


@dataclass(frozen=True, slots=True)
class Decision:
    pack: str
    outcome: str
    decided_by: Citation
    decided_rule: str
    summary: str
    as_of: dt.date
    ruleset_version: str
    ruleset_sha256: str
    outcome_key: str = "outcome"  # the name of the outcome in the JSON ("pathway" for export)
    stages: tuple[StageOutcome, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    trace: tuple[TraceEntry, ...] = field(default=())

    @property
    def pathway(self) -> str:
        """The export pack's name for the outcome."""
        return self.outcome

    def to_dict(self) -> dict[str, Any]:
        named = {self.outcome_key: self.outcome} if self.outcome_key != "outcome" else {}
        return {
            "pack": self.pack,
            "outcome": self.outcome,
            **named,
            "stages": [s.to_dict() for s in self.stages],
            "alternatives": [a.to_dict() for a in self.alternatives],
            "decided_by": self.decided_by.to_dict(),
            "rule": self.decided_rule,
            "summary": self.summary,
            "obligations": [o.to_dict() for o in self.obligations],
            "deadlines": [d.to_dict() for d in self.deadlines],
            "trace": [t.to_dict() for t in self.trace],
            "as_of": self.as_of.isoformat(),
            "ruleset": {"version": self.ruleset_version, "sha256": self.ruleset_sha256},
        }
