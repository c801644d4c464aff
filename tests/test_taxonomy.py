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
    # added for what a China DPO expects (issue 11)
    "salary",
    "marital_status",
    "political_affiliation",
    "wechat_id",
    "wechat_openid",
    "qq_number",
    "employee_number",
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


@pytest.mark.parametrize(
    ("type_", "pipl", "gb35273", "category"),
    [
        # income is financial PI: TC260-PG-20244A (PIPL Art. 28), GB/T 35273 B.1
        ("salary", True, True, "property.income"),
        # GB/T 35273 B.1 lists marital history (婚史); PIPL Art. 28 and the guide do not
        ("marital_status", False, True, "basic.marital_status"),
        # listed by none of them: PI, not sensitive PI (see the comment in pi_types.yaml)
        ("political_affiliation", False, False, "other.political_affiliation"),
        ("wechat_id", False, False, "network_identity.account"),
        ("wechat_openid", False, False, "network_identity.account"),
        ("qq_number", False, False, "network_identity.account"),
        ("employee_number", False, False, "education_work.employee_number"),
    ],
)
def test_new_types_category_and_sensitivity(
    type_: str, pipl: bool, gb35273: bool, category: str
) -> None:
    assert taxonomy.types()[type_].pi
    assert taxonomy.is_sensitive(type_, "pipl") is pipl
    assert taxonomy.is_sensitive(type_, "gb35273") is gb35273
    assert taxonomy.categories(type_) == (category,)


def test_every_type_is_decided_under_every_profile() -> None:
    for info in taxonomy.types().values():
        assert set(info.sensitive) == set(taxonomy.profiles()), info.type


def test_unknown_profile_is_an_error_listing_the_known() -> None:
    with pytest.raises(taxonomy.UnknownProfileError, match="gb35273, pipl"):
        taxonomy.profile("gdpr")


def test_public_api_is_pinned() -> None:
    """The whole list is pinned, with its tests, in tests/test_python_api.py."""
    assert {"scan", "scan_text", "assess", "__version__"} <= set(chinacomply.__all__)
