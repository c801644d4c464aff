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


# Headers and types a China DPO expects (issue 11): every header, Simplified and Traditional,
# classifies a small column to its type; each new type has a look-alike that does not.
_rng = random.Random(11)  # its own: the tests above depend on `rng`'s sequence


def _phones(n: int) -> list[str]:
    return [f"13{_rng.randrange(10**9):09d}" for _ in range(n)]


_DOB = [f"19{80 + i % 20}-0{1 + i % 9}-1{i % 10}" for i in range(40)]
_PASSPORTS = [f"E{_rng.randrange(10**8):08d}" for _ in range(40)]
_HK_PERMITS = [f"H{_rng.randrange(10**8):08d}" for _ in range(40)]
_NAMES = ["王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊", "赵婷", "黄勇"] * 5
_ADDRESSES = ["北京市朝阳区建国路88号3栋2单元501室", "上海市浦东新区世纪大道100号12楼"] * 20
_EMAILS = [f"user{i}@example.com" for i in range(40)]

# (header, values, expected type): existing types under Traditional headers.
TRADITIONAL = [
    ("身分證字號", _ids(40), "cn_resident_id"),
    ("身份證號碼", _ids(40), "cn_resident_id"),
    ("證件號碼", _ids(40), "cn_resident_id"),
    ("護照號碼", _PASSPORTS, "passport"),
    ("回鄉證", _HK_PERMITS, "hk_macau_permit"),
    ("港澳通行證", _HK_PERMITS, "hk_macau_permit"),
    ("電話", _phones(40), "phone_number"),
    ("手機號碼", _phones(40), "phone_number"),
    ("聯絡電話", _phones(40), "phone_number"),
    ("姓名", _NAMES, "person_name"),
    ("客戶姓名", _NAMES, "person_name"),
    ("地址", _ADDRESSES, "address"),
    ("住址", _ADDRESSES, "address"),
    ("聯絡地址", _ADDRESSES, "address"),
    ("出生日期", _DOB, "date_of_birth"),
    ("性別", ["男", "女"] * 20, "gender"),
    ("電子郵件", _EMAILS, "email"),
    ("體檢結果", ["正常", "血壓偏高", "脂肪肝"] * 10, "health"),
    ("支付寶帳號", ["138****0000", "a***@example.com"] * 10, "financial_account"),
]


@pytest.mark.parametrize(("name", "values", "expected"), TRADITIONAL)
def test_traditional_headers(name: str, values: list[str], expected: str) -> None:
    assert _classify(name, values)[0] == expected


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("体检结果", ["正常", "甲状腺结节", "血脂异常", "幽门螺杆菌阳性"] * 10),
        ("检查结果", ["窦性心律不齐", "正常"] * 20),
        ("血压", ["120/80", "135/90"] * 20),
        ("备注", ["甲状腺结节", "乳腺增生", "胆囊息肉", "高尿酸"] * 10),  # by values alone
        ("既往病歷", ["高血壓", "糖尿病"] * 20),
    ],
)
def test_medical_check_results_are_health(name: str, values: list[str]) -> None:
    report = classify_column(name, pa.array(values, pa.string()), "pipl")
    assert report.type == "health" and report.sensitive


OPENIDS = [f"oUpF8u{_rng.randrange(16**22):022x}" for _ in range(40)]
QQS = [str(_rng.randrange(10**4, 10**10)) for _ in range(40)]

# (type, headers Simplified and Traditional, values that fit, a look-alike column that is not it)
NEW_TYPES = [
    (
        "wechat_id",
        ["微信号", "微信號", "wxh", "wechat_id", "微信帳號"],
        ["zhangwei_88", "wxid_a1b2c3d4e5", "lina-2020"] * 10,
        ("昵称", ["小王", "Lina"] * 15),
    ),
    (
        "wechat_openid",
        ["openid", "微信openid", "unionid"],
        OPENIDS,
        ("token", [f"x{v[1:]}" for v in OPENIDS]),
    ),
    ("qq_number", ["qq", "QQ号", "QQ號碼", "qq账号"], QQS, ("订单号", QQS)),
    (
        "salary",
        ["工资", "工資", "gz", "月薪", "应发工资", "實發工資", "salary"],
        ["8500", "12,000.00", "¥9800", "1.2万", "8000-10000"] * 6,
        ("金额", ["8500", "12000"] * 15),
    ),
    (
        "marital_status",
        ["婚姻状况", "婚姻狀況", "hyzk", "marital_status"],
        ["已婚", "未婚", "离异"] * 10,
        ("状态", ["已完成", "未完成"] * 15),
    ),
    (
        "political_affiliation",
        ["政治面貌", "黨派", "zzmm", "political_status"],
        ["中共党员", "共青团员", "群众"] * 10,
        ("职务", ["经理", "主管"] * 15),
    ),
    (
        "employee_number",
        ["工号", "工號", "员工编号", "員工編號", "employee_id", "emp_no"],
        [f"E{1000 + i}" for i in range(30)],
        ("客户编号", [f"E{1000 + i}" for i in range(30)]),
    ),
]


@pytest.mark.parametrize(
    ("type_", "name", "values"),
    [(t, name, values) for t, headers, values, _ in NEW_TYPES for name in headers],
)
def test_new_type_headers_classify(type_: str, name: str, values: list[str]) -> None:
    assert _classify(name, values)[0] == type_


@pytest.mark.parametrize(
    ("type_", "name", "values"),
    [(t, name, values) for t, headers, values, _ in NEW_TYPES for name in headers],
)
def test_new_type_headers_name_the_type_and_the_values_fit(
    type_: str, name: str, values: list[str]
) -> None:
    """What the hook scores: the name says the type and the type's detector takes the values."""
    from collections import Counter

    from chinacomply.classify import names, vocabulary

    ev = names.evidence(name)
    assert type_ in ev.types
    fit = vocabulary.header_detectors(Counter(values), ev.types)[type_]()
    assert fit.matched == len(values)


@pytest.mark.parametrize(
    ("type_", "name", "values"), [(t, *look_alike) for t, _, _, look_alike in NEW_TYPES]
)
def test_new_type_look_alikes_are_not_it(type_: str, name: str, values: list[str]) -> None:
    from collections import Counter

    from chinacomply.classify import names, vocabulary

    ev = names.evidence(name)
    assert not vocabulary.header_detectors(Counter(values), ev.types)[type_]().matched
    assert _classify(name, values)[0] != type_


def test_openid_shape_without_a_header() -> None:
    from collections import Counter

    from chinacomply.classify import vocabulary

    assert vocabulary.wechat_openid(Counter(OPENIDS), named=False).matched == len(OPENIDS)
    assert not vocabulary.wechat_openid(Counter(["o" + "a" * 27]), named=False).matched


def test_qq_numbers_need_a_header_and_no_leading_zero() -> None:
    from collections import Counter

    from chinacomply.classify import vocabulary

    assert not vocabulary.qq_number(Counter(QQS), named=False).matched
    assert not vocabulary.qq_number(Counter(["012345", "1234", "123456789012"]), True).matched


def test_a_longer_header_entry_claims_its_characters() -> None:
    from chinacomply.classify import names

    assert set(names.evidence("微信账号").types) == {"wechat_id"}  # not 账号, an account
    assert set(names.evidence("QQ帳號").types) == {"qq_number"}
    assert set(names.evidence("银行账号").types) == {"financial_account"}
    assert set(names.evidence("QQ邮箱").types) == {"email"}
    assert not names.evidence("营业收入").types  # a company's revenue, not a person's income
