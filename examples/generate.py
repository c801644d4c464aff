"""Generate the bundled example tables: synthetic, seeded, deliberately messy.

Every value is invented (random names, checksum-valid but fictitious ID numbers, phone numbers,
cards). The tables carry the mess real data has: mixed phone formats, legacy 15-digit IDs next
to 18-digit ones, lower-case x, GBK encoding, meaningless column names, 18-digit order numbers
and 11-digit SKUs that look like IDs and phones, PI hidden in free-text remarks, phones stored
as integers. `truth.json` records what each column is and how many distinct people each table
holds, so tests can check the scanner against it exactly.

    python examples/generate.py [--out examples] [--seed 2026] [--scale 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from chinacomply.scan import regions
from chinacomply.scan.recognizers import cn_resident_id

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷"
    "侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND = ["欧阳", "司马", "诸葛", "上官", "东方"]
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建文辉玲萍红鹏飞宇浩然"
    "子轩梓涵一诺欣怡雨桐俊杰思远晓婷佳琪志强海燕春梅国庆永红德胜淑珍"
)
STREETS = [
    "建国路",
    "人民路",
    "解放路",
    "中山路",
    "和平街",
    "文化路",
    "科技园路",
    "长安街",
    "南京路",
    "延安路",
    "滨江大道",
    "学府路",
    "光明街",
    "朝阳路",
    "新华街",
    "青年路",
    "胜利路",
    "东风路",
]
ETHNIC = ["汉族"] * 18 + [
    "回族",
    "满族",
    "壮族",
    "维吾尔族",
    "苗族",
    "彝族",
    "土家族",
    "藏族",
    "蒙古族",
]
DIAGNOSES = [
    "高血压",
    "2型糖尿病",
    "支气管哮喘",
    "慢性胃炎",
    "乙肝病毒携带",
    "腰椎间盘突出",
    "抑郁症",
    "冠心病",
    "青霉素过敏",
    "骨折术后复查",
    "健康体检未见异常",
    "甲状腺功能亢进",
]
REMARKS = [
    "已回访",
    "客户要求开具发票",
    "周末送货",
    "无",
    "老客户",
    "地址已核实",
    "请勿电话打扰",
    "需要上门安装",
    "已退款",
    "VIP客户，优先处理",
]
SEGMENTS = [
    "130",
    "131",
    "132",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "157",
    "158",
    "159",
    "166",
    "177",
    "180",
    "181",
    "186",
    "187",
    "188",
    "189",
    "199",
]


class Maker:
    """Seeded makers of fictitious identifiers, each valid under the real rules."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        codes = sorted(
            c
            for c, spans in regions.regions().items()
            if c[4:] != "00"
            and spans[-1].end_year is None
            and c[:2] not in ("71", "81", "82", "83")
        )
        self.districts = codes

    def name(self) -> str:
        r = self.rng
        surname = r.choice(COMPOUND) if r.random() < 0.02 else r.choice(SURNAMES)
        return surname + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))

    def birth(self, young: bool = False) -> dt.date:
        start = dt.date(2013, 1, 1) if young else dt.date(1950, 1, 1)
        end = dt.date(2020, 12, 31) if young else dt.date(2005, 12, 31)
        return start + dt.timedelta(days=self.rng.randrange((end - start).days))

    def resident_id(self, born: dt.date) -> str:
        code = self.rng.choice(self.districts)
        first17 = f"{code}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
        return first17 + cn_resident_id.check_char(first17)

    def phone(self) -> str:
        return self.rng.choice(SEGMENTS) + f"{self.rng.randrange(10**8):08d}"

    def card(self) -> str:
        body = (
            "62"
            + self.rng.choice(["2202", "2848", "1700", "2588", "1483"])
            + "".join(str(self.rng.randrange(10)) for _ in range(11))
        )
        return body + _luhn_digit(body)

    def imei(self) -> str:
        body = "86" + "".join(str(self.rng.randrange(10)) for _ in range(12))
        return body + _luhn_digit(body)

    def address(self) -> str:
        code = self.rng.choice(self.districts)
        prov = regions.region_name(code[:2] + "0000") or ""
        city = regions.region_name(code[:4] + "00") or ""
        district = regions.region_name(code) or ""
        if city in ("市辖区", "县", prov):
            city = ""
        r = self.rng
        room = f"{r.randint(1, 30)}栋{r.randint(1, 6)}单元{r.randint(101, 2808)}室"
        return f"{prov}{city}{district}{self.rng.choice(STREETS)}{self.rng.randint(1, 999)}号{room}"

    def email(self, i: int) -> str:
        user = self.rng.choice(["zhang", "li", "wang", "chen", "liu", "yang", "zhao", "huang"])
        domain = self.rng.choice(["qq.com", "163.com", "example.cn", "126.com"])
        return f"{user}{i}{self.rng.randrange(100)}@{domain}"

    def ipv4(self) -> str:
        r = self.rng
        return f"{r.randint(1, 223)}.{r.randrange(256)}.{r.randrange(256)}.{r.randint(1, 254)}"

    def order_no(self) -> str:
        """18 digits that look like an ID number but are not one (the check digit is off)."""
        while True:
            value = f"{self.rng.choice(['2024', '2025'])}{self.rng.randrange(10**14):014d}"
            if cn_resident_id.check_char(value[:17]) != value[17]:
                return value

    def plate(self) -> str:
        r = self.rng
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        tail = "".join(
            r.choice("0123456789" + letters) if i == 0 else str(r.randrange(10)) for i in range(5)
        )
        if r.random() < 0.2:
            tail = r.choice("DF") + str(r.randrange(10)) + f"{r.randrange(10**4):04d}"
        return r.choice("京沪粤浙苏川鄂湘鲁豫") + r.choice(letters[:10]) + tail


