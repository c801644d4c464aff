"""The REST API over HTTP against a real `chinacomply serve` process on loopback, populated with
the bundled examples through POST /api/scans."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from chinacomply.datafiles import load_yaml

from ..conftest import EXAMPLES
from . import server as harness

AS_OF = "2026-03-02"


@pytest.fixture(scope="module")
def api() -> Iterator[harness.Server]:
    with harness.running() as running:
        yield running


def error_code(response: httpx.Response) -> str:
    code: str = response.json()["error"]["code"]
    assert response.json()["error"]["message"], response.text
    return code


def dataset_named(client: httpx.Client, name: str) -> dict[str, Any]:
    found = [d for d in client.get("/api/datasets").json() if d["name"] == name]
    assert len(found) == 1, f"expected one dataset {name!r}"
    dataset: dict[str, Any] = found[0]
    return dataset


# --- auth ------------------------------------------------------------------------------------


def test_health_needs_no_token(api: harness.Server) -> None:
    with api.client() as client:
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_no_token_or_a_bad_one_is_401(api: harness.Server) -> None:
    with api.client() as anonymous:
        assert error_code(anonymous.get("/api/datasets")) == "unauthorized"
        assert anonymous.get("/api/datasets").status_code == 401
    with api.client("cc_not-a-real-token") as forged:
        response = forged.get("/api/ledger")
    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


def test_read_token_cannot_write(api: harness.Server) -> None:
    filing = {
        "recipient": "Nobody",
        "region": "SG",
        "mechanism": "standard_contract",
        "valid_from": "2026-01-01",
    }
    with api.reader as client:
        response = client.post("/api/filings", json=filing)
        scan = client.post("/api/scans", json={"targets": [str(EXAMPLES)]})
    assert response.status_code == 403
    assert error_code(response) == "forbidden"
    assert scan.status_code == 403


def test_tokens_are_stored_hashed(api: harness.Server) -> None:
    stored = b"".join(p.read_bytes() for p in api.home.glob("chinacomply.db*"))
    assert stored, f"no SQLite store in {api.home}"
    for secret in (api.read_token, api.write_token):
        assert secret.encode() not in stored
        assert hashlib.sha256(secret.encode()).hexdigest().encode() in stored


def test_server_binds_loopback_by_default(api: harness.Server) -> None:
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port = local.split(":")
            if int(port, 16) == api.port and state == "0A":
                listening.add(address)
    assert listening, f"nothing listens on port {api.port}"
    assert listening <= {"0100007F"}, f"listening beyond loopback: {listening}"


# --- inventory and scans ---------------------------------------------------------------------


def test_datasets_with_columns_and_classifications(
    api: harness.Server, truth: dict[str, Any]
) -> None:
    with api.reader as client:
        listed = client.get("/api/datasets").json()
        customers = dataset_named(client, "customers")
        detail = client.get(f"/api/datasets/{customers['id']}").json()
    assert {d["name"] for d in listed} >= {"customers", "orders", "patients_gbk", "employees"}
    assert detail["individuals"] == truth["customers"]["individuals"] == 1600
    assert detail["subject_key"] == truth["customers"]["subject_key"]
    types = {c["name"]: c["type"] for c in detail["columns"]}
    assert types[truth["customers"]["subject_key"]] == "cn_resident_id"
    assert "cn_resident_id" in detail["pi_types"]
    assert "银行卡号" in detail["sensitive_columns"]


def test_unknown_dataset_is_404(api: harness.Server) -> None:
    with api.reader as client:
        response = client.get("/api/datasets/999999")
        wrong_type = client.get("/api/datasets/customers")
        huge = client.get(f"/api/datasets/{10**30}")
    assert huge.status_code == 422
    assert response.status_code == 404
    assert error_code(response) == "not_found"
    assert wrong_type.status_code == 422
    assert error_code(wrong_type) == "invalid_request"


def test_scan_reports_progress_and_stores_datasets(api: harness.Server) -> None:
    with api.writer as client:
        queued = client.post("/api/scans", json={"targets": [str(EXAMPLES / "customers.csv")]})
        assert queued.status_code == 202
        assert queued.json()["status"] == "queued"
        job = harness.wait_for_scan(client, queued.json()["id"])
        stored = client.get(f"/api/datasets/{job['datasets'][0]}").json()
    assert job["status"] == "done", job
    assert job["error"] is None
    assert job["rows_read"] == 2000
    assert len(job["datasets"]) == 1
    assert stored["individuals"] == 1600


def test_scan_of_a_bad_source_fails_with_its_message(api: harness.Server, tmp_path: Path) -> None:
    fake = tmp_path / "broken.sqlite"
    fake.write_bytes(b"this is not a database")
    with api.writer as client:
        missing = client.post("/api/scans", json={"targets": [str(tmp_path / "nowhere.csv")]})
        queued = client.post("/api/scans", json={"targets": [str(fake)]})
        job = harness.wait_for_scan(client, queued.json()["id"])
        unknown = client.get("/api/scans/no-such-job")
    assert missing.status_code == 400
    assert error_code(missing) == "bad_source"
    assert "nowhere.csv" in missing.json()["error"]["message"]
    assert job["status"] == "failed"
    assert "broken.sqlite" in job["error"]
    assert "not an SQLite database" in job["error"]
    assert job["datasets"] == []
    assert unknown.status_code == 404


def test_scan_request_is_validated(api: harness.Server) -> None:
    with api.writer as client:
        empty = client.post("/api/scans", json={"targets": []})
        profile = client.post("/api/scans", json={"targets": [str(EXAMPLES)], "profile": "x"})
        extra = client.post("/api/scans", json={"targets": [str(EXAMPLES)], "recurse": True})
    assert empty.status_code == 422
    assert error_code(empty) == "invalid_request"
    assert profile.status_code == 400
    assert error_code(profile) == "invalid_profile"
    assert extra.status_code == 422


# --- filings, plans, records, ledger ---------------------------------------------------------


def test_plan_record_and_ledger(api: harness.Server) -> None:
    """Record needs the filing the decision asks for; recording moves the ledger once."""
    plan_body = {"dataset": "customers", "recipient": "Group CRM", "region": "sg", "as_of": AS_OF}
    with api.writer as client:
        before = client.get("/api/ledger", params={"as_of": AS_OF}).json()
        planned = client.post("/api/plans", json=plan_body)
        assert planned.status_code == 201, planned.text
        plan = planned.json()
        refused = client.post(f"/api/plans/{plan['plan_id']}/record", json={"force": False})
        still = client.get("/api/ledger", params={"as_of": AS_OF}).json()
        filing = client.post(
            "/api/filings",
            json={
                "recipient": "Group CRM",
                "region": "SG",
                "mechanism": "standard_contract",
                "valid_from": "2026-02-01",
                "reference": "SCC-2026-001",
            },
        )
        first = client.post(f"/api/plans/{plan['plan_id']}/record", json={})
        again = client.post(f"/api/plans/{plan['plan_id']}/record")
        after = client.get("/api/ledger", params={"as_of": AS_OF}).json()
    assert (before["non_sensitive"], before["sensitive"]) == (0, 0)
    assert plan["individuals"] == 1600
    assert (plan["new_non_sensitive"], plan["new_sensitive"]) == (1600, 1600)
    assert plan["decision"]["pathway"] == "standard_contract_or_certification"
    assert refused.status_code == 400
    assert error_code(refused) == "workflow"
    assert "filing" in refused.json()["error"]["message"]
    assert (still["non_sensitive"], still["sensitive"]) == (0, 0)
    assert filing.status_code == 201, filing.text
    assert filing.json()["mechanism"] == "standard_contract"
    assert first.status_code == 200, first.text
    assert first.json()["newly_recorded"] is True
    assert (first.json()["non_sensitive"], first.json()["sensitive"]) == (1600, 1600)
    assert again.json()["newly_recorded"] is False
    assert (again.json()["non_sensitive"], again.json()["sensitive"]) == (1600, 1600)
    assert (after["non_sensitive"], after["sensitive"]) == (1600, 1600)
    sensitive = [t for t in after["thresholds"] if t["counter"] == "sensitive"]
    assessment = max(sensitive, key=lambda t: t["threshold"])
    assert (assessment["threshold"], assessment["headroom"]) == (10_000, 8_400)
    assert [h["plan_id"] for h in after["history"]] == [plan["plan_id"]]
    with api.reader as client:
        listed = client.get("/api/transfers", params={"status": "recorded"}).json()
        bad = client.get("/api/transfers", params={"status": "lost"})
    mine = next(t for t in listed if t["plan_id"] == plan["plan_id"])
    assert (mine["dataset"], mine["recipient"], mine["region"]) == ("customers", "Group CRM", "SG")
    assert mine["status"] == "recorded" and mine["individuals"] == 1600
    assert bad.status_code == 422


def test_plan_input_errors_are_4xx(api: harness.Server) -> None:
    with api.writer as client:
        unknown = client.post(
            "/api/plans", json={"dataset": "no-such-table", "recipient": "X", "region": "US"}
        )
        wrong_type = client.post(
            "/api/plans", json={"dataset": "customers", "recipient": "X", "region": 5}
        )
        bad_facts = client.post(
            "/api/plans",
            json={
                "dataset": "customers",
                "recipient": "X",
                "region": "US",
                "facts": {"handler": {"ciio": "perhaps"}},
            },
        )
        bad_ground = client.post(
            "/api/plans",
            json={"dataset": "customers", "recipient": "X", "region": "US", "ground": "love"},
        )
        not_a_mapping = client.post(
            "/api/plans",
            json={"dataset": "customers", "recipient": "X", "region": "US", "facts": {"data": 5}},
        )
        huge_id = client.post(
            "/api/plans", json={"dataset": str(10**30), "recipient": "X", "region": "US"}
        )
        no_plan = client.post("/api/plans/not-a-plan/record")
        bad_date = client.get("/api/ledger", params={"as_of": "2026-13-01"})
        too_early = client.get("/api/ledger", params={"as_of": "1990-01-01"})
        plan_too_early = client.post(
            "/api/plans",
            json={"dataset": "customers", "recipient": "X", "region": "US", "as_of": "2001-01-01"},
        )
    assert unknown.status_code == 400
    assert error_code(unknown) == "workflow"
    assert "no-such-table" in unknown.json()["error"]["message"]
    assert wrong_type.status_code == 422
    assert "region" in wrong_type.json()["error"]["message"]
    assert bad_facts.status_code == 400
    assert error_code(bad_facts) == "invalid_facts"
    assert "ciio" in bad_facts.json()["error"]["message"]
    assert bad_ground.status_code == 422
    assert not_a_mapping.status_code == 400
    assert error_code(not_a_mapping) == "invalid_facts"
    assert "data" in not_a_mapping.json()["error"]["message"]
    assert huge_id.status_code == 400
    assert no_plan.status_code == 400
    assert error_code(no_plan) == "workflow"
    assert bad_date.status_code == 422
    assert error_code(bad_date) == "invalid_request"
    assert too_early.status_code == plan_too_early.status_code == 400
    assert error_code(too_early) == error_code(plan_too_early) == "out_of_range"


# --- assess, decisions, audit ----------------------------------------------------------------


def transfer_facts() -> dict[str, Any]:
    facts: dict[str, Any] = json.loads(
        json.dumps(load_yaml((EXAMPLES / "transfer.yaml").read_text("utf-8")), default=str)
    )
    return facts


def test_assess_the_example_transfer(api: harness.Server) -> None:
    with api.reader as client:
        response = client.post("/api/assess", json=transfer_facts())
    assert response.status_code == 200, response.text
    decision = response.json()
    assert decision["pathway"] == "standard_contract_or_certification"
    assert decision["decided_by"] == {"instrument": "P24", "article": "8"}
    assert decision["trace"]
    assert all(step["instrument"] and step["article"] for step in decision["trace"])


def test_assess_with_a_policy_setting(api: harness.Server) -> None:
    """A CIIO exporting under a contract ground: exempt by default, not when the open question
    of CIIOs and the grounds is answered the other way."""
    facts = {
        "as_of": AS_OF,
        "handler": {"ciio": True},
        "activity": {"mode": "transmit", "recipient_region": "SG"},
        "data": {"personal_information": True},
        "grounds": {"contract_with_individual": True},
        "volumes": {"non_sensitive": 500, "sensitive": 0},
    }
    with api.reader as client:
        default = client.post("/api/assess", json=facts).json()
        strict = client.post(
            "/api/assess", params={"policy": "ciio_grounds_exemption=not_allowed"}, json=facts
        ).json()
        unknown = client.post("/api/assess", params={"policy": "no_such_policy=yes"}, json=facts)
        bad_option = client.post(
            "/api/assess", params={"policy": "ciio_grounds_exemption=maybe"}, json=facts
        )
    assert default["pathway"] == "exempt"
    assert strict["pathway"] == "security_assessment"
    assert unknown.status_code == 400
    assert error_code(unknown) == "invalid_policy"
    assert "no_such_policy" in unknown.json()["error"]["message"]
    assert bad_option.status_code == 400
    assert "not_allowed" in bad_option.json()["error"]["message"]


def example_facts(name: str) -> dict[str, Any]:
    facts: dict[str, Any] = json.loads(
        json.dumps(load_yaml((EXAMPLES / f"{name}.yaml").read_text("utf-8")), default=str)
    )
    return facts


@pytest.mark.parametrize(
    ("pack", "outcome", "article"),
    [
        ("frt", "filing_required", "15 ¶1"),
        ("incident", "report_within_4_hours", "4"),
        ("audit", "audit_every_2_years", "4"),
    ],
)
def test_assess_takes_every_pack(
    api: harness.Server, pack: str, outcome: str, article: str
) -> None:
    with api.reader as client:
        response = client.post("/api/assess", json=example_facts(pack))
    assert response.status_code == 200, response.text
    decision = response.json()
    assert (decision["pack"], decision["outcome"]) == (pack, outcome)
    assert decision["decided_by"]["article"] == article
    assert any(d.get("by") or d.get("at") for d in decision["deadlines"])


def test_assess_from_the_inventory_names_the_datasets(api: harness.Server) -> None:
    facts = example_facts("audit")
    del facts["individuals_processed"]  # the example inventory holds a few thousand people
    facts.update(as_of="2026-06-01", reached_1m_on=None, officer_info_changed_on=None)
    with api.reader as client:
        datasets = client.get("/api/datasets").json()
        response = client.post("/api/assess", params={"from_inventory": "true"}, json=facts)
        without = client.post("/api/assess", json=facts)
    assert response.status_code == 200, response.text
    note = next(
        t for t in response.json()["trace"] if t["rule"] == "inventory:individuals_processed"
    )
    counted = [
        d for d in datasets if d["individuals"] is not None and set(d["pi_types"]) - {"uscc"}
    ]
    assert note["why"].startswith(f"{sum(d['individuals'] for d in counted):,} in all")
    assert all(d["source"] in note["why"] for d in counted)
    assert response.json()["outcome"] == "audit_every_5_years"
    assert without.status_code == 400 and "individuals_processed: required" in without.text


def test_assess_bad_facts_name_the_key(api: harness.Server) -> None:
    with api.reader as client:
        unknown_key = client.post("/api/assess", json={**transfer_facts(), "colour": "blue"})
        wrong_type = client.post(
            "/api/assess", json={**transfer_facts(), "handler": {"ciio": "perhaps"}}
        )
    assert unknown_key.status_code == 400
    assert error_code(unknown_key) == "invalid_facts"
    assert "colour" in unknown_key.json()["error"]["message"]
    assert wrong_type.status_code == 400
    assert "ciio" in wrong_type.json()["error"]["message"]


def test_malformed_json_is_422_not_500(api: harness.Server) -> None:
    with api.reader as client:
        response = client.post(
            "/api/assess",
            content=b'{"handler": {"ciio": fal',
            headers={"content-type": "application/json"},
        )
        not_a_mapping = client.post("/api/assess", json=[1, 2, 3])
    assert response.status_code == 422
    assert error_code(response) == "invalid_request"
    assert not_a_mapping.status_code == 422


def test_decisions_list_and_detail_with_trace(api: harness.Server) -> None:
    with api.writer as client:
        plan = client.post(
            "/api/plans",
            json={"dataset": "employees", "recipient": "HQ", "region": "DE", "as_of": AS_OF},
        ).json()
        listed = client.get("/api/decisions", params={"limit": 50}).json()
        mine = [d for d in listed if d["pathway"] == plan["decision"]["pathway"]]
        filtered = client.get(
            "/api/decisions", params={"pathway": plan["decision"]["pathway"]}
        ).json()
        detail = client.get(f"/api/decisions/{listed[0]['id']}").json()
        missing = client.get("/api/decisions/999999")
    assert mine
    assert listed[0]["who"] == "token:pipeline"
    assert {d["pathway"] for d in filtered} == {plan["decision"]["pathway"]}
    assert detail["decision"]["pathway"] == plan["decision"]["pathway"]
    assert detail["decision"]["trace"]
    assert detail["facts"]["activity"]["recipient_region"] == "DE"
    assert missing.status_code == 404
    assert error_code(missing) == "not_found"


def test_audit_log_names_the_api_caller(api: harness.Server) -> None:
    with api.reader as client:
        events = client.get("/api/audit", params={"who": "token:pipeline"}).json()
        scans = client.get("/api/audit", params={"action": "inventory", "limit": 2}).json()
        bad_limit = client.get("/api/audit", params={"limit": 0})
    assert events
    assert {e["who"] for e in events} == {"token:pipeline"}
    assert "inventory add" in {e["action"] for e in events}
    assert len(scans) == 2
    assert all(e["action"] == "inventory add" for e in scans)
    assert bad_limit.status_code == 422


# --- errors and the description --------------------------------------------------------------


def test_unknown_route_is_json_404(api: harness.Server) -> None:
    with api.reader as client:
        response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert error_code(response) == "not_found"


def test_openapi_lists_the_endpoints_and_docs_render(api: harness.Server) -> None:
    with api.client() as client:
        spec = client.get("/openapi.json").json()
        docs = client.get("/docs")
    expected = {
        ("/api/datasets", "get"),
        ("/api/datasets/{dataset_id}", "get"),
        ("/api/scans", "post"),
        ("/api/scans/{job_id}", "get"),
        ("/api/filings", "post"),
        ("/api/plans", "post"),
        ("/api/plans/{plan_id}/record", "post"),
        ("/api/ledger", "get"),
        ("/api/assess", "post"),
        ("/api/decisions", "get"),
        ("/api/decisions/{decision_id}", "get"),
        ("/api/aigc/check", "post"),
        ("/api/audit", "get"),
    }
    present = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert expected <= present, expected - present
    assert spec["paths"]["/api/plans"]["post"]["description"]
    assert docs.status_code == 200
    assert "text/html" in docs.headers["content-type"]
