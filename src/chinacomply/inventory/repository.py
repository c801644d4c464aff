"""Reads and writes of the inventory, one function per question or change. Callers hand in
the session of their transaction; nothing here commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from chinacomply.inventory import models
from chinacomply.model import TableReport

BATCH = 50_000


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def audit(
    session: Session, who: str, action: str, entity: str, entity_id: object, detail: dict[str, Any]
) -> None:
    session.add(
        models.AuditEvent(
            at=now(), who=who, action=action, entity=entity, entity_id=str(entity_id), detail=detail
        )
    )


def _system(session: Session, name: str) -> models.System:
    found = session.scalar(sa.select(models.System).where(models.System.name == name))
    if found is None:
        found = models.System(name=name, created_at=now())
        session.add(found)
        session.flush()
    return found


def save_dataset(session: Session, report: TableReport, system: str) -> models.Dataset:
    """Insert or replace the dataset scanned from `report.source`, with its columns."""
    dataset = session.scalar(
        sa.select(models.Dataset).where(models.Dataset.source == report.source)
    )
    fields = {
        "system_id": _system(session, system).id,
        "name": report.name,
        "rows": report.rows,
        "subject_key": report.subject_key,
        "individuals": report.individuals,
        "subject_type": next(
            (c.type for c in report.columns if c.name == report.subject_key), None
        ),
        "minors": report.minors,
        "sensitive": report.sensitive,
        "profile": report.profile,
        "scanned_at": now(),
    }
    if dataset is None:
        dataset = models.Dataset(source=report.source, **fields)
        session.add(dataset)
    else:
        for key, value in fields.items():
            setattr(dataset, key, value)
        session.execute(sa.delete(models.Column).where(models.Column.dataset_id == dataset.id))
    session.flush()
    for col in report.columns:
        session.add(
            models.Column(
                dataset_id=dataset.id,
                name=col.name,
                type=col.type,
                sensitive=col.sensitive,
                confidence=col.confidence,
                matched=col.matched,
                checked=col.checked,
                categories=list(col.categories),
                evidence=col.evidence,
                free_text=col.free_text,
            )
        )
    return dataset


def datasets(session: Session) -> Sequence[models.Dataset]:
    return session.scalars(sa.select(models.Dataset).order_by(models.Dataset.id)).all()


def find_dataset(session: Session, ref: str) -> models.Dataset | None:
    """By id, by source, or by name when the name is unique."""
    if ref.isdigit():
        return session.get(models.Dataset, int(ref))
    by_source = session.scalar(sa.select(models.Dataset).where(models.Dataset.source == ref))
    if by_source is not None:
        return by_source
    named = session.scalars(sa.select(models.Dataset).where(models.Dataset.name == ref)).all()
    return named[0] if len(named) == 1 else None


def columns(session: Session, dataset_id: int) -> Sequence[models.Column]:
    return session.scalars(
        sa.select(models.Column)
        .where(models.Column.dataset_id == dataset_id)
        .order_by(models.Column.id)
    ).all()


def recipient(session: Session, name: str, region: str) -> models.Recipient:
    found = session.scalar(sa.select(models.Recipient).where(models.Recipient.name == name))
    if found is None:
        found = models.Recipient(name=name, region=region)
        session.add(found)
        session.flush()
    elif found.region != region:
        raise ValueError(f"recipient {name!r} is registered in {found.region}, not {region}")
    return found


def add_filing(
    session: Session, to: models.Recipient, mechanism: str, valid_from: dt.date, reference: str
) -> models.Filing:
    filing = models.Filing(
        recipient_id=to.id,
        mechanism=mechanism,
        valid_from=valid_from,
        reference=reference,
        created_at=now(),
    )
    session.add(filing)
    session.flush()
    return filing


def latest_filing(session: Session, recipient_id: int, on: dt.date) -> models.Filing | None:
    return session.scalar(
        sa.select(models.Filing)
        .where(models.Filing.recipient_id == recipient_id, models.Filing.valid_from <= on)
        .order_by(models.Filing.valid_from.desc(), models.Filing.id.desc())
    )


def window_total(session: Session, years: Iterable[int], sensitive: bool) -> int:
    """Distinct individuals in a counter over the window's years, exempt transfers excluded."""
    e = models.LedgerEntry
    query = sa.select(sa.func.count(sa.distinct(e.digest))).where(
        e.year.in_(list(years)), e.sensitive == sensitive, e.exempt.is_(False)
    )
    return int(session.scalar(query) or 0)


