"""The API's routers, one module per area; `ROUTERS` is what the app includes, in order."""

from __future__ import annotations

from fastapi import APIRouter

from chinacomply.api.routes import aigc, audit, decisions, exports, inventory

ROUTERS: tuple[APIRouter, ...] = (
    inventory.router,
    exports.router,
    decisions.router,
    aigc.router,
    audit.router,
)
