"""Shared fixtures: paths to the repository, the bundled examples and ../shared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .postgres_server import postgres_url

__all__ = ["postgres_url", "truth"]

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def truth() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "truth.json").read_text("utf-8"))
    return data
