"""Assess throughput per rule pack, in process, with the export figure of the engine before the
packs beside it in the same run (so "export did not regress" is a measured ratio).

For each pack it decides the pack's example (examples/<pack>.yaml; examples/transfer.yaml for
export) over and over for a few seconds and prints decisions per second and microseconds per
decision, facts parsing included and excluded. The baseline is the export engine at a given
revision (default: the last commit before the pack engine), unpacked from git into a temporary
folder and timed in a subprocess on the same facts. Run from the repository root:

    .venv/bin/python benchmarks/assess_bench.py [--seconds 3] [--baseline REV]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "2422e37"  # main before the pack engine (issue 10)
EXAMPLES = {"export": ROOT / "examples" / "transfer.yaml"}

TIMER = """
import json, sys, time, yaml
from chinacomply.rules import engine, facts
raw = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
seconds = float(sys.argv[2])
def rate(step):
    step(); n = 0; start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        step(); n += 1
    return n / (time.perf_counter() - start)
parsed = facts.parse(raw)
print(json.dumps({
    "evaluate": rate(lambda: engine.evaluate(parsed)),
    "parse_and_evaluate": rate(lambda: engine.evaluate(facts.parse(raw))),
    "pathway": engine.evaluate(parsed).pathway,
}))
"""


def rate(step: Callable[[], Any], seconds: float) -> float:
    """Calls per second of `step`, over about `seconds`."""
    step()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        n += 1
    return n / (time.perf_counter() - start)


def example(pack_id: str) -> Path:
    return EXAMPLES.get(pack_id, ROOT / "examples" / f"{pack_id}.yaml")


def current(seconds: float) -> dict[str, dict[str, Any]]:
    from chinacomply.rules import engine
    from chinacomply.rules import facts as facts_file
    from chinacomply.rules import pack as packs

    out = {}
    for pack in packs.packs().values():
        path = example(pack.id)
        if not path.is_file():
            continue
        raw = facts_file.read(path)
        parsed = packs.parse_facts(raw, str(path))
        out[pack.id] = {
            "evaluate": rate(lambda p=parsed: engine.evaluate(p), seconds),
            "parse_and_evaluate": rate(
                lambda r=raw, s=str(path): engine.evaluate(packs.parse_facts(r, s)), seconds
            ),
            "outcome": engine.evaluate(parsed).outcome,
        }
    return out


def baseline(revision: str, seconds: float) -> dict[str, Any] | None:
    """The export engine of `revision`, timed in a subprocess on examples/transfer.yaml."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, "src"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        print(f"baseline {revision}: not in this clone ({archive.stderr.decode().strip()})")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        done = subprocess.run(
            [sys.executable, "-c", TIMER, str(EXAMPLES["export"]), str(seconds)],
            env={"PYTHONPATH": str(Path(tmp) / "src")},
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        print(f"baseline {revision} failed: {done.stderr.strip().splitlines()[-1]}")
        return None
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--baseline", default=BASELINE)
    args = parser.parse_args()
    now = current(args.seconds)
    before = baseline(args.baseline, args.seconds)
    print(f"{'pack':<10} {'example':<26} {'decisions/s':>12} {'µs each':>9} {'with parsing/s':>15}")
    for pack_id, row in now.items():
        name = example(pack_id).relative_to(ROOT)
        speed = row["evaluate"]
        print(
            f"{pack_id:<10} {name!s:<26} {speed:>12,.0f} {1e6 / speed:>9,.0f} "
            f"{row['parse_and_evaluate']:>15,.0f}  -> {row['outcome']}"
        )
    if before and "export" in now:
        ratio = now["export"]["evaluate"] / before["evaluate"]
        print(
            f"{'export@' + args.baseline:<10} {'examples/transfer.yaml':<26} "
            f"{before['evaluate']:>12,.0f} {1e6 / before['evaluate']:>9,.0f} "
            f"{before['parse_and_evaluate']:>15,.0f}  -> {before['pathway']}"
        )
        print(f"export now / before the pack engine: {ratio:.2f}x (>= 0.9 means no regression)")
    print(json.dumps({"packs": now, "baseline": before}, ensure_ascii=False))


if __name__ == "__main__":
    main()
