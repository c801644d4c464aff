"""The taxonomy covers every entity type of the contract, and profiles differ only where the
law's readings differ (GB/T 35273 Annex B against PIPL Art. 28 read with TC260-PG-20244A;
sources in docs/identifier-facts.md, rows 10a-10c)."""

from __future__ import annotations

import pytest

import chinacomply
from chinacomply.scan import registry
from chinacomply.taxonomy import taxonomy

CONTRACT_TYPES = {
    "person_name",
    "cn_resident_id",
    "passport",
    "hk_macau_permit",
    "taiwan_permit",
    "phone_number",
    "landline",
    "email",
    "address",
    "bank_card",
    "financial_account",
    "license_plate",
    "ip_address",
    "mac_address",
    "device_id",
    "geo_coordinate",
    "date_of_birth",
    "gender",
    "ethnicity",
    "biometric",
    "health",
    "religion",
    "criminal_record",
    "minor",
    "credential",
    "uscc",
}


def test_every_contract_type_has_taxonomy_entry() -> None:
    assert set(taxonomy.types()) == CONTRACT_TYPES


def test_every_recognizer_type_is_a_contract_type() -> None:
    recs = {r.type for r in registry.shape_recognizers()} | {
        r.type for r in registry.lexical_recognizers()
    }
    assert recs <= CONTRACT_TYPES


@pytest.mark.parametrize(
    "type_", ["biometric", "health", "religion", "bank_card", "minor", "geo_coordinate"]
)
def test_pipl_art_28_categories_sensitive_in_every_profile(type_: str) -> None:
    assert taxonomy.is_sensitive(type_, "pipl") and taxonomy.is_sensitive(type_, "gb35273")


@pytest.mark.parametrize(
    "type_", ["cn_resident_id", "passport", "hk_macau_permit", "taiwan_permit"]
)
def test_identity_documents_sensitive_only_under_gb35273(type_: str) -> None:
    assert not taxonomy.is_sensitive(type_, "pipl")
    assert taxonomy.is_sensitive(type_, "gb35273")


def test_unknown_profile_is_an_error_listing_the_known() -> None:
    with pytest.raises(taxonomy.UnknownProfileError, match="gb35273, pipl"):
        taxonomy.profile("gdpr")


def test_public_api_is_pinned() -> None:
    assert sorted(chinacomply.__all__) == sorted(
        ["ColumnReport", "Span", "TableReport", "__version__", "find_spans", "scan"]
    )
