"""Assess (transfer facts in, decision out) and the decisions the store keeps, with traces."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from chinacomply.api.errors import ApiError
from chinacomply.api.routes.common import Id, Limit, Reader, StoreDep, errors, not_found
from chinacomply.rules import calendar, engine, law
from chinacomply.rules import facts as facts_model
from chinacomply.services import views

router = APIRouter(prefix="/api", tags=["decisions"])


def policies(pairs: list[str]) -> dict[str, str]:
    """`name=option` settings of open legal questions, checked against the rule set."""
    known = law.policies()
    chosen: dict[str, str] = {}
    for pair in pairs:
        name, _, option = pair.partition("=")
        policy = known.get(name)
        if policy is None:
            names = ", ".join(sorted(known))
            raise ApiError(400, "invalid_policy", f"policy: unknown {name!r} (known: {names})")
        if option not in policy.options:
            options = ", ".join(policy.options)
            raise ApiError(400, "invalid_policy", f"policy {name}: choose one of {options}")
        chosen[name] = option
    return chosen


@router.post("/assess", tags=["assess"], responses=errors(400))
async def assess(
    facts: Annotated[dict[str, Any], Body(description="Transfer facts, as design.md")],
    _: Reader,
    as_of: Annotated[dt.date | None, Query(description="Apply the law of this date")] = None,
    policy: Annotated[
        list[str] | None,
        Query(description="name=option: answer an open legal question differently"),
    ] = None,
) -> dict[str, Any]:
    """Decide the export pathway for the facts: the decision JSON of `assess --format json`
    (pathway, decided_by, obligations, deadlines, trace). Nothing is stored; bad facts are
    400 invalid_facts naming the key."""
    chosen = policies(policy or [])
    try:
        decision = engine.evaluate(facts_model.parse(facts, "facts"), as_of, chosen)
    except calendar.CalendarRangeError as err:
        raise ApiError(400, "out_of_range", str(err)) from None
    result: dict[str, Any] = decision.to_dict()
    return result


@router.get("/decisions", responses=errors())
def decisions(
    store: StoreDep,
    _: Reader,
    pathway: Annotated[str | None, Query(description="Only decisions of this pathway")] = None,
    limit: Limit = views.DEFAULT_LIMIT,
) -> list[dict[str, Any]]:
    """Stored decisions (one per export plan), newest first: id, pathway, decided_by, who."""
    return views.decisions(store, pathway, limit)


@router.get("/decisions/{decision_id}", responses=errors(404))
def decision(decision_id: Id, store: StoreDep, _: Reader) -> dict[str, Any]:
    """One decision with the facts it was made on and the full decision (trace included)."""
    found = views.decision(store, decision_id)
    if found is None:
        raise not_found("decision", decision_id)
    return found
