"""Addresses: whole cells, spans in running text, masking and speed."""

from __future__ import annotations

import random
import time

import pytest

from chinacomply.scan import gazetteer
from chinacomply.scan.recognizers import address


@pytest.mark.parametrize(
    ("cell", "low"),
    [
        ("广东省深圳市南山区科技园路1号", 0.85),
        ("北京朝阳区建国路88号3栋2单元501室", 0.95),
        ("北京市朝阳区建国路88号", 0.85),
        ("江苏省南京市玄武区中山东路18号国际贸易中心A座1201室", 0.85),
        ("四川省成都市武侯区人民南路四段1号", 0.85),
        ("广西壮族自治区南宁市青秀区民族大道100号", 0.85),
        ("上海市浦东新区", 0.5),
        ("杭州市西湖区文三路", 0.7),
        ("上海市徐汇区漕溪北路", 0.7),
        ("科技园路1号", 0.85),
        ("中山路88号", 0.85),
        ("南京东路100号", 0.85),
        ("３栋２单元５０１室", 0.7),  # full-width digits
        ("湖南长沙", 0.5),
    ],
)
def test_addresses_score_high(cell: str, low: float) -> None:
    assert address.score_value(cell) >= low


@pytest.mark.parametrize(
    "cell",
    [
        "北京",  # a place, not an individual's address
        "上海",
        "深圳市",
        "朝阳区",
        "美国",
        "中国",
        "北京上海",  # two places side by side do not nest
        "北京欢迎你",
        "北京字节跳动科技有限公司",  # organisations named after a place
        "深圳市人民医院",
        "中国银行",
        "张伟",
        "已完成",
        "苹果",
        "13800138000",
        "",
    ],
)
def test_look_alikes_score_low(cell: str) -> None:
    assert address.score_value(cell) < 0.5


def test_more_detail_scores_higher() -> None:
    scores = [
        address.score_value(v)
        for v in (
            "北京",
            "上海市浦东新区",
            "杭州市西湖区文三路",
            "科技园路1号",
            "北京朝阳区建国路88号3栋2单元501室",
        )
    ]
    assert scores == sorted(scores)


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("我家住在广东省深圳市南山区科技园路1号，欢迎来玩。", [(4, 19)]),
        ("寄到北京朝阳区建国路88号3栋2单元501室。", [(2, 22)]),
        ("收件人：陈静 地址：上海市徐汇区漕溪北路88号", [(10, 23)]),
        ("地址：中山路88号", [(3, 9)]),
        ("上海市浦东新区是个好地方", [(0, 7)]),
        ("收货地址：浙江省杭州市西湖区文三路90号东部软件园3号楼，电话13800138000", [(5, 28)]),
        ("他在北京工作。", []),
        ("北京和上海都是大城市。", []),
        ("北京大学在海淀区。", []),
        ("今天天气很好，我们去公园散步。", []),
    ],
)
def test_find_spans(text: str, spans: list[tuple[int, int]]) -> None:
    found = address.find(text)
    assert [(s, e) for s, e, _ in found] == spans
    assert all(0.5 <= score <= 1.0 for _, _, score in found)


def test_find_with_places_adds_bare_places_scored_low() -> None:
    found = address.find_with_places("他在北京和美国都工作过。")
    assert [(s, e) for s, e, _ in found] == [(2, 4), (5, 7)]
    assert all(score < 0.5 for _, _, score in found)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("广东省深圳市南山区科技园路1号", "广东省深圳市****"),
        ("上海市浦东新区", "上海市****"),
        ("科技园路1号", "科****"),
        ("北京", "北****"),
    ],
)
def test_mask(value: str, masked: str) -> None:
    assert address.mask(value) == masked


@pytest.mark.parametrize("value", ["北京", "广东省深圳市", "1号", "*", "****", "北****", " "])
def test_mask_never_returns_the_value(value: str) -> None:
    assert address.mask(value) != value


def test_normalize_folds_width_and_spaces() -> None:
    assert address.normalize("科技园路 １号") == address.normalize("科技园路1号")


def test_recognizer_contract() -> None:
    rec = address.RECOGNIZER
    assert rec.type == "address"
    assert rec.find is address.find


def _hostile_text(size: int) -> str:
    rng = random.Random(11)
    pieces = ["北京", "市", "区", "路", "1", "号", "栋", "单元", "室", "广东省", "深圳", "中山",
              "小区", "公司", " ", "，", "街道", "村", "88", "-", "A"]  # fmt: skip
    out: list[str] = []
    length = 0
    while length < size:
        piece = rng.choice(pieces)
        out.append(piece)
        length += len(piece)
    return "".join(out)[:size]


@pytest.mark.parametrize(
    "text", [_hostile_text(100_000), "路1号" * 33_334, "北京" * 50_000, "1" * 100_000]
)
def test_find_is_fast_on_hostile_input(text: str) -> None:
    """A guard against runaway matching (which would take minutes), not a benchmark: these
    inputs take about 0.3 s on an idle machine, so the bound leaves room for a busy CI."""
    address.find("预热")  # build the patterns first
    began = time.perf_counter()
    address.find(text)
    assert time.perf_counter() - began < 5.0


def _probe_every_position(table: gazetteer.Prefixes, text: str) -> list[tuple[int, int]]:
    found = []
    for i in range(len(text) - 1):
        for name in table.names.get(text[i : i + 2], ()):
            if text.startswith(name, i):
                found.append((i, i + len(name)))
                break
    return found


def test_prefix_scan_matches_a_probe_at_every_position() -> None:
    """`gazetteer.scan` tests character pairs in numpy first: it finds what a dict probe at
    every position finds, including around full-width and non-BMP characters, and so does its
    plain path for texts shorter than SHORT_TEXT."""
    table = address._patterns().place_starts
    rng = random.Random(5)
    names = sorted(n for names in table.names.values() for n in names)[::5]
    pieces = [*names, *(n[:2] for n in names[::3]), *"市区路，。（）a1 ", "😀", "𠮷", "\ud800"]
    text = "".join(rng.choice(pieces) for _ in range(20_000))
    expected = _probe_every_position(table, text)
    assert len(expected) > 1000
    assert list(gazetteer.scan(table, text)) == expected
    for size in (0, 1, 2, gazetteer.SHORT_TEXT - 1, gazetteer.SHORT_TEXT, 1_000):
        head = text[:size]
        assert list(gazetteer.scan(table, head)) == _probe_every_position(table, head)
