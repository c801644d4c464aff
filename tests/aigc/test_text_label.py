"""The explicit label of text (GB 45438-2025 §5.1): found at the start or end, added once."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chinacomply.aigc.explicit.text import WINDOW, add_label, find_label, front_matter
from chinacomply.rules.law import LawDataError

ON = date(2025, 9, 1)
LONG = "这是一段很长的正文内容，讨论市场的变化。" * 30  # 600 characters without any element


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("AI生成", "AI生成"),
        ("本文由人工智能生成", "本文由人工智能生成"),
        ("(AI 合成)", "(AI 合成)"),
        ("本内容由ai辅助生成。" + LONG, "本内容由ai辅助生成。"),
        ("ＡＩ合成图片说明", "ＡＩ合成图片说明"),
        ("生成式人工智能撰写", "生成式人工智能撰写"),
        (LONG + "\n——以上内容由AI生成", "——以上内容由AI生成"),
        (LONG + "本文由 AI 合成！\n\n", "本文由 AI 合成！"),
        ("\n\n  提示：人工智能生成。\n" + LONG, "提示：人工智能生成。"),
        ("---\ntitle: x\n---\nAI生成\n" + LONG, "AI生成"),
    ],
)
def test_labels_at_the_start_or_end_are_found(text: str, phrase: str) -> None:
    found = find_label(text, ON)
    assert found is not None
    assert found.phrase == phrase
    assert text[found.start : found.end] == phrase


@pytest.mark.parametrize(
    "text",
    [
        "AIR 生成",  # a longer Latin word
        "MAIL合成",
        "AIGC生成",
        "FAIR合成",
        "人工智能",  # no generation element
        "AI 写作助手",
        "生成 合成",  # no AI element
        "人工智能" + "的" * 100 + "生成",  # elements far apart
        "AI" + "，" * 21 + "生成",
        LONG + "本文由人工智能生成" + LONG,  # in the middle of a long text
        "---\nnote: AI生成\n---\n正文",  # only in the front matter
        "",
        "   \n\n",
    ],
)
def test_non_labels_are_not_found(text: str) -> None:
    assert find_label(text, ON) is None


def test_the_elements_may_be_up_to_twenty_characters_apart() -> None:
    assert find_label("AI" + "，" * 20 + "生成", ON) is not None


def test_only_the_windows_at_each_end_are_read() -> None:
    start = "字" * (WINDOW - 4) + "AI生成" + LONG
    assert find_label(start, ON) is not None
    assert find_label("字" + start, ON) is None


def test_an_element_cut_by_the_window_edge_is_not_misread() -> None:
    # "AIR" straddles the end of the first window: "AI" alone must not be seen.
    text = "字" * (WINDOW - 5) + "生成 AIR" + LONG
    assert text[WINDOW - 2 : WINDOW + 1] == "AIR"
    assert find_label(text, ON) is None
    assert find_label(text.replace("AIR", "AI。"), ON) is not None


def test_a_date_before_the_rules_has_no_elements() -> None:
    with pytest.raises(LawDataError):
        find_label("AI生成", date(2024, 1, 1))


def test_a_prefix_goes_first_with_a_blank_line() -> None:
    assert add_label("正文。\n", ON) == "本内容由人工智能生成\n\n正文。\n"


def test_a_suffix_goes_last() -> None:
    assert add_label("正文。", ON, "suffix") == "正文。\n\n本内容由人工智能生成\n"
    assert add_label("正文。\n", ON, "suffix") == "正文。\n\n本内容由人工智能生成\n"


def test_markdown_front_matter_stays_first() -> None:
    text = "---\ntitle: 报告\n---\n# 标题\n\n正文\n"
    labelled = add_label(text, ON)
    assert labelled == "---\ntitle: 报告\n---\n本内容由人工智能生成\n\n# 标题\n\n正文\n"
    block = front_matter(labelled)
    assert block is not None
    assert labelled[block.content_start : block.content_end] == "title: 报告\n"


def test_crlf_and_byte_order_mark_are_respected() -> None:
    assert add_label("\ufeffline\r\n", ON) == "\ufeff本内容由人工智能生成\r\n\r\nline\r\n"
    assert add_label("line\r\n", ON, "suffix") == "line\r\n\r\n本内容由人工智能生成\r\n"


def test_an_empty_text_gets_just_the_label() -> None:
    assert add_label("", ON) == "本内容由人工智能生成\n"


def test_adding_is_idempotent() -> None:
    once = add_label(LONG, ON, "suffix", "（本文由AI合成）")
    assert add_label(once, ON, "suffix", "（本文由AI合成）") == once
    assert add_label(once, ON, "prefix") == once  # a label at either end is enough
    labelled_at_start = "AI生成的摘要：\n" + LONG
    assert add_label(labelled_at_start, ON, "suffix") == labelled_at_start


def test_the_added_label_is_found() -> None:
    labelled = add_label(LONG, ON, "prefix", "【AI生成】")
    found = find_label(labelled, ON)
    assert found is not None
    assert found.phrase == "【AI生成】"


@pytest.mark.parametrize(
    ("wording", "message"),
    [
        ("本内容由机器生成", "no AI element"),
        ("本内容由 MAIL 生成", "no AI element"),
        ("本内容由人工智能撰写", "no generation element"),
        ("AI" + "的" * 30 + "合成", "more than 20 characters apart"),
        ("AI生成\n第二行", "single line"),
    ],
)
def test_a_wording_that_is_not_a_label_is_rejected(wording: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        add_label("正文", ON, wording=wording)


def test_an_unknown_position_is_rejected() -> None:
    with pytest.raises(ValueError, match="prefix"):
        add_label("正文", ON, "middle")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500), st.sampled_from(["prefix", "suffix"]))
def test_any_text_labelled_once_has_a_label_and_stays_put(text: str, position: str) -> None:
    labelled = add_label(text, ON, position)
    assert find_label(labelled, ON) is not None
    assert add_label(labelled, ON, position) == labelled
