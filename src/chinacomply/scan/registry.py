"""The recognizers chinacomply ships, in priority order, loaded on first use (never at import).

Order matters where shapes overlap: an 18-digit value is tried as a resident ID before a bank
card, and a 15-digit value as an IMEI after the legacy ID form has failed.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType
from typing import TypeVar

from chinacomply.scan.recognizer import LexicalRecognizer, Recognizer

SHAPE_MODULES = (
    "cn_resident_id",
    "bank_card",
    "uscc",
    "device_id",
    "phone_number",
    "landline",
    "email",
    "passport",
    "hk_macau_permit",
    "taiwan_permit",
    "license_plate",
    "ip_address",
    "mac_address",
    "geo_coordinate",
)

LEXICAL_MODULES = ("person_name", "address")

T = TypeVar("T", Recognizer, LexicalRecognizer)


def _load(module: str) -> ModuleType:
    return importlib.import_module(f"chinacomply.scan.recognizers.{module}")


def _exported(module: str, kind: type[T]) -> tuple[T, ...]:
    """A module's RECOGNIZERS, or its single RECOGNIZER, checked to be of the expected kind."""
    mod = _load(module)
    recs = getattr(mod, "RECOGNIZERS", None) or (getattr(mod, "RECOGNIZER", None),)
    for rec in recs:
        if not isinstance(rec, kind):
            raise TypeError(f"{mod.__name__} exports {rec!r}, not a {kind.__name__}")
    return tuple(recs)


@cache
def shape_recognizers() -> tuple[Recognizer, ...]:
    """Every shape-based recognizer, in priority order."""
    return tuple(rec for module in SHAPE_MODULES for rec in _exported(module, Recognizer))


@cache
def lexical_recognizers() -> tuple[LexicalRecognizer, ...]:
    return tuple(rec for module in LEXICAL_MODULES for rec in _exported(module, LexicalRecognizer))


def by_type(type_: str) -> Recognizer | LexicalRecognizer | None:
    """The recognizer for an entity type, used to normalise a subject key for counting."""
    recs: tuple[Recognizer | LexicalRecognizer, ...] = (
        *shape_recognizers(),
        *lexical_recognizers(),
    )
    return next((rec for rec in recs if rec.type == type_), None)
