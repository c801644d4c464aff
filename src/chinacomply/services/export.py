"""The export workflow: plan a transfer (how many new individuals it adds to the counting
window, and the decision that follows), record it in the ledger, and report the window totals
against every threshold.

Individuals reach the database only as keyed hashes (ledger/keys.py). Planning reads the
dataset, hashes its subject keys and stages them with the plan; recording moves exactly those
into the ledger, so what the ledger counts is what was decided on. Every write is one
transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from chinacomply.classify.individuals import DistinctCounter
from chinacomply.inventory import models, repository
from chinacomply.inventory.store import Store
from chinacomply.ledger import keys as ledger_keys
from chinacomply.model import Decision
from chinacomply.rules import engine
from chinacomply.rules import pack as packs
from chinacomply.rules.facts import FactsError
from chinacomply.sources import discover

# Grounds whose transfers stay out of the counters (P24 Arts. 3-6, which Arts. 7-8 defer to; no
# CAC text read says so expressly).
GROUND_RULES = frozenset(
    {
        "p24.3.no_pi_no_important_data",
        "p24.4.foreign_origin",
        "p24.5.1.contract",
        "p24.5.2.hr",
        "p24.5.3.emergency",
        "ndsmr.35.6.statutory_duty",
        "p24.6.ftz_negative_list",
    }
)
GROUNDS = {
    "contract": "contract_with_individual",
    "hr": "hr_management",
    "emergency": "emergency",
    "statutory": "statutory_duty",
}
# The mechanism a pathway needs before the data may go, and the filings that provide it.
REQUIRED_FILINGS = {
    "standard_contract_or_certification": {
        "standard_contract",
        "certification",
        "gba_standard_contract",
    },
    "gba_standard_contract": {"gba_standard_contract"},
    "security_assessment": {"security_assessment"},
    "extend_assessment": {"security_assessment"},
    "redeclare_assessment": {"security_assessment"},
    "refile_standard_contract": {"standard_contract", "gba_standard_contract"},
    "no_new_filing": set(),
    "exempt": set(),
    "not_an_export": set(),
}


class WorkflowError(ValueError):
    """A request the workflow refuses, with the reason a user can act on."""


@dataclass(frozen=True)
class Keys:
    """The keyed hashes of a dataset's individuals and the counters they fall in."""

    digests: list[bytes]
    sensitive: bool
    non_sensitive: bool

    @property
    def sha256(self) -> str:
        return hashlib.sha256(b"".join(sorted(self.digests))).hexdigest()


@dataclass(frozen=True)
class Plan:
    plan_id: str
    decision: Decision
    individuals: int
    new_non_sensitive: int
    new_sensitive: int


@dataclass(frozen=True)
class Totals:
    on: dt.date
    window: str
    years: tuple[int, ...]
    non_sensitive: int
    sensitive: int
    thresholds: list[dict[str, Any]] = field(default_factory=list)


def add_filing(
    store: Store,
    recipient: str,
    region: str,
    mechanism: str,
    valid_from: dt.date,
    reference: str,
    who: str = "cli",
) -> models.Filing:
    """Record a mechanism in place for a recipient (an assessment result, a filed contract, a
    certificate): the filing later plans and records check against."""
    with store.transaction() as session:
        to = repository.recipient(session, recipient, region)
        filed = repository.add_filing(session, to, mechanism, valid_from, reference)
        repository.audit(session, who, "filing add", "filing", filed.id, {"mechanism": mechanism})
    return filed


def window_years(on: dt.date) -> tuple[str, tuple[int, ...]]:
    """The counting window in force on a date (a dated parameter) and the years it spans."""
    window = str(packs.get("export").parameter("export.counting_window", on).value)
    years = (on.year - 1, on.year) if window == "previous_and_current_year" else (on.year,)
    return window, years


