"""The inventory's tables. Nothing here holds a raw identifier: datasets and columns carry
classifications and masked examples, the ledger carries keyed hashes, decisions carry facts
that hold counts, not people."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class System(Base):
    """Where datasets live: a folder of files or a database server."""

    __tablename__ = "systems"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Dataset(Base):
    __tablename__ = "datasets"
    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"))
    source: Mapped[str] = mapped_column(String(1000), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    rows: Mapped[int] = mapped_column(Integer)
    subject_key: Mapped[str | None] = mapped_column(String(500))
    subject_type: Mapped[str | None] = mapped_column(String(50))
    individuals: Mapped[int | None] = mapped_column(Integer)
    minors: Mapped[int | None] = mapped_column(Integer)
    sensitive: Mapped[bool] = mapped_column(Boolean)
    profile: Mapped[str] = mapped_column(String(50))
    scanned_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Column(Base):
    __tablename__ = "columns"
    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(500))
    type: Mapped[str | None] = mapped_column(String(50))
    sensitive: Mapped[bool] = mapped_column(Boolean)
    confidence: Mapped[float] = mapped_column(Float)
    matched: Mapped[int] = mapped_column(Integer)
    checked: Mapped[int] = mapped_column(Integer)
    categories: Mapped[list[Any]] = mapped_column(JSON)
    evidence: Mapped[str] = mapped_column(Text)
    free_text: Mapped[bool] = mapped_column(Boolean)


class Recipient(Base):
    __tablename__ = "recipients"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500), unique=True)
    region: Mapped[str] = mapped_column(String(2))


class Filing(Base):
    """A mechanism in place for a recipient: an assessment result, a filed contract, a
    certificate. Export records check that the mechanism a decision requires is here."""

    __tablename__ = "filings"
    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipients.id"), index=True)
    mechanism: Mapped[str] = mapped_column(String(50))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Transfer(Base):
    """A planned export of one dataset to one recipient, then (once recorded) an executed one."""

    __tablename__ = "transfers"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[str] = mapped_column(String(36), unique=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipients.id"))
    ground: Mapped[str | None] = mapped_column(String(50))
    on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # planned | recorded
    exempt_on_ground: Mapped[bool] = mapped_column(Boolean)
    individuals: Mapped[int] = mapped_column(Integer)
    new_non_sensitive: Mapped[int] = mapped_column(Integer)
    new_sensitive: Mapped[int] = mapped_column(Integer)
    carries_sensitive: Mapped[bool] = mapped_column(Boolean)
    carries_non_sensitive: Mapped[bool] = mapped_column(Boolean)
    keys_sha256: Mapped[str] = mapped_column(String(64))
    pathway: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class LedgerEntry(Base):
    """One individual carried by one executed transfer, as a keyed hash, in one counter.

    The primary key (digest first) is the only index: it answers both "is this person already
    in the window" and "how many distinct people are in it" (a scan in digest order), and on
    SQLite the table is stored in that order (WITHOUT ROWID), so ten million entries cost one
    b-tree instead of three.
    """

    __tablename__ = "ledger_entries"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy reads it as is
    digest: Mapped[bytes] = mapped_column(LargeBinary(16), primary_key=True)
    sensitive: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), primary_key=True)
    exempt: Mapped[bool] = mapped_column(Boolean)


class PlannedEntry(Base):
    """The keyed hashes a planned transfer will add, staged at plan time: recording moves them
    into the ledger inside the database, so the ledger counts exactly the individuals the
    decision was made on, and a record of ten million takes one INSERT ... SELECT."""

    __tablename__ = "planned_entries"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy reads it as is
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), primary_key=True)
    sensitive: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    digest: Mapped[bytes] = mapped_column(LargeBinary(16), primary_key=True)


class DecisionRecord(Base):
    """Append-only: the facts, the decision and the ruleset that made it, who asked and when."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"), index=True)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    decision: Mapped[dict[str, Any]] = mapped_column(JSON)
    ruleset_sha256: Mapped[str] = mapped_column(String(64))
    who: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AuditEvent(Base):
    """Append-only log of every change: who did what to which record, when."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    who: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(100))
    entity_id: Mapped[str] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class ApiToken(Base):
    """A credential for the REST API and the dashboard. Only the SHA-256 of the secret is kept:
    a copy of the database gives no usable token."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(String(10))  # read | write
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