def _luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def _phone_format(rng: random.Random, phone: str) -> str:
    style = rng.randrange(5)
    if style == 0:
        return f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"
    if style == 1:
        return f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
    if style == 2:
        return f"86-{phone}"
    return phone


def _date_format(rng: random.Random, d: dt.date) -> str:
    return rng.choice(
        [
            f"{d:%Y-%m-%d}",
            f"{d.year}/{d.month}/{d.day}",
            f"{d.year}年{d.month}月{d.day}日",
            f"{d:%Y%m%d}",
        ]
    )


def customers(m: Maker, n: int) -> tuple[list[dict[str, Any]], int]:
    """A CRM export: people repeat across rows, IDs in both forms, PI inside remarks."""
    people = []
    for _ in range(int(n * 0.8)):
        born = m.birth()
        people.append(
            {
                "name": m.name(),
                "born": born,
                "id": m.resident_id(born),
                "phone": m.phone(),
                "gender": m.rng.choice("男女"),
                "ethnic": m.rng.choice(ETHNIC),
            }
        )
    rows = []
    seen = set()
    sku = 13000000000 + m.rng.randrange(10**6)
    for i in range(n):
        p = people[i] if i < len(people) else m.rng.choice(people)
        seen.add(p["id"])
        rid = p["id"]
        if p["born"].year < 2000 and m.rng.random() < 0.15:
            rid = rid[:6] + rid[8:17]  # the legacy 15-digit form of the same number
        elif rid.endswith("X") and m.rng.random() < 0.5:
            rid = rid.lower()
        remark = m.rng.choice(REMARKS)
        if m.rng.random() < 0.06:
            remark = m.rng.choice(
                [
                    f"客户要求改用备用号码{m.phone()}联系",
                    f"退款至银行卡{m.card()}，已处理",
                    f"代办人身份证{m.resident_id(m.birth())}，已登记",
                ]
            )
        rows.append(
            {
                "客户编号": f"C{i + 1:06d}",
                "姓名": p["name"],
                "性别": p["gender"],
                "民族": p["ethnic"],
                "身份证号": rid,
                "手机号": _phone_format(m.rng, p["phone"]),
                "邮箱": m.email(i),
                "地址": m.address(),
                "银行卡号": m.card(),
                "出生日期": _date_format(m.rng, p["born"]),
                "订单号": m.order_no(),
                "商品SKU": str(sku + i),
                "金额": f"{m.rng.uniform(5, 5000):.2f}",
                "备注": remark,
            }
        )
    return rows, len(seen)


