"""The server: one FastAPI app holding the store, the ledger key and the background scan jobs;
the API routers under /api (routes/), the dashboard under /, OpenAPI at /docs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from chinacomply import __version__, config
from chinacomply.api import errors, routes
from chinacomply.api.routes import aigc as aigc_routes
from chinacomply.inventory.store import open_store
from chinacomply.ledger import keys as ledger_keys
from chinacomply.services import scan_jobs
from chinacomply.web import routes as web_routes

DESCRIPTION = """PI inventory, export decisions and ledger, AIGC label checks.

Every endpoint but /health needs a token (`chinacomply token create --scope read|write`), sent
as `Authorization: Bearer <token>`: read scope for GET, assess and the AIGC check, write scope
for changes. Errors are `{"error": {"code": "...", "message": "..."}}` with a stable code.

Scan jobs are kept in memory by the process that accepted them: a restart forgets the jobs, not
the datasets they stored."""


def create_app(settings: config.Settings) -> FastAPI:
    """The app over the store and key `settings` name; the store is migrated on creation."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.scan_jobs.close()

    app = FastAPI(
        title="chinacomply",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.store = open_store(settings.db_url)
    app.state.key = ledger_keys.load_or_create(settings.key_file)
    app.state.scan_jobs = scan_jobs.ScanJobs(app.state.store)
    errors.install(app)
    app.add_middleware(aigc_routes.UploadLimit)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, str]:
        """Liveness, without a token."""
        return {"status": "ok", "version": __version__}

    for router in routes.ROUTERS:
        app.include_router(router)
    app.include_router(web_routes.router)  # the dashboard, server-rendered over the same services
    app.mount("/static", StaticFiles(directory=web_routes.STATIC), name="static")
    return app


def from_environment() -> FastAPI:
    """The app for the settings in force (CHINACOMPLY_DB, CHINACOMPLY_HOME, config.toml): the
    factory `chinacomply serve` hands to uvicorn, so every worker process builds its own."""
    return create_app(config.settings())