def dataset_keys(dataset: models.Dataset, cols: Sequence[models.Column], key: bytes) -> Keys:
    """Read the dataset's subject key over every row, normalise, hash."""
    if dataset.subject_key is None or dataset.subject_type is None:
        raise WorkflowError(f"{dataset.source}: no column identifies a person; nothing to count")
    counter = DistinctCounter(dataset.subject_type)
    for batch in discover.open_source(dataset.source).batches([dataset.subject_key]):
        counter.add(batch.column(0))
    pi = [c for c in cols if c.type is not None and c.type != "uscc"]
    digests = list(ledger_keys.digests(key, dataset.subject_type, counter.keys()))
    sensitive = any(c.sensitive for c in pi) or bool(dataset.minors)
    non_sensitive = any(not c.sensitive for c in pi)
    return Keys(digests, sensitive, non_sensitive)


def plan(
    store: Store,
    key: bytes,
    dataset_ref: str,
    recipient: str,
    region: str,
    on: dt.date,
    ground: str | None = None,
    extra_facts: dict[str, Any] | None = None,
    who: str = "cli",
) -> Plan:
    """Count the new individuals, decide, and store the plan with its decision."""
    with store.transaction() as session:
        dataset = repository.find_dataset(session, dataset_ref)
        if dataset is None:
            raise WorkflowError(
                f"no dataset {dataset_ref!r} in the inventory (inventory add first)"
            )
        cols = repository.columns(session, dataset.id)
    found = dataset_keys(dataset, cols, key)
    _, years = window_years(on)
    with store.transaction() as session:
        to = repository.recipient(session, recipient, region)
        new_n = (
            repository.count_new(session, found.digests, years, False) if found.non_sensitive else 0
        )
        new_s = repository.count_new(session, found.digests, years, True) if found.sensitive else 0
        total_n = repository.window_total(session, years, False) + new_n
        total_s = repository.window_total(session, years, True) + new_s
        filing = repository.latest_filing(session, to.id, on)
        raw = _facts(extra_facts or {}, on, region, found, ground, total_n, total_s, filing)
        decision = engine.evaluate(packs.get("export").parse(raw, "export plan"))
        plan_id = str(uuid.uuid4())
        transfer = models.Transfer(
            plan_id=plan_id,
            dataset_id=dataset.id,
            recipient_id=to.id,
            ground=ground,
            on=on,
            status="planned",
            exempt_on_ground=decision.decided_rule in GROUND_RULES,
            individuals=len(found.digests),
            new_non_sensitive=new_n,
            new_sensitive=new_s,
            carries_sensitive=found.sensitive,
            carries_non_sensitive=found.non_sensitive,
            keys_sha256=found.sha256,
            pathway=decision.pathway,
            created_at=repository.now(),
        )
        session.add(transfer)
        session.flush()
        if found.non_sensitive:
            repository.stage_entries(session, transfer, found.digests, sensitive=False)
        if found.sensitive:
            repository.stage_entries(session, transfer, found.digests, sensitive=True)
        repository.save_decision(session, transfer.id, _jsonable(raw), decision.to_dict(), who)
        repository.audit(
            session,
            who,
            "plan",
            "transfer",
            plan_id,
            {"dataset": dataset.id, "recipient": to.id, "pathway": decision.pathway},
        )
    return Plan(plan_id, decision, len(found.digests), new_n, new_s)


def _facts(
    extra: dict[str, Any],
    on: dt.date,
    region: str,
    found: Keys,
    ground: str | None,
    total_n: int,
    total_s: int,
    filing: models.Filing | None,
) -> dict[str, Any]:
    if "volumes" in extra or "as_of" in extra:
        raise WorkflowError(
            "facts file: volumes and as_of are computed from the ledger; leave them out"
        )
    for section in ("activity", "data", "grounds"):
        if section in extra and not isinstance(extra[section], dict):
            raise FactsError(f"facts: {section}: expected a mapping")
    raw: dict[str, Any] = {k: dict(v) if isinstance(v, dict) else v for k, v in extra.items()}
    raw["as_of"] = on
    raw.setdefault("activity", {})["recipient_region"] = region
    data = raw.setdefault("data", {})
    data.setdefault("personal_information", True)
    data["sensitive_personal_information"] = found.sensitive
    if ground is not None:
        raw.setdefault("grounds", {})[GROUNDS[ground]] = True
    raw["volumes"] = {"non_sensitive": total_n, "sensitive": total_s}
    if filing is not None and "existing" not in raw:
        raw["existing"] = {"mechanism": filing.mechanism, "valid_from": filing.valid_from}
    return raw