def count_new(
    session: Session, digests: Sequence[bytes], years: Iterable[int], sensitive: bool
) -> int:
    """How many of `digests` the counter's window does not hold yet (a temporary table and one
    anti-join, so ten million keys cost one query, not ten thousand)."""
    if not digests:
        return 0
    conn = session.connection()
    binary = "BYTEA" if conn.dialect.name == "postgresql" else "BLOB"
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS plan_keys (digest {binary} PRIMARY KEY)"
    )
    conn.exec_driver_sql("DELETE FROM plan_keys")
    table = sa.table("plan_keys", sa.column("digest", sa.LargeBinary))
    for start in range(0, len(digests), BATCH):
        conn.execute(sa.insert(table), [{"digest": d} for d in digests[start : start + BATCH]])
    e = models.LedgerEntry
    held = (
        sa.select(sa.literal(1))
        .where(
            e.digest == table.c.digest,
            e.sensitive == sensitive,
            e.year.in_(list(years)),
            e.exempt.is_(False),
        )
        .exists()
    )
    new = int(
        conn.execute(sa.select(sa.func.count()).select_from(table).where(~held)).scalar() or 0
    )
    conn.exec_driver_sql("DELETE FROM plan_keys")
    return new


def stage_entries(
    session: Session, transfer: models.Transfer, digests: Sequence[bytes], sensitive: bool
) -> None:
    """Stage a planned transfer's hashes. Bulk insert through the driver (plain tuples, sorted
    so the b-tree grows in order): many times faster than ORM objects for millions of rows."""
    conn = session.connection()
    marker = "%s" if conn.dialect.paramstyle in ("format", "pyformat") else "?"
    statement = (
        "INSERT INTO planned_entries (transfer_id, sensitive, digest) "
        f"VALUES ({marker}, {marker}, {marker})"
    )
    ordered = sorted(digests)
    for start in range(0, len(ordered), BATCH):
        rows = [(transfer.id, sensitive, d) for d in ordered[start : start + BATCH]]
        conn.exec_driver_sql(statement, rows)


def commit_entries(session: Session, transfer: models.Transfer) -> int:
    """Move a transfer's staged hashes into the ledger, inside the database; returns how many."""
    params = {"id": transfer.id, "year": transfer.on.year, "exempt": transfer.exempt_on_ground}
    moved = session.execute(
        sa.text(
            "INSERT INTO ledger_entries (digest, sensitive, year, transfer_id, exempt) "
            "SELECT digest, sensitive, :year, transfer_id, :exempt FROM planned_entries "
            "WHERE transfer_id = :id ORDER BY digest"
        ),
        params,
    )
    session.execute(sa.text("DELETE FROM planned_entries WHERE transfer_id = :id"), params)
    return int(getattr(moved, "rowcount", 0) or 0)


def transfer_by_plan(session: Session, plan_id: str, lock: bool = False) -> models.Transfer | None:
    query = sa.select(models.Transfer).where(models.Transfer.plan_id == plan_id)
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def save_decision(
    session: Session,
    transfer_id: int | None,
    facts: dict[str, Any],
    decision: dict[str, Any],
    who: str,
) -> None:
    session.add(
        models.DecisionRecord(
            transfer_id=transfer_id,
            facts=facts,
            decision=decision,
            ruleset_sha256=decision["ruleset"]["sha256"],
            who=who,
            created_at=now(),
        )
    )


def add_token(session: Session, name: str, scope: str, digest: str) -> models.ApiToken:
    token = models.ApiToken(name=name, scope=scope, digest=digest, created_at=now())
    session.add(token)
    session.flush()
    return token


def token_by_digest(session: Session, digest: str) -> models.ApiToken | None:
    return session.scalar(
        sa.select(models.ApiToken).where(
            models.ApiToken.digest == digest, models.ApiToken.revoked_at.is_(None)
        )
    )