def patients(m: Maker, n: int) -> tuple[list[dict[str, Any]], int]:
    """A clinic extract with meaningless column names; some patients are children."""
    rows = []
    ids = set()
    for _ in range(n):
        young = m.rng.random() < 0.15
        born = m.birth(young)
        rid = m.resident_id(born)
        ids.add(rid)
        age = (dt.date(2026, 1, 1) - born).days // 365
        rows.append(
            {
                "c1": m.name(),
                "c2": rid,
                "c3": m.phone(),
                "c4": m.rng.choice("男女"),
                "c5": str(age),
                "c6": m.rng.choice(DIAGNOSES),
                "c7": f"{dt.date(2025, 1, 1) + dt.timedelta(days=m.rng.randrange(365))}",
                "c8": m.address(),
            }
        )
    return rows, len(ids)


def orders(m: Maker, n: int) -> tuple[pa.Table, int]:
    """An order table in Parquet: phones stored as integers, a device and a location."""
    buyers = [int(m.phone()) for _ in range(int(n * 0.7))]
    chosen = [buyers[i] if i < len(buyers) else m.rng.choice(buyers) for i in range(n)]
    table = pa.table(
        {
            "order_no": [m.order_no() for _ in range(n)],
            "sku": [f"SKU-{m.rng.randrange(10**5):05d}" for _ in range(n)],
            "buyer_phone": pa.array(chosen, pa.int64()),
            "ship_to": [m.address() for _ in range(n)],
            "client_ip": [m.ipv4() for _ in range(n)],
            "imei": [m.imei() for _ in range(n)],
            "plate": [m.plate() for _ in range(n)],
            "location": [
                f"{m.rng.uniform(22, 41):.6f},{m.rng.uniform(100, 122):.6f}" for _ in range(n)
            ],
            "amount": pa.array([round(m.rng.uniform(1, 999), 2) for _ in range(n)], pa.float64()),
            "created_at": pa.array(
                [
                    dt.datetime(2025, 1, 1) + dt.timedelta(minutes=m.rng.randrange(500000))
                    for _ in range(n)
                ],
                pa.timestamp("s"),
            ),
        }
    )
    return table, len(set(chosen))


def _uscc(m: Maker) -> str:
    from chinacomply.scan.recognizers import uscc

    code = m.rng.choice(m.districts)
    body = "91" + code + "".join(m.rng.choice(uscc.CHARSET) for _ in range(9))
    return body + uscc.check_char(body)


