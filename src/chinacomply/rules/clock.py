"""How long is left: a decision's deadlines against a moment, soonest first.

A deadline counted in hours falls due at its moment (`at`); one counted in days falls due at
the end of its last day, 24:00 in Asia/Shanghai (Civil Code Art. 203). Deadlines the facts do
not date (the period's start is not known yet) are listed apart, with their period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from chinacomply.model import Deadline, Decision
from chinacomply.rules import periods


@dataclass(frozen=True, slots=True)
class Due:
    deadline: Deadline
    at: dt.datetime | None  # None: not dated by the facts
    left: dt.timedelta | None

    @property
    def overdue(self) -> bool:
        return self.left is not None and self.left <= dt.timedelta(0)

    def to_dict(self) -> dict[str, Any]:
        out = self.deadline.to_dict()
        if self.at is not None and self.left is not None:
            out["due_at"] = self.at.isoformat()
            out["seconds_left"] = int(self.left.total_seconds())
            out["overdue"] = self.overdue
        return out


def due_at(deadline: Deadline) -> dt.datetime | None:
    """The moment a deadline falls due, or None when the facts do not date it."""
    if deadline.at is not None:
        return periods.aware(deadline.at)
    if deadline.by is not None:
        end = deadline.by + dt.timedelta(days=1)
        return dt.datetime(end.year, end.month, end.day, tzinfo=periods.CHINA)
    return None


def due(decision: Decision, now: dt.datetime) -> list[Due]:
    """Every deadline of the decision, dated ones soonest first, then the undated ones."""
    moment = periods.aware(now)
    items = []
    for deadline in decision.deadlines:
        at = due_at(deadline)
        items.append(Due(deadline, at, at - moment if at is not None else None))
    return sorted(items, key=lambda d: (d.at is None, d.at or moment))


def left_text(left: dt.timedelta) -> str:
    """'3 h 20 min left', '2 days 4 h left', 'overdue by 15 min'."""
    seconds = int(abs(left.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = ([f"{days} day" + ("s" if days != 1 else "")] if days else []) + (
        [f"{hours} h"] if hours or days else []
    )
    if not days:
        parts.append(f"{minutes} min")
    text = " ".join(parts)
    return f"overdue by {text}" if left <= dt.timedelta(0) else f"{text} left"


def to_dict(decision: Decision, items: list[Due], now: dt.datetime) -> dict[str, Any]:
    return {
        "now": periods.aware(now).isoformat(),
        "outcome": decision.outcome,
        "summary": decision.summary,
        "due": [item.to_dict() for item in items],
    }
