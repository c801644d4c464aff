"""Classify one column from a sample of its values, its name and negative evidence.

Value evidence comes first: the share of sampled values that have an identifier's shape and
pass its checks (a check digit is strong evidence, an 18-digit order number failing it is
strong counter-evidence). The column name lifts weak value evidence and can veto look-alikes
(an "order_no" column of 11-digit numbers is not phones). Free-text columns that hold PI in
some values are reported with what they hold.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from chinacomply.classify import names, vocabulary
from chinacomply.model import ColumnReport
from chinacomply.scan import gazetteer, registry, text
from chinacomply.scan.recognizer import Recognizer, Validity
from chinacomply.taxonomy import taxonomy

THRESHOLD = 0.5  # a column takes a type from this confidence up
CHECKSUM_PASS = 0.6  # of shape-matching values, at least this share must pass a check digit
NAME_BOOST = 0.5  # how far a matching name closes the gap to 1.0
LEXICAL_SAMPLE = 2000  # distinct values scored by the (slower) name and address recognizers
FREE_TEXT_SAMPLE = 1000  # values of a free-text column searched for PI spans
VALIDATE_LIMIT = 2000  # distinct values per column and recognizer whose checks run in Python
_CJK = re.compile(r"[\u3400-\u9fff]")
_PLURAL = {"person_name": "person names", "address": "addresses"}


@dataclass(frozen=True, slots=True)
class Candidate:
    type: str
    confidence: float
    matched: int
    evidence: str
    examples: tuple[str, ...] = ()


def _distinct(values: pa.Array) -> dict[str, int]:
    counts = pc.value_counts(values)
    return dict(
        zip(
            counts.field("values").to_pylist(),
            counts.field("counts").to_pylist(),
            strict=True,
        )
    )


def _with_name(conf: float, type_: str, ev: names.NameEvidence) -> float:
    strength = ev.types.get(type_, 0.0)
    return conf + (1.0 - conf) * NAME_BOOST * strength if conf > 0 else 0.0


def _is_sequence(digit_values: list[str]) -> bool:
    """Consecutive numbers (SKUs, serials, ticket numbers) rather than values spread over a
    numbering plan: at least half the gaps between sorted distinct values are 1-9."""
    numbers = sorted({int(v) for v in digit_values if v.isdigit()})
    if len(numbers) < 20:
        return False
    small = sum(1 for a, b in itertools.pairwise(numbers) if b - a < 10)
    return small >= 0.5 * (len(numbers) - 1)


def _shape_candidate(
    rec: Recognizer,
    distinct: pa.Array,
    counts: dict[str, int],
    checked: int,
    ev: names.NameEvidence,
) -> Candidate | None:
    hits = distinct.filter(pc.match_substring_regex(distinct, rec.cell_pattern)).to_pylist()
    if not hits:
        return None
    if rec.needs_context and rec.type not in ev.types:
        return None
    shaped = sum(counts[v] for v in hits)
    # Checks run in Python, so a column with many distinct values is judged on the most
    # frequent VALIDATE_LIMIT of them and the pass rate scaled to every shaped value.
    checked_values = sorted(hits, key=lambda v: -counts[v])[:VALIDATE_LIMIT]
    valid = plausible = 0
    good: list[str] = []
    for value in checked_values:
        validity = rec.validate(value.strip())
        if validity is Validity.VALID:
            valid += counts[value]
        elif validity is Validity.PLAUSIBLE:
            plausible += counts[value]
        if validity is not Validity.INVALID:
            good.append(value)
    if len(checked_values) < len(hits):
        scale = shaped / sum(counts[v] for v in checked_values)
        valid, plausible = round(valid * scale), round(plausible * scale)
    passed = valid + plausible
    named = rec.type in ev.types
    if passed < CHECKSUM_PASS * shaped:
        why = f"{shaped - passed} of {shaped} values with the shape of {rec.type} fail its checks"
        return Candidate(rec.type, 0.0, passed, why)
    conf = _with_name(passed / checked, rec.type, ev)
    evidence = f"{rec.explain or 'shape'} holds for {passed} of {checked} sampled values"
    if valid and valid < passed:
        evidence += f" ({valid} fully verified)"
    if ev.negative and not (valid >= 0.95 * checked):
        conf *= 0.4
        evidence += "; the column name says it is not about a person"
    if rec.type in {"phone_number", "bank_card", "device_id"} and _is_sequence(
        [rec.normalize(v) for v in good]
    ):
        conf *= 0.3
        evidence += "; values are consecutive numbers, like SKUs or serials"
    if named:
        evidence += f"; column name matches '{ev.matched[rec.type]}'"
    return Candidate(rec.type, conf, passed, evidence, tuple(rec.mask(v) for v in good[:3]))


def _lexical_candidates(
    distinct_values: list[str], counts: dict[str, int], checked: int, ev: names.NameEvidence
) -> list[Candidate]:
    scored = distinct_values[:LEXICAL_SAMPLE]
    if not any(_CJK.search(v) or v.isalpha() for v in scored[:50]):
        return []
    base = sum(counts[v] for v in scored)
    out = []
    for rec in registry.lexical_recognizers():
        good = [v for v in scored if rec.score_value(v) >= 0.5]
        if not good:
            continue
        matched = sum(counts[v] for v in good)
        conf = _with_name(matched / base, rec.type, ev)
        evidence = f"{matched} of {base} sampled values read as {_PLURAL[rec.type]}"
        if rec.type in ev.types:
            evidence += f"; column name matches '{ev.matched[rec.type]}'"
        out.append(
            Candidate(
                rec.type,
                conf,
                round(matched * checked / base),
                evidence,
                tuple(rec.mask(v) for v in good[:3]),
            )
        )
    return out


def _vocabulary_candidates(
    column: str, counts: dict[str, int], checked: int, ev: names.NameEvidence
) -> list[Candidate]:
    tokens = set(names.tokens(column))
    age_named = bool(tokens & {"age", "nl", "nianling"}) or "年龄" in column
    # Vocabulary checks run in Python: a column of many distinct values is judged on its most
    # frequent VALIDATE_LIMIT values, the share scaled to all sampled values.
    counts = dict(sorted(counts.items(), key=lambda kv: -kv[1])[:VALIDATE_LIMIT])
    base = sum(counts.values())
    detectors: dict[str, Callable[[], vocabulary.Fit]] = {
        "gender": lambda: vocabulary.gender(counts, "gender" in ev.types),
        "ethnicity": lambda: vocabulary.ethnicity(counts, "ethnicity" in ev.types),
        "religion": lambda: vocabulary.religion(counts, "religion" in ev.types),
        "health": lambda: vocabulary.health(counts, "health" in ev.types),
        "date_of_birth": lambda: vocabulary.date_of_birth(counts, "date_of_birth" in ev.types),
        "minor": lambda: vocabulary.minor(counts, "minor" in ev.types, age_named),
        "credential": lambda: vocabulary.credential(counts, "credential" in ev.types),
        "biometric": lambda: vocabulary.named_only(counts, "biometric" in ev.types),
        "criminal_record": lambda: vocabulary.named_only(counts, "criminal_record" in ev.types),
        "financial_account": lambda: vocabulary.named_only(counts, "financial_account" in ev.types),
        "geo_coordinate": lambda: vocabulary.coordinate_part(counts, "geo_coordinate" in ev.types),
    }
    detectors.update(vocabulary.header_detectors(counts, ev.types))  # salary, QQ, WeChat, ...
    out = []
    for type_, detect in detectors.items():
        fit = detect()
        if fit.matched == 0:
            continue
        # Any child in the sample makes the column minors' data, however few there are.
        conf = 0.9 if type_ == "minor" else _with_name(fit.matched / base, type_, ev)
        matched = round(fit.matched * checked / base)
        evidence = f"{fit.note}: {matched} of {checked} sampled values"
        out.append(Candidate(type_, conf, matched, evidence))
    return out


def _free_text(values: list[str]) -> tuple[dict[str, int], int, float]:
    """PI types found inside the values of a free-text column, how many values hold any, and
    the mean score of the spans found."""
    found: Counter[str] = Counter()
    holding = 0
    total_score = 0.0
    for value in values[:FREE_TEXT_SAMPLE]:
        spans = text.find_spans(value)
        if spans:
            holding += 1
            found.update(s.type for s in spans)
            total_score += sum(s.score for s in spans)
    n = sum(found.values())
    return dict(found.most_common()), holding, total_score / n if n else 0.0


def _looks_free_text(distinct_values: list[str]) -> bool:
    """Prose rather than codes or labels: longer values, mostly with spaces or Chinese, and not
    a column of organisation names (四通信息有限公司 holds no person, whatever its first
    characters look like)."""
    sample = distinct_values[:200]
    if not sample:
        return False
    avg = sum(len(v) for v in sample) / len(sample)
    prose = sum(1 for v in sample if " " in v or _CJK.search(v)) >= 0.5 * len(sample)
    organisations = gazetteer.address_words()["negative"]
    named_bodies = sum(1 for v in sample if v.rstrip().endswith(organisations))
    return avg >= 8 and prose and named_bodies < 0.5 * len(sample)


def classify_column(name: str, values: pa.Array, profile: str) -> ColumnReport:
    """One column's type, confidence and evidence from its sampled values (strings, no nulls)."""
    values = pc.utf8_trim_whitespace(values)
    values = values.filter(pc.not_equal(values, ""))
    checked = len(values)
    if checked == 0:
        return ColumnReport(name, None, False, 0.0, 0, 0, (), "no values in the sample")
    counts = _distinct(values)
    distinct = pa.array(list(counts), pa.string())
    ev = names.evidence(name)

    candidates: list[Candidate] = []
    for rec in registry.shape_recognizers():
        cand = _shape_candidate(rec, distinct, counts, checked, ev)
        if cand is not None:
            candidates.append(cand)
    ordered = sorted(counts, key=lambda v: -counts[v])
    candidates += _lexical_candidates(ordered, counts, checked, ev)
    candidates += _vocabulary_candidates(name, counts, checked, ev)

    best = max(candidates, key=lambda c: c.confidence, default=None)
    if best is not None and best.confidence >= THRESHOLD:
        return _report(name, best, checked, profile)
    if _looks_free_text(ordered):
        found, holding, score = _free_text(values.to_pylist())
        if found:
            return _free_text_report(name, found, holding, score, checked, profile)
    rejected = [c.evidence for c in candidates if c.confidence < THRESHOLD and c.evidence]
    evidence = "; ".join(rejected[:2]) if rejected else "no personal information recognised"
    return ColumnReport(name, None, False, 0.0, 0, checked, (), evidence)


def _report(name: str, best: Candidate, checked: int, profile: str) -> ColumnReport:
    return ColumnReport(
        name=name,
        type=best.type,
        sensitive=taxonomy.is_sensitive(best.type, profile),
        confidence=min(best.confidence, 1.0),
        matched=best.matched,
        checked=checked,
        categories=taxonomy.categories(best.type),
        evidence=best.evidence,
        examples=best.examples,
    )


def _free_text_report(
    name: str, found: dict[str, int], holding: int, score: float, checked: int, profile: str
) -> ColumnReport:
    main = next(iter(found))
    listed = ", ".join(f"{t} {n}" for t, n in found.items())
    searched = min(checked, FREE_TEXT_SAMPLE)
    cats = tuple(dict.fromkeys(c for t in found for c in taxonomy.categories(t)))
    return ColumnReport(
        name=name,
        type=main,
        sensitive=any(taxonomy.is_sensitive(t, profile) for t in found),
        confidence=score,
        matched=holding,
        checked=searched,
        categories=cats,
        evidence=f"free text: {holding} of {searched} sampled values hold PI ({listed})",
        found=found,
        free_text=True,
    )
