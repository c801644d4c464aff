"""Read models for the API and the dashboard: the inventory, decisions, the audit log and the
ledger's history as plain dicts (JSON-ready), each read in one transaction. Nothing here
changes the store; changes go through the use-case modules (inventory, export, tokens)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from chinacomply.inventory import models
from chinacomply.inventory.store import Store
from chinacomply.services import export

DEFAULT_LIMIT = 100


def _dataset(row: models.Dataset, columns: list[models.Column] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": row.id,
        "name": row.name,
        "source": row.source,
        "rows": row.rows,
        "subject_key": row.subject_key,
        "individuals": row.individuals,
        "minors": row.minors,
        "sensitive": row.sensitive,
        "profile": row.profile,
        "scanned_at": row.scanned_at.isoformat(),
    }
    if columns is not None:
        pi = [c for c in columns if c.type]
        out["pi_types"] = sorted({c.type for c in pi if c.type})
        out["sensitive_columns"] = [c.name for c in pi if c.sensitive]
        out["columns"] = [
            {
                "name": c.name,
                "type": c.type,
                "sensitive": c.sensitive,
                "confidence": c.confidence,
                "matched": c.matched,
                "checked": c.checked,
                "categories": c.categories,
                "evidence": c.evidence,
                "free_text": c.free_text,
            }
            for c in columns
        ]
    return out


def datasets(store: Store) -> list[dict[str, Any]]:
    """Every dataset with its PI types and sensitive columns (the inventory at a glance)."""
    with store.transaction() as session:
        rows = session.scalars(sa.select(models.Dataset).order_by(models.Dataset.id)).all()
        cols = session.scalars(sa.select(models.Column).order_by(models.Column.id)).all()
        by_dataset: dict[int, list[models.Column]] = {}
        for col in cols:
            by_dataset.setdefault(col.dataset_id, []).append(col)
        return [_dataset(r, by_dataset.get(r.id, [])) for r in rows]


def dataset(store: Store, dataset_id: int) -> dict[str, Any] | None:
    with store.transaction() as session:
        row = session.get(models.Dataset, dataset_id)
        if row is None:
            return None
        cols = session.scalars(
            sa.select(models.Column)
            .where(models.Column.dataset_id == dataset_id)
            .order_by(models.Column.id)
        ).all()
        return _dataset(row, list(cols))


def _decision(row: models.DecisionRecord, full: bool) -> dict[str, Any]:
    decision = row.decision
    out: dict[str, Any] = {
        "id": row.id,
        "transfer_id": row.transfer_id,
        "who": row.who,
        "created_at": row.created_at.isoformat(),
        "pathway": decision.get("pathway"),
        "decided_by": decision.get("decided_by"),
        "as_of": decision.get("as_of"),
        "summary": decision.get("summary"),
    }
    if full:
        out["facts"] = row.facts
        out["decision"] = decision
    return out


def decisions(
    store: Store, pathway: str | None = None, limit: int = DEFAULT_LIMIT
) -> list[dict[str, Any]]:
    """Decisions, newest first, optionally of one pathway."""
    with store.transaction() as session:
        query = sa.select(models.DecisionRecord).order_by(models.DecisionRecord.id.desc())
        rows = session.scalars(query).all()
        found = [_decision(r, False) for r in rows]
    if pathway:
        found = [d for d in found if d["pathway"] == pathway]
    return found[:limit]


def decision(store: Store, decision_id: int) -> dict[str, Any] | None:
    """One decision with its facts and the full decision JSON (trace included)."""
    with store.transaction() as session:
        row = session.get(models.DecisionRecord, decision_id)
        return None if row is None else _decision(row, True)


def audit(
    store: Store,
    action: str | None = None,
    who: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[dict[str, Any]]:
    """Audit events, newest first, filtered by action prefix and by who."""
    e = models.AuditEvent
    with store.transaction() as session:
        query = sa.select(e).order_by(e.id.desc())
        if action:
            query = query.where(e.action.startswith(action))
        if who:
            query = query.where(e.who == who)
        rows = session.scalars(query.limit(limit)).all()
        return [
            {
                "id": r.id,
                "at": r.at.isoformat(),
                "who": r.who,
                "action": r.action,
                "entity": r.entity,
                "entity_id": r.entity_id,
                "detail": r.detail,
            }
            for r in rows
        ]


def ledger(store: Store, on: dt.date) -> dict[str, Any]:
    """The window in force on a date: totals, every threshold with its headroom, and the
    history of recorded transfers in the window with cumulative individuals per counter."""
    totals = export.status(store, on)
    t = models.Transfer
    with store.transaction() as session:
        rows = session.scalars(
            sa.select(t).where(t.status == "recorded").order_by(t.recorded_at, t.id)
        ).all()
        history = []
        non_sensitive = sensitive = 0
        for row in rows:
            if row.on.year not in totals.years or row.on > on:
                continue
            if not row.exempt_on_ground:
                non_sensitive += row.new_non_sensitive
                sensitive += row.new_sensitive
            history.append(
                {
                    "plan_id": row.plan_id,
                    "on": row.on.isoformat(),
                    "pathway": row.pathway,
                    "exempt": row.exempt_on_ground,
                    "non_sensitive": non_sensitive,
                    "sensitive": sensitive,
                }
            )
    return {
        "as_of": on.isoformat(),
        "window": totals.window,
        "years": list(totals.years),
        "non_sensitive": totals.non_sensitive,
        "sensitive": totals.sensitive,
        "thresholds": totals.thresholds,
        "history": history,
    }


def transfers(store: Store, status: str | None = None) -> list[dict[str, Any]]:
    """Planned and recorded exports, newest first: dataset, recipient, date, pathway, counts."""
    t, d, r = models.Transfer, models.Dataset, models.Recipient
    with store.transaction() as session:
        query = (
            sa.select(t, d.name, r.name, r.region)
            .join(d, d.id == t.dataset_id)
            .join(r, r.id == t.recipient_id)
            .order_by(t.id.desc())
        )
        if status:
            query = query.where(t.status == status)
        return [
            {
                "plan_id": row.plan_id,
                "status": row.status,
                "dataset": dataset,
                "recipient": recipient,
                "region": region,
                "on": row.on.isoformat(),
                "ground": row.ground,
                "pathway": row.pathway,
                "individuals": row.individuals,
                "new_non_sensitive": row.new_non_sensitive,
                "new_sensitive": row.new_sensitive,
                "exempt": row.exempt_on_ground,
                "recorded_at": row.recorded_at.isoformat() if row.recorded_at else None,
            }
            for row, dataset, recipient, region in session.execute(query).all()
        ]
