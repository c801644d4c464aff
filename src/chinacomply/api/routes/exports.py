"""The export workflow over HTTP: filings in place, plans (count and decide), records (commit to
the ledger, once) and the ledger's window status. Each is one call of services.export."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, ConfigDict, Field

from chinacomply.api.errors import ApiError
from chinacomply.api.routes.common import MAX_ID, KeyDep, Reader, StoreDep, Writer, errors, who
from chinacomply.rules import calendar
from chinacomply.rules import pack as packs
from chinacomply.services import export, views

router = APIRouter(prefix="/api", tags=["exports"])

Mechanism = Literal[
    "security_assessment", "standard_contract", "certification", "gba_standard_contract"
]
Region = Annotated[
    str, Field(min_length=2, max_length=10, description="ISO code of the recipient's region")
]


class FilingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    recipient: str = Field(min_length=1)
    region: Region
    mechanism: Mechanism
    valid_from: dt.date = Field(description="Date the result, filing or certificate took effect")
    reference: str = Field(default="", description="The approval or filing number")


class Filing(BaseModel):
    id: int
    recipient: str
    region: str
    mechanism: str
    valid_from: dt.date
    reference: str


@router.post("/filings", status_code=201, response_model=Filing, responses=errors(400, 403))
def add_filing(filing: Annotated[FilingRequest, Body()], store: StoreDep, token: Writer) -> Filing:
    """Record a mechanism in place for a recipient; plans and records check against it."""
    region = filing.region.upper()
    filed = export.add_filing(
        store,
        filing.recipient,
        region,
        filing.mechanism,
        filing.valid_from,
        filing.reference,
        who=who(token),
    )
    return Filing(
        id=filed.id,
        recipient=filing.recipient,
        region=region,
        mechanism=filed.mechanism,
        valid_from=filed.valid_from,
        reference=filed.reference,
    )


class PlanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dataset: int | str = Field(description="Dataset id, source or name")
    recipient: str = Field(min_length=1)
    region: Region
    ground: Literal["contract", "hr", "emergency", "statutory"] | None = Field(
        default=None, description="A ground the export is necessary for (P24 Art. 5)"
    )
    as_of: dt.date | None = Field(default=None, description="Date of the transfer (default today)")
    facts: dict[str, Any] | None = Field(
        default=None,
        description="More transfer facts (handler, data flags) as in the JSON contract in the "
        "README; volumes and as_of are computed from the ledger and must be left out",
    )


class PlanOut(BaseModel):
    """The JSON of `chinacomply export plan --format json`."""

    plan_id: str
    individuals: int
    new_non_sensitive: int
    new_sensitive: int
    decision: dict[str, Any]


def encoded(on: dt.date, what: str) -> dt.date:
    """The date, if the law of that day is encoded (else 400 out_of_range)."""
    earliest = packs.get("export").covers_from
    if on < earliest:
        raise ApiError(
            400, "out_of_range", f"{what}: {on} is before {earliest}, the earliest encoded law"
        )
    return on


@router.post("/plans", status_code=201, response_model=PlanOut, responses=errors(400, 403))
def plan(
    wanted: Annotated[PlanRequest, Body()], store: StoreDep, key: KeyDep, token: Writer
) -> dict[str, Any]:
    """Count the individuals the transfer adds to the counting window, decide the pathway and
    store the plan with its decision (400 workflow for an unknown dataset, 400 invalid_facts
    for bad facts)."""
    ref = str(wanted.dataset)
    if ref.isdigit() and int(ref) > MAX_ID:
        raise ApiError(400, "workflow", f"no dataset {ref!r} in the inventory")
    try:
        made = export.plan(
            store,
            key,
            ref,
            wanted.recipient,
            wanted.region.upper(),
            encoded(wanted.as_of or dt.date.today(), "as_of"),
            wanted.ground,
            wanted.facts,
            who=who(token),
        )
    except calendar.CalendarRangeError as err:
        raise ApiError(400, "out_of_range", str(err)) from None
    return {
        "plan_id": made.plan_id,
        "individuals": made.individuals,
        "new_non_sensitive": made.new_non_sensitive,
        "new_sensitive": made.new_sensitive,
        "decision": made.decision.to_dict(),
    }


class RecordRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    force: bool = Field(
        default=False,
        description="Record even if the filing the decision requires is missing (audited)",
    )


class RecordOut(BaseModel):
    """Window totals after the record; `crossed` names each threshold this record reached."""

    plan_id: str
    newly_recorded: bool = Field(description="false: it was recorded before; nothing changed")
    non_sensitive: int
    sensitive: int
    crossed: list[str]


@router.post("/plans/{plan_id}/record", response_model=RecordOut, responses=errors(400, 403))
def record(
    plan_id: str,
    store: StoreDep,
    token: Writer,
    body: Annotated[RecordRequest | None, Body()] = None,
) -> RecordOut:
    """Commit a planned export to the ledger; recording twice counts once. A decision that
    needs a filing not yet recorded is refused (400 workflow) unless `force`."""
    done = export.record(store, plan_id, (body or RecordRequest()).force, who=who(token))
    return RecordOut(
        plan_id=done.plan_id,
        newly_recorded=done.newly_recorded,
        non_sensitive=done.after.non_sensitive,
        sensitive=done.after.sensitive,
        crossed=done.crossed,
    )


class Threshold(BaseModel):
    model_config = ConfigDict(extra="allow")
    counter: str
    threshold: int
    meaning: str
    total: int
    headroom: int
    reached: bool
    warning: bool = Field(description="at least 80% of the threshold, not yet reached")


class Ledger(BaseModel):
    """The counting window in force on `as_of`: totals, thresholds, and the history of recorded
    transfers with cumulative individuals per counter."""

    model_config = ConfigDict(extra="allow")
    as_of: str
    window: str
    years: list[int]
    non_sensitive: int
    sensitive: int
    thresholds: list[Threshold]
    history: list[dict[str, Any]]


@router.get("/ledger", response_model=Ledger, responses=errors())
def ledger(
    store: StoreDep,
    _: Reader,
    as_of: Annotated[dt.date | None, Query(description="YYYY-MM-DD (default today)")] = None,
) -> dict[str, Any]:
    """Distinct individuals exported in the window against every threshold, with headroom."""
    return views.ledger(store, encoded(as_of or dt.date.today(), "as_of"))


@router.get("/transfers", responses=errors())
def transfers(
    store: StoreDep,
    _: Reader,
    status: Annotated[
        Literal["planned", "recorded"] | None, Query(description="Only planned or recorded")
    ] = None,
) -> list[dict[str, Any]]:
    """Planned and recorded exports, newest first, with their pathway and counts."""
    return views.transfers(store, status)
