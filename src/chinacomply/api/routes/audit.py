"""The audit log: who did what, append-only in the store."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from chinacomply.api.routes.common import Limit, Reader, StoreDep, errors
from chinacomply.services import views

router = APIRouter(prefix="/api", tags=["audit"])


@router.get("/audit", responses=errors())
def audit(
    store: StoreDep,
    _: Reader,
    action: Annotated[str | None, Query(description="Actions starting with this")] = None,
    who: Annotated[str | None, Query(description="Exactly this actor, e.g. token:ci")] = None,
    limit: Limit = views.DEFAULT_LIMIT,
) -> list[dict[str, Any]]:
    """Audit events, newest first: at, who (cli, or token:NAME for API callers), action,
    entity and detail."""
    return views.audit(store, action, who, limit)
