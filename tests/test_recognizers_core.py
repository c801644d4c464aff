"""Table-driven checks of the core identifiers: valid, checksum-broken and wrong-shape values."""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from chinacomply.scan.recognizer import Validity
from chinacomply.scan.recognizers import bank_card, cn_resident_id, email, phone_number, uscc

V, P, X = Validity.VALID, Validity.PLAUSIBLE, Validity.INVALID


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11010519491231002X", V),  # GB 11643 worked example
        ("11010519491231002x", V),  # lower-case x
        (" 440524188001010014 ", V),  # spaces around, born 1880
        ("110105491231002", P),  # legacy 15 digits: no checksum to verify
        ("110105194912310021", X),  # wrong check digit
        ("11010519491331002X", X),  # month 13 fails the shape
        ("110105194902300027", X),  # 30 February
        ("990105194912310029", X),  # province 99 does not exist
        ("110105209912310023", X),  # born in the future
        ("1101051949123100", X),  # 16 digits
        ("ABCDEFGHIJKLMNOPQR", X),
    ],
)
def test_resident_id(value: str, expected: Validity) -> None:
    assert cn_resident_id.RECOGNIZER.check(value) is expected


def test_resident_id_unknown_region_is_plausible_not_invalid() -> None:
    first17 = "11019919491231002"  # 110199 is no GB/T 2260 code; checksum and date fine
    value = first17 + cn_resident_id.check_char(first17)
    assert cn_resident_id.RECOGNIZER.check(value) is P


def test_legacy_id_normalises_to_the_18_digit_number() -> None:
    assert cn_resident_id.to_18("110105491231002") == "11010519491231002X"
    assert cn_resident_id.to_18("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "expected", "normal"),
    [
        ("13812345678", V, "13812345678"),
        ("+86 138 1234 5678", V, "13812345678"),
        ("+86-138-1234-5678", V, "13812345678"),
        ("0086 13812345678", V, "13812345678"),
        ("86-19912345678", V, "19912345678"),
        ("(+86)13812345678", V, "13812345678"),
        ("16101234567", V, "16101234567"),  # China Broadnet 1610
        ("17400123456", V, "17400123456"),  # satellite 1740x
        ("14612345678", X, None),  # 146 carries 13-digit IoT numbers
        ("17451234567", X, None),  # 174 outside the satellite ranges
        ("16112345678", X, None),  # 161 other than 1610 is unassigned
        ("14012345678", X, None),  # 140 is no mobile segment
        ("12812345678", X, None),  # 12x fails the shape
        ("1381234567", X, None),  # 10 digits
        ("138123456789", X, None),  # 12 digits
    ],
)
def test_phone_number(value: str, expected: Validity, normal: str | None) -> None:
    rec = phone_number.RECOGNIZER
    assert rec.check(value) is expected
    if normal:
        assert rec.normalize(value) == normal
        assert rec.mask(value) == normal[:3] + "****" + normal[-4:]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("6222021234567890128", V),  # UnionPay 62, 19 digits
        ("6222 0212 3456 7890 128", V),
        ("4111111111111111", V),  # Visa test number
        ("5500-0000-0000-0004", V),
        ("378282246310005", V),  # Amex, 15 digits
        ("6222021234567890123", X),  # Luhn fails
        ("9999999999999995", P),  # Luhn ok, no scheme assigned
        ("622202123456", X),  # too short
    ],
)
def test_bank_card(value: str, expected: Validity) -> None:
    assert bank_card.RECOGNIZER.check(value) is expected


def test_bank_card_mask_keeps_bin_and_tail_only() -> None:
    assert bank_card.RECOGNIZER.mask("6222021234567890128") == "622202*********0128"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("zhang.wei@example.com", V),
        ("Li_Na+crm@mail.163.com", V),
        ("a..b@example.com", X),
        ("user@-bad.com", X),
        ("no-at-sign.example.com", X),
        ("user@localhost", X),
    ],
)
def test_email(value: str, expected: Validity) -> None:
    assert email.RECOGNIZER.check(value) is expected


def test_email_counts_case_insensitively() -> None:
    assert email.RECOGNIZER.normalize("Zhang@Example.COM") == "zhang@example.com"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("91350100M000100Y43", V),
        ("91110000100000000P", X),  # wrong check character
        ("91350100M000100Y4I", X),  # I is not in the GB 32100 character set
        ("9135010", X),
    ],
)
def test_uscc(value: str, expected: Validity) -> None:
    assert uscc.RECOGNIZER.check(value) is expected


@pytest.mark.parametrize(
    "rec",
    [
        cn_resident_id.RECOGNIZER,
        phone_number.RECOGNIZER,
        email.RECOGNIZER,
        bank_card.RECOGNIZER,
        uscc.RECOGNIZER,
    ],
    ids=lambda r: r.type,
)
def test_cell_pattern_runs_in_arrow_re2(rec: object) -> None:
    """The same shape runs vectorised in Arrow (RE2): no look-arounds slipped in."""
    pattern = rec.cell_pattern  # type: ignore[attr-defined]
    matched = pc.match_substring_regex(pa.array(["x", "11010519491231002X"]), pattern)
    assert len(matched) == 2


def test_no_word_boundary_blind_spot_next_to_chinese() -> None:
    """`\\b` sees no boundary between 卡 and 6; explicit look-arounds do."""
    text = "银行卡6222021234567890128扣款"
    found = re.search(bank_card.RECOGNIZER.text_pattern, text)
    assert found is not None and found.group() == "6222021234567890128"
    assert re.search(bank_card.RECOGNIZER.text_pattern, "x" + "6222021234567890128" + "9") is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("银行卡号6222021234567890123已冻结", ["bank_card"]),  # UnionPay without Luhn, context
        ("编码6222021234567890123", []),  # the same digits without context are not a card
        ("卡号8171999900000000021", ["bank_card"]),  # UnionPay 81 range test card
    ],
)
def test_unionpay_cards_without_luhn_need_context(sentence: str, expected: list[str]) -> None:
    from chinacomply.scan import text

    assert [s.type for s in text.find_spans(sentence, lexical=False)] == expected
