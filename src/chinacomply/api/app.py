"""The server: one FastAPI app holding the store and the ledger key, the API routers under
/api, the dashboard under /, OpenAPI at /docs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Query

from chinacomply import __version__, config
from chinacomply.api import auth, errors
from chinacomply.inventory.store import open_store
from chinacomply.ledger import keys as ledger_keys
from chinacomply.services import tokens


def create_app(settings: config.Settings) -> FastAPI:
    """The app over the store and key `settings` name; the store is migrated on creation."""
    app = FastAPI(
        title="chinacomply",
        version=__version__,
        description="PI inventory, export decisions and ledger, AIGC label checks.",
    )
    app.state.store = open_store(settings.db_url)
    app.state.key = ledger_keys.load_or_create(settings.key_file)
    errors.install(app)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, str]:
        """Liveness, without a token."""
        return {"status": "ok", "version": __version__}

    @app.post("/api/assess", tags=["assess"])
    def assess(
        facts: Annotated[dict[str, Any], Body(description="Transfer facts, as design.md")],
        _: Annotated[tokens.Token, Depends(auth.READ)],
        as_of: Annotated[dt.date | None, Query(description="Apply the law of this date")] = None,
    ) -> dict[str, Any]:
        """Decide the export pathway for the facts (the decision JSON of `assess --format json`)."""
        from chinacomply.rules import engine
        from chinacomply.rules import facts as facts_model

        decision = engine.evaluate(facts_model.parse(facts, "facts"), as_of, {})
        result: dict[str, Any] = decision.to_dict()
        return result

    return app


def from_environment() -> FastAPI:
    """The app for the settings in force (CHINACOMPLY_DB, CHINACOMPLY_HOME, config.toml): the
    factory `chinacomply serve` hands to uvicorn, so every worker process builds its own."""
    return create_app(config.settings())
