"""The recognizers chinacomply ships, in priority order, loaded on first use (never at import).

Order matters where shapes overlap: an 18-digit value is tried as a resident ID before a bank
card, and a 15-digit value as an IMEI after the legacy ID form has failed.
"""

from __future__ import annotations

import importlib
from functools import cache

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


def _load(module: str) -> object:
    return importlib.import_module(f"chinacomply.scan.recognizers.{module}")


@cache
def shape_recognizers() -> tuple[Recognizer, ...]:
    """Every shape-based recognizer; a module may define several (RECOGNIZERS) or one."""
    found: list[Recognizer] = []
    for module in SHAPE_MODULES:
        mod = _load(module)
        found.extend(getattr(mod, "RECOGNIZERS", None) or (mod.RECOGNIZER,))
    return tuple(found)


@cache
def lexical_recognizers() -> tuple[LexicalRecognizer, ...]:
    return tuple(_load(module).RECOGNIZER for module in LEXICAL_MODULES)


def by_type(type_: str) -> Recognizer | LexicalRecognizer | None:
    """The recognizer for an entity type, used to normalise a subject key for counting."""
    for rec in (*shape_recognizers(), *lexical_recognizers()):
        if rec.type == type_:
            return rec
    return None