def _jsonable(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in raw.items():
        out[k] = (
            _jsonable(v) if isinstance(v, dict) else v.isoformat() if isinstance(v, dt.date) else v
        )
    return out


@dataclass(frozen=True)
class Recorded:
    plan_id: str
    newly_recorded: bool
    before: Totals
    after: Totals
    crossed: list[str]


def record(store: Store, plan_id: str, force: bool = False, who: str = "cli") -> Recorded:
    """Commit a planned transfer to the ledger, once: a second call changes nothing. What is
    recorded is what was planned (the staged hashes), in one transaction."""
    with store.transaction() as session:
        transfer = repository.transfer_by_plan(session, plan_id)
        if transfer is None:
            raise WorkflowError(f"no plan {plan_id!r}")
        on = transfer.on
    before = status(store, on)
    with store.transaction() as session:
        transfer = repository.transfer_by_plan(session, plan_id, lock=True)
        assert transfer is not None
        if transfer.status == "recorded":  # recorded before, or by another process meanwhile
            return Recorded(plan_id, False, before, before, [])
        _require_filing(session, transfer, force)
        repository.commit_entries(session, transfer)
        transfer.status = "recorded"
        transfer.recorded_at = repository.now()
        detail = {"individuals": transfer.individuals, "forced": force}
        repository.audit(session, who, "record", "transfer", plan_id, detail)
    after = status(store, on)
    return Recorded(plan_id, True, before, after, _crossed(before, after))


def _require_filing(session: Any, transfer: models.Transfer, force: bool) -> None:
    if transfer.pathway == "core_data_restricted" and not force:
        raise WorkflowError("core data may not leave under the export mechanisms (NDSMR Art. 63)")
    needed = REQUIRED_FILINGS.get(transfer.pathway, set())
    if not needed or force:
        return
    filing = repository.latest_filing(session, transfer.recipient_id, transfer.on)
    if filing is None or filing.mechanism not in needed:
        wanted = " or ".join(sorted(needed))
        raise WorkflowError(
            f"the decision requires {transfer.pathway}: record a {wanted} filing for this "
            "recipient first (chinacomply filing add), or use --force"
        )


THRESHOLDS = (
    (
        "non_sensitive",
        "export.contract.non_sensitive_from",
        "standard contract or certification (P24 Art. 8)",
    ),
    (
        "sensitive",
        "export.contract.sensitive_from",
        "standard contract or certification (P24 Art. 8)",
    ),
    ("non_sensitive", "export.assessment.non_sensitive_from", "security assessment"),
    ("sensitive", "export.assessment.sensitive_from", "security assessment"),
)
WARN_AT = 0.8


def status(store: Store, on: dt.date) -> Totals:
    """Window totals on a date against every threshold in force, with headroom."""
    window, years = window_years(on)
    with store.transaction() as session:
        n = repository.window_total(session, years, False)
        s = repository.window_total(session, years, True)
    rows = []
    for counter, name, meaning in THRESHOLDS:
        export = packs.get("export")
        first = export.parameters[name][0].effective_from
        if on < first:
            continue
        limit = export.parameter(name, on).value
        if limit is None:
            continue
        total = n if counter == "non_sensitive" else s
        rows.append(
            {
                "counter": counter,
                "threshold": int(limit),
                "meaning": meaning,
                "total": total,
                "headroom": max(0, int(limit) - total),
                "reached": total >= int(limit),
                "warning": WARN_AT * int(limit) <= total < int(limit),
            }
        )
    return Totals(on, window, years, n, s, rows)


def _crossed(before: Totals, after: Totals) -> list[str]:
    """Thresholds this record crossed: each one means running the decision again (QA2510 Q7)."""
    was = {(r["counter"], r["threshold"]) for r in before.thresholds if r["reached"]}
    return [
        f"{r['counter'].replace('_', '-')} total {r['total']:,} reached {r['threshold']:,}: "
        f"{r['meaning']} — assess the next export again (QA2510 Q7)"
        for r in after.thresholds
        if r["reached"] and (r["counter"], r["threshold"]) not in was
    ]
