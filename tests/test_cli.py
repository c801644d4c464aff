"""The command line as scripts use it: JSON contract, exit codes, one-line errors, no raw PI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES, REPO

RAW_VALUES = ["11010519491231002X", "6222021234567890128", "13812345678", "zhang.wei@example.com"]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chinacomply", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=REPO,
        check=False,
    )


def test_scan_json_contract() -> None:
    result = run("scan", str(EXAMPLES / "customers.csv"), "--format", "json")
    assert result.returncode == 0, result.stderr
    (table,) = json.loads(result.stdout)["tables"]
    assert {"source", "name", "rows", "columns", "subject_key", "individuals"} <= set(table)
    assert table["rows"] == 2000
    column = next(c for c in table["columns"] if c["name"] == "身份证号")
    assert column["type"] == "cn_resident_id"
    assert {
        "type",
        "sensitive",
        "confidence",
        "matched",
        "checked",
        "categories",
        "evidence",
    } <= set(column)
    assert column["categories"] == ["identity.cn_resident_id"]
    none_column = next(c for c in table["columns"] if c["name"] == "金额")
    assert none_column["type"] is None


def test_profile_changes_sensitivity_and_is_recorded() -> None:
    default = json.loads(run("scan", str(EXAMPLES / "customers.csv"), "--format", "json").stdout)
    strict = json.loads(
        run(
            "scan", str(EXAMPLES / "customers.csv"), "--format", "json", "--profile", "gb35273"
        ).stdout
    )

    def id_column(doc: dict[str, list[dict[str, object]]]) -> dict[str, object]:
        table = doc["tables"][0]
        return next(c for c in table["columns"] if c["name"] == "身份证号")  # type: ignore[union-attr, index]

    assert id_column(default)["sensitive"] is False
    assert id_column(strict)["sensitive"] is True
    assert default["tables"][0]["profile"] == "pipl"
    assert strict["tables"][0]["profile"] == "gb35273"


def test_table_format_is_readable() -> None:
    result = run("scan", str(EXAMPLES / "patients_gbk.csv"))
    assert result.returncode == 0
    assert "subject key: c2" in result.stdout
    assert "cn_resident_id" in result.stdout


def test_text_jsonl_from_stdin_has_masked_spans() -> None:
    text = "客户张伟，身份证号11010519491231002X，银行卡6222021234567890128，手机13812345678。\n"
    result = run("scan", "--text", "-", stdin=text * 2)
    assert result.returncode == 0, result.stderr
    spans = [json.loads(line) for line in result.stdout.splitlines()]
    types = [s["type"] for s in spans]
    assert types.count("cn_resident_id") == 2 and types.count("bank_card") == 2
    second = [s for s in spans if s["type"] == "cn_resident_id"][1]
    assert (text * 2)[second["start"] : second["end"]] == "11010519491231002X"
    for value in RAW_VALUES:
        assert value not in result.stdout


def test_patterns_only_leaves_out_names_and_addresses() -> None:
    full = run("scan", "--text", str(EXAMPLES / "ticket.txt"))
    fast = run("scan", "--text", str(EXAMPLES / "ticket.txt"), "--patterns-only")
    full_types = {json.loads(line)["type"] for line in full.stdout.splitlines()}
    fast_types = {json.loads(line)["type"] for line in fast.stdout.splitlines()}
    assert {"person_name", "address"} <= full_types
    assert fast_types == full_types - {"person_name", "address"}


def test_text_file_argument() -> None:
    result = run("scan", "--text", str(EXAMPLES / "ticket.txt"))
    assert result.returncode == 0
    assert {json.loads(line)["type"] for line in result.stdout.splitlines()} >= {
        "cn_resident_id",
        "bank_card",
        "phone_number",
        "email",
        "device_id",
        "ip_address",
    }


def test_no_raw_pi_in_any_output() -> None:
    result = run("scan", str(EXAMPLES), "--format", "json")
    assert result.returncode == 0
    source = (EXAMPLES / "customers.csv").read_text("utf-8").splitlines()[1].split(",")
    raw_id, raw_card = source[4], source[8]
    assert raw_id not in result.stdout and raw_card not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "does-not-exist.csv"], "does-not-exist.csv: no such file or directory"),
        (["scan"], "scan needs a file"),
        (["scan", "--text", "missing.txt"], "missing.txt"),
        (["scan", str(EXAMPLES / "customers.csv"), "--format", "jsonl"], "--format for tables"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_malformed_csv_exits_2_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "ragged.csv"
    bad.write_text("a,b\n" + "1,2\n" * 10 + "11010519491231002X,2,3\n", encoding="utf-8")
    result = run("scan", str(bad), "--format", "json")
    assert result.returncode == 2
    assert str(bad) in result.stderr and "Expected 2 columns, got 3" in result.stderr
    assert "11010519491231002X" not in result.stderr


def test_fail_on_gates_with_exit_1(tmp_path: Path) -> None:
    clean = tmp_path / "clean.csv"
    clean.write_text("sku,qty\nA1,2\nB2,3\n", encoding="utf-8")
    assert run("scan", str(clean), "--fail-on", "pi").returncode == 0
    assert run("scan", str(EXAMPLES / "orders.parquet"), "--fail-on", "sensitive").returncode == 1
    assert run("scan", str(EXAMPLES / "customers.csv"), "--fail-on", "pi").returncode == 1


def test_table_columns_align_with_chinese_names() -> None:
    from chinacomply.cli.render import display_width

    result = run("scan", str(EXAMPLES / "customers.csv"))
    rows = [line for line in result.stdout.splitlines() if line.startswith("  ")][1:]
    type_starts = set()
    for row in rows:
        name_part = row[2:].split("  ")[0]
        rest = row[2 + len(name_part) :]
        type_starts.add(display_width(name_part) + len(rest) - len(rest.lstrip(" ")))
    assert len(type_starts) == 1
