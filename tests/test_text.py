"""Free-text scanning: exact code-point offsets, masking, context and hostile input."""

from __future__ import annotations

import time

import pytest

from chinacomply.scan import text

TICKET = "客户来电，身份证号11010519491231002X，手机+86 138-1234-5678，邮箱 zhang@example.com。"


def _found(sentence: str) -> list[tuple[str, str]]:
    return [(s.type, sentence[s.start : s.end]) for s in text.find_spans(sentence, lexical=False)]


def test_offsets_are_code_points_and_values_masked() -> None:
    spans = text.find_spans(TICKET, lexical=False)
    got = {s.type: (TICKET[s.start : s.end], s.text) for s in spans}
    assert got["cn_resident_id"] == ("11010519491231002X", "1101**********002X")
    assert got["phone_number"] == ("+86 138-1234-5678", "138****5678")
    assert got["email"] == ("zhang@example.com", "z***@example.com")
    for span in spans:
        assert span.text != TICKET[span.start : span.end]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("银行卡6222021234567890128扣款失败", [("bank_card", "6222021234567890128")]),
        ("订单号202511031234567890已发货", []),  # 18 digits, no valid check digit, no card
        ("商品编码13800138000", []),  # a product code, by its context
        ("流水1380013800012345", []),  # a phone inside a longer digit run is not a phone
        ("护照号E12345678", [("passport", "E12345678")]),
        ("编号E12345678", []),  # a passport shape without context is not reported
    ],
)
def test_context_and_boundaries(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert _found(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("订单号13812345678", []),  # a look-alike word and no context: not reported
        ("订单号123，收货人手机13812345678", ["phone_number"]),  # a context word wins
        ("固件版本1.2.3.4已发布", []),
        ("登录IP 1.2.3.4", ["ip_address"]),
    ],
)
def test_negative_context_drops_a_value_unless_context_supports_it(
    sentence: str, expected: list[str]
) -> None:
    assert [s.type for s in text.find_spans(sentence, lexical=False)] == expected


def test_eighteen_digits_failing_the_id_check_can_still_be_a_card() -> None:
    spans = text.find_spans("卡号 621700634770211235", lexical=False)
    assert [s.type for s in spans] == ["bank_card"]


@pytest.mark.parametrize(
    "hostile",
    [
        "1" * 200_000,
        "a" * 200_000,
        "a@" * 100_000,
        "1." * 100_000,
        "8613" * 50_000,
        "京A" * 100_000,
    ],
)
def test_hostile_input_stays_linear(hostile: str) -> None:
    """A guard against catastrophic backtracking, not a benchmark."""
    started = time.perf_counter()
    text.find_spans(hostile, lexical=False)
    assert time.perf_counter() - started < 2.0


def test_every_text_pattern_has_a_bounded_width() -> None:
    """Linear time by construction: no recognizer can match more than a bounded number of
    characters from any position, so a scan costs at most O(text length × widest pattern) and
    no input can make the backtracking engine run away (the hostile-input tests above check
    the same thing by timing)."""
    from re import _parser

    from chinacomply.scan import registry

    for rec in registry.shape_recognizers():
        _, high = _parser.parse(rec.text_pattern).getwidth()
        assert high <= 1000, f"{rec.type}: pattern can match {high} characters"


def test_json_line_equals_the_json_of_the_dict() -> None:
    import json

    for span in text.find_spans(TICKET + ' 引号"和\\反斜杠', lexical=False):
        assert json.loads(span.to_json(7)) == span.to_dict() | {
            "start": span.start + 7,
            "end": span.end + 7,
        }


def test_the_combined_pattern_matches_like_the_plain_alternation() -> None:
    """The first-character guard and the shared look-behinds only skip work: the combined
    pattern finds exactly what a plain alternation of every text pattern finds."""
    import re

    from .conftest import EXAMPLES

    corpus = "\n".join(
        [
            (EXAMPLES / "customers.csv").read_text("utf-8"),
            (EXAMPLES / "ticket.txt").read_text("utf-8"),
            "地址::1，映射::ffff:192.0.2.1，坐标-33.868800,151.209300，车牌京A12345、粤B·D12345、",
            "使224-009，座机(010)12345678，手机(+86)13812345678，MAC 00-1A-2B-3C-4D-5E，",
            "护照E12345678，通行证C12345678，台胞证12345678，",
            "IDFA 6D92078A-8246-4BA4-AE5B-76104861E7DC",
        ]
    )
    from chinacomply.scan import registry

    reference = "|".join(
        f"(?P<g{i}>{f'(?i:{r.text_pattern})' if r.case_insensitive else r.text_pattern})"
        for i, r in enumerate(registry.shape_recognizers())
    )
    spans = [(m.span(), m.lastgroup) for m in re.compile(text.combined_pattern()).finditer(corpus)]
    assert spans == [(m.span(), m.lastgroup) for m in re.compile(reference).finditer(corpus)]
    assert len(spans) > 5000
