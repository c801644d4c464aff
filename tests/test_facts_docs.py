"""The facts reference in docs/facts/ is what the packs validate against: generated, current."""

from __future__ import annotations

import pytest

from chinacomply.rules import pack as packs
from chinacomply.rules import reference

from .conftest import REPO

ALL = list(packs.packs().values())


@pytest.mark.parametrize("pack", ALL, ids=[p.id for p in ALL])
def test_the_committed_reference_is_the_generated_one(pack: packs.Pack) -> None:
    path = REPO / "docs" / "facts" / f"{pack.id}.md"
    assert path.is_file(), f"run `make docs` to write {path.name}"
    assert path.read_text("utf-8") == reference.markdown(pack), f"run `make docs`: {path.name}"


@pytest.mark.parametrize("pack", ALL, ids=[p.id for p in ALL])
def test_every_fact_is_explained(pack: packs.Pack) -> None:
    for key, kind, _, meaning in reference.fields(pack.facts_model):
        assert meaning, f"{pack.id}: {key} ({kind}) has no description"
