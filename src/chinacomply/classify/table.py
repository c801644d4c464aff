"""Classify a table from a sample and choose its subject key: the column that identifies a
person best, whose distinct normalised values are the table's individuals."""

from __future__ import annotations

import pyarrow as pa

from chinacomply.classify.column import classify_column
from chinacomply.model import ColumnReport

# Identifiers from strongest to weakest. A resident ID names one person for life; a phone
# number or e-mail usually does; a bank card or device may be shared; a name is not unique,
# so it is the key of last resort and its count is an upper bound of the people it names.
SUBJECT_RANK = (
    "cn_resident_id",
    "passport",
    "hk_macau_permit",
    "taiwan_permit",
    "phone_number",
    "email",
    "bank_card",
    "financial_account",
    "device_id",
    "license_plate",
    "person_name",
)


def classify_sample(sample: pa.Table, profile: str) -> tuple[ColumnReport, ...]:
    """Every column of the sample, classified independently."""
    return tuple(
        classify_column(name, sample.column(name).combine_chunks().drop_null(), profile)
        for name in sample.column_names
    )


def subject_key(columns: tuple[ColumnReport, ...]) -> ColumnReport | None:
    """The best identifying column: strongest identifier type, then most values matched."""
    keyed = [c for c in columns if c.type in SUBJECT_RANK and not c.free_text]
    if not keyed:
        return None
    return min(keyed, key=lambda c: (SUBJECT_RANK.index(c.type or ""), -c.matched, -c.confidence))
