"""Column classification on messy data: look-alikes, meaningless names, mixed formats."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest

from chinacomply.classify.column import classify_column
from chinacomply.scan.recognizers import cn_resident_id

rng = random.Random(7)


def _ids(n: int) -> list[str]:
    out = []
    for i in range(n):
        first17 = f"3301061985{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i % 1000:03d}"
        out.append(first17 + cn_resident_id.check_char(first17))
    return out


def _classify(name: str, values: list[str]) -> tuple[str | None, float, str]:
    report = classify_column(name, pa.array(values, pa.string()), "pipl")
    return report.type, report.confidence, report.evidence


def test_ids_behind_a_meaningless_name() -> None:
    type_, conf, evidence = _classify("field_7", _ids(300))
    assert type_ == "cn_resident_id" and conf > 0.95
    assert "300 of 300" in evidence


def test_ids_with_a_few_typos_still_ids() -> None:
    values = _ids(200)
    values[:6] = [v[:-1] + ("0" if v[-1] != "0" else "1") for v in values[:6]]
    assert _classify("sfzh", values)[0] == "cn_resident_id"


def test_eighteen_digit_order_numbers_are_not_ids() -> None:
    values = [f"2025{rng.randrange(10**14):014d}" for _ in range(300)]
    assert _classify("col_a", values)[0] is None


def test_eleven_digit_skus_are_not_phones() -> None:
    start = 13900000000
    assert _classify("code", [str(start + i) for i in range(300)])[0] is None


def test_random_mobiles_without_a_name_are_phones() -> None:
    values = [f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" for _ in range(300)]
    assert _classify("c3", values)[0] == "phone_number"


def test_mixed_phone_formats() -> None:
    values = [
        "+86 138 1234 5678",
        "13912345678",
        "186-0000-1111",
        "86-15012345678",
        "(+86)13700001111",
    ] * 40
    assert _classify("联系方式", values)[0] == "phone_number"


def test_negative_name_vetoes_weak_value_evidence() -> None:
    values = [f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" for _ in range(300)]
    assert _classify("order_no", values)[0] is None


@pytest.mark.parametrize(
    ("name", "values", "expected"),
    [
        ("xb", ["1", "2", "1", "2"] * 20, "gender"),
        ("status", ["1", "2", "1", "2"] * 20, None),  # codes without a gender name are just codes
        ("col9", ["汉族", "回族", "满族", "汉族"] * 20, "ethnicity"),
        ("x1", ["高血压", "2型糖尿病", "健康", "支气管哮喘"] * 20, "health"),
        ("csrq", ["1990-01-02", "1985/3/4", "1979年12月1日", "20010203"] * 20, "date_of_birth"),
        ("created", ["1990-01-02", "1985/3/4", "1979年12月1日", "20010203"] * 20, None),
        ("年龄", ["35", "8", "42", "61"] * 20, "minor"),
        ("age", ["35", "28", "42", "61"] * 20, None),
        ("password_hash", ["$2b$12$" + "a" * 53] * 10, "credential"),
        ("api_token", ["anything-opaque"] * 10, "credential"),
        ("finger_template", ["AAECAwQFBgc="] * 10, None),
        ("fingerprint", ["AAECAwQFBgc="] * 10, "biometric"),
        ("支付宝账号", ["13812345678", "zhang@example.com"] * 10, "financial_account"),
    ],
)
def test_vocabulary_categories(name: str, values: list[str], expected: str | None) -> None:
    assert _classify(name, values)[0] == expected


def test_free_text_column_reports_the_pi_it_holds() -> None:
    values = (
        ["已回访，客户满意"] * 95
        + ["请改用备用号码13812345678联系"] * 3
        + ["退款到卡6222021234567890128"] * 2
    )
    report = classify_column("remarks", pa.array(values), "pipl")
    assert report.free_text
    assert report.found == {"phone_number": 3, "bank_card": 2}
    assert report.sensitive  # a bank card number is a financial account (PIPL Art. 28)
    assert report.matched == 5


def test_empty_column_has_no_type() -> None:
    report = classify_column("notes", pa.array([], pa.string()), "pipl")
    assert report.type is None and report.checked == 0


def test_short_remarks_with_pi_in_some_rows_are_free_text() -> None:
    prose = [
        "如此是一认为大学设计查看.",
        "系列方法注册你的或者.",
        "已经回访，满意度较高。",
        "周末送货上门。",
    ]
    values = [prose[i % 4] for i in range(950)] + [
        f"系列方法注册.客户手机1380013{i:04d}" for i in range(50)
    ]
    report = classify_column("remark", pa.array(values), "pipl")
    assert report.free_text and report.found.get("phone_number") == 50


def test_organisation_names_are_not_searched_as_prose() -> None:
    values = [
        f"{p}{s}有限公司"
        for p in ("四通", "巨奥", "张伟", "王芳", "华信")
        for s in ("信息", "传媒", "科技")
    ]
    report = classify_column("company", pa.array(values * 20), "pipl")
    assert report.type is None
