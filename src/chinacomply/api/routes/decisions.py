"""Assess (transfer facts in, decision out) and the decisions the store keeps, with traces."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from chinacomply.api.errors import ApiError
from chinacomply.api.routes.common import Id, Limit, Reader, StoreDep, errors, not_found
from chinacomply.rules import calendar, engine
from chinacomply.services import assess as assessing
from chinacomply.services import views

router = APIRouter(prefix="/api", tags=["decisions"])


@router.post("/assess", tags=["assess"], responses=errors(400))
async def assess(
    facts: Annotated[
        dict[str, Any],
        Body(description="Facts for a rule pack (`pack:`, export when absent), docs/facts/"),
    ],
    _: Reader,
    store: StoreDep,
    as_of: Annotated[dt.date | None, Query(description="Apply the law of this date")] = None,
    policy: Annotated[
        list[str] | None,
        Query(description="name=option: answer an open legal question differently"),
    ] = None,
    from_inventory: Annotated[
        bool,
        Query(
            description="take the counts the pack can get from the inventory (the trace "
            "names each dataset)"
        ),
    ] = False,
) -> dict[str, Any]:
    """Decide the facts with the pack they name: the decision JSON of `assess --format json`
    (outcome, decided_by, obligations, deadlines, trace). Nothing is stored; bad facts are
    400 invalid_facts naming the key, unknown policies 400 invalid_policy."""
    chosen = engine.policy_settings(policy or [])
    try:
        decision = assessing.assess(
            facts, "facts", as_of, chosen, store if from_inventory else None
        )
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