def crm(m: Maker, path: Path, n: int) -> dict[str, int]:
    """An SQLite database: employees (pinyin-initial column names), merchants, app logins."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE employees"
        " (gh TEXT, xm TEXT, sfzh TEXT, sjh TEXT, yhkh TEXT, yx TEXT, mz TEXT, zjxy TEXT)"
    )
    ids = set()
    for i in range(n):
        born = m.birth()
        rid = m.resident_id(born)
        ids.add(rid)
        db.execute(
            "INSERT INTO employees VALUES (?,?,?,?,?,?,?,?)",
            (
                f"E{i + 1:05d}",
                m.name(),
                rid,
                m.phone(),
                m.card(),
                m.email(i),
                m.rng.choice(ETHNIC),
                m.rng.choice(["无", "佛教", "基督教", "伊斯兰教", "无", "无", "道教"]),
            ),
        )
    db.execute("CREATE TABLE merchants (credit_code TEXT, company TEXT, tel TEXT, city TEXT)")
    for _ in range(max(20, n // 5)):
        db.execute(
            "INSERT INTO merchants VALUES (?,?,?,?)",
            (
                _uscc(m),
                m.rng.choice(["华信", "中科", "远航", "新星", "恒通"])
                + m.rng.choice(["科技", "贸易", "物流"])
                + "有限公司",
                f"0{m.rng.choice(['10', '21', '755', '571'])}-{m.rng.randint(20000000, 89999999)}",
                m.rng.choice(["北京", "上海", "深圳", "杭州"]),
            ),
        )
    db.execute(
        "CREATE TABLE app_logins"
        " (user_email TEXT, ip TEXT, mac TEXT, device_id TEXT, gps TEXT, login_time TEXT)"
    )
    users = [m.email(i) for i in range(max(10, n // 2))]
    for _ in range(n * 2):
        mac = ":".join(f"{m.rng.randrange(256):02x}" for _ in range(6))
        db.execute(
            "INSERT INTO app_logins VALUES (?,?,?,?,?,?)",
            (
                m.rng.choice(users),
                f"2408:8207:{m.rng.randrange(65536):x}::{m.rng.randrange(65536):x}",
                mac,
                m.imei(),
                f"{m.rng.uniform(22, 41):.5f},{m.rng.uniform(100, 122):.5f}",
                f"2025-06-{m.rng.randint(1, 30):02d} "
                f"{m.rng.randrange(24):02d}:{m.rng.randrange(60):02d}",
            ),
        )
    db.commit()
    distinct_users = db.execute("SELECT COUNT(DISTINCT user_email) FROM app_logins").fetchone()[0]
    db.close()
    return {"employees": len(ids), "app_logins": distinct_users}


def _write_csv(path: Path, rows: list[dict[str, Any]], encoding: str) -> None:
    import csv

    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding=encoding) as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)


def generate(out: Path, seed: int = 2026, scale: int = 1) -> dict[str, Any]:
    """Write every example table under `out` and return the truth about them."""
    out.mkdir(parents=True, exist_ok=True)
    m = Maker(seed)
    cust, cust_people = customers(m, 2000 * scale)
    _write_csv(out / "customers.csv", cust, "utf-8")
    pat, pat_people = patients(m, 600 * scale)
    _write_csv(out / "patients_gbk.csv", pat, "gbk")
    orders_table, buyers = orders(m, 1500 * scale)
    pq.write_table(orders_table, out / "orders.parquet")
    crm_people = crm(m, out / "crm.sqlite", 400 * scale)
    truth = {
        "customers": {
            "subject_key": "身份证号",
            "individuals": cust_people,
            "columns": {
                "客户编号": None,
                "姓名": "person_name",
                "性别": "gender",
                "民族": "ethnicity",
                "身份证号": "cn_resident_id",
                "手机号": "phone_number",
                "邮箱": "email",
                "地址": "address",
                "银行卡号": "bank_card",
                "出生日期": "date_of_birth",
                "订单号": None,
                "商品SKU": None,
                "金额": None,
                "备注": "free_text",
            },
        },
        "patients_gbk": {
            "subject_key": "c2",
            "individuals": pat_people,
            "columns": {
                "c1": "person_name",
                "c2": "cn_resident_id",
                "c3": "phone_number",
                "c4": "gender",
                "c5": None,
                "c6": "health",
                "c7": None,
                "c8": "address",
            },
        },
        "orders": {
            "subject_key": "buyer_phone",
            "individuals": buyers,
            "columns": {
                "order_no": None,
                "sku": None,
                "buyer_phone": "phone_number",
                "ship_to": "address",
                "client_ip": "ip_address",
                "imei": "device_id",
                "plate": "license_plate",
                "location": "geo_coordinate",
                "amount": None,
                "created_at": None,
            },
        },
        "employees": {
            "subject_key": "sfzh",
            "individuals": crm_people["employees"],
            "columns": {
                "gh": None,
                "xm": "person_name",
                "sfzh": "cn_resident_id",
                "sjh": "phone_number",
                "yhkh": "bank_card",
                "yx": "email",
                "mz": "ethnicity",
                "zjxy": "religion",
            },
        },
        "merchants": {
            "subject_key": None,
            "individuals": None,
            "columns": {"credit_code": "uscc", "company": None, "tel": "landline", "city": None},
        },
        "app_logins": {
            "subject_key": "user_email",
            "individuals": crm_people["app_logins"],
            "columns": {
                "user_email": "email",
                "ip": "ip_address",
                "mac": "mac_address",
                "device_id": "device_id",
                "gps": "geo_coordinate",
                "login_time": None,
            },
        },
    }
    (out / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return truth


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.seed, args.scale)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
