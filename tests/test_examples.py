"""The bundled examples are classified exactly as their generator says they are, and every
count of individuals is exact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chinacomply.model import TableReport
from chinacomply.services import options
from chinacomply.services import scan as service

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def reports() -> dict[str, TableReport]:
    return {r.name: r for r in service.scan_targets([str(EXAMPLES)], options.ScanOptions())}


def test_every_example_table_is_found(
    reports: dict[str, TableReport], truth: dict[str, Any]
) -> None:
    assert set(reports) == set(truth)


@pytest.mark.parametrize(
    "table", ["customers", "patients_gbk", "orders", "employees", "merchants", "app_logins"]
)
def test_columns_subject_key_and_individuals(
    reports: dict[str, TableReport], truth: dict[str, Any], table: str
) -> None:
    report, expected = reports[table], truth[table]
    got = {c.name: ("free_text" if c.free_text else c.type) for c in report.columns}
    assert got == expected["columns"]
    assert report.subject_key == expected["subject_key"]
    assert report.individuals == expected["individuals"]


def test_look_alikes_carry_negative_evidence(reports: dict[str, TableReport]) -> None:
    columns = {c.name: c for c in reports["customers"].columns}
    assert "fail its checks" in columns["订单号"].evidence
    assert "consecutive numbers" in columns["商品SKU"].evidence


def test_children_in_the_clinic_extract_make_it_sensitive(reports: dict[str, TableReport]) -> None:
    patients = reports["patients_gbk"]
    assert patients.minors and patients.minors > 0
    assert patients.sensitive


def test_generator_is_deterministic(tmp_path: Path) -> None:
    """The committed examples are what the seeded script writes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate", EXAMPLES / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(tmp_path)
    for name in ("customers.csv", "patients_gbk.csv", "truth.json"):
        assert (tmp_path / name).read_bytes() == (EXAMPLES / name).read_bytes(), name
