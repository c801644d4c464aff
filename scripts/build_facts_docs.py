"""Write docs/facts/<pack>.md for every rule pack, from the pack itself (`make docs`).

tests/test_facts_docs.py fails when a committed file differs from what this writes, so the
facts reference users read is always the schema the engine validates against."""

from __future__ import annotations

from pathlib import Path

from chinacomply.rules import pack, reference

DOCS = Path(__file__).resolve().parents[1] / "docs" / "facts"


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    for found in pack.packs().values():
        target = DOCS / f"{found.id}.md"
        staged = target.with_suffix(".md.tmp")
        staged.write_text(reference.markdown(found), encoding="utf-8")
        staged.replace(target)
        print(target.relative_to(DOCS.parents[1]))


if __name__ == "__main__":
    main()
