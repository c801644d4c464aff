"""The text and Markdown carrier: a YAML front-matter block whose AIGC key holds the label."""

from __future__ import annotations

import contextlib
import io
import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from chinacomply.aigc.explicit.text import front_matter
from chinacomply.aigc.formats import detect
from chinacomply.aigc.formats import text as text_format
from chinacomply.aigc.formats.base import FormatError, Update
from chinacomply.aigc.formats.text import FORMAT
from chinacomply.aigc.label import FIELDS, ImplicitLabel

LABEL = ImplicitLabel.first_write("001191440300708461136T1XGW3", "doc-0001").to_json()
SECOND = ImplicitLabel.first_write('深圳某某科技 "甲" \\ 乙', "编号-0002").to_json()
BLOCK = (
    "---\n"
    "AIGC:\n"
    '  Label: "1"\n'
    '  ContentProducer: "001191440300708461136T1XGW3"\n'
    '  ProduceID: "doc-0001"\n'
    '  ReservedCode1: ""\n'
    '  ContentPropagator: "001191440300708461136T1XGW3"\n'
    '  PropagateID: "doc-0001"\n'
    '  ReservedCode2: ""\n'
    "---\n"
)
BOM = b"\xef\xbb\xbf"


def write(data: bytes, label: str = LABEL) -> bytes:
    out = io.BytesIO()
    FORMAT.write(io.BytesIO(data), out, Update(label))
    return out.getvalue()


def labels(data: bytes) -> list[str]:
    return [carried.value for carried in FORMAT.read(io.BytesIO(data)).labels]


@pytest.mark.parametrize("suffix", [".txt", ".md", ".markdown", ".text"])
def test_text_suffixes_are_recognised(suffix: str) -> None:
    assert FORMAT.sniff(b"# Title\n", suffix)
    assert detect(b"# Title\n", suffix) is FORMAT


def test_binary_content_and_other_suffixes_are_not_text() -> None:
    assert not FORMAT.sniff(b"\xff\xfeh\x00i\x00", ".txt")  # UTF-16
    assert not FORMAT.sniff(b"# Title\n", ".pdf")


def test_an_unlabelled_text_reads_as_unlabelled() -> None:
    metadata = FORMAT.read(io.BytesIO("# 标题\n\n正文。\n".encode()))
    assert metadata.labels == ()
    assert metadata.explicit is None


def test_a_label_is_written_as_the_front_matter_block_of_practice() -> None:
    body = "# 季度报告\n\n收入增长 12%。\n".encode()
    labelled = write(body)
    assert labelled == BLOCK.encode() + body
    assert labels(labelled) == [LABEL]
    assert FORMAT.read(io.BytesIO(labelled)).labels[0].carrier == text_format.CARRIER


def test_the_block_is_yaml_any_front_matter_tool_reads() -> None:
    labelled = write(b"text\n").decode()
    loaded = yaml.safe_load(labelled.split("---\n")[1])
    assert list(loaded["AIGC"]) == list(FIELDS)
    assert json.dumps(loaded["AIGC"], ensure_ascii=False, separators=(",", ":")) == LABEL


def test_a_second_write_replaces_the_label() -> None:
    twice = write(write(b"body\n"), SECOND)
    assert labels(twice) == [SECOND]
    assert twice.decode().count("AIGC") == 1
    assert twice.endswith(b"---\nbody\n")


def test_existing_front_matter_keeps_its_other_lines_verbatim() -> None:
    head = '---\ntitle: "年度 报告"   # a comment\ntags:\n- 财务\n- 2025\n\ndate: 2025-09-01\n'
    original = (head + "---\n正文\n").encode()
    labelled = write(original).decode()
    assert labelled.startswith(head + "AIGC:\n")
    assert labelled.endswith('  ReservedCode2: ""\n---\n正文\n')
    assert labels(labelled.encode()) == [LABEL]


def test_an_aigc_key_in_the_middle_is_replaced_where_it_stands() -> None:
    original = (
        "---\ntitle: x\nAIGC:\n  Label: '2'\n  Extra: [a,\n    b]\n\nauthor: 甲\n---\nbody\n"
    ).encode()
    labelled = write(original, SECOND).decode()
    lines = labelled.splitlines()
    assert lines[:3] == ["---", "title: x", "AIGC:"]
    assert lines[10:14] == ["", "author: 甲", "---", "body"]
    assert labels(labelled.encode()) == [SECOND]


def test_duplicate_aigc_keys_collapse_to_one() -> None:
    original = b"---\nAIGC: '{}'\nx: 1\nAIGC: '{}'\n---\n"
    labelled = write(original)
    assert labelled.count(b"AIGC") == 1
    assert b"x: 1\n" in labelled
    assert labels(labelled) == [LABEL]


def test_a_json_string_label_is_read() -> None:
    original = f"---\nlayout: post\nAIGC: '{LABEL}'\n---\n# Title\n".encode()
    assert labels(original) == [LABEL]
    assert labels(write(original, SECOND)) == [SECOND]


def test_a_mapping_label_is_read_in_the_standard_order() -> None:
    scrambled = (
        b"---\nAIGC:\n  PropagateID: doc-0001\n  Label: '1'\n  ReservedCode2: ''\n"
        b"  ContentProducer: 001191440300708461136T1XGW3\n  ReservedCode1: ''\n"
        b"  ProduceID: doc-0001\n  ContentPropagator: 001191440300708461136T1XGW3\n---\n"
    )
    assert labels(scrambled) == [LABEL]


def test_unexpected_values_are_kept_for_the_label_check_to_report() -> None:
    odd = b"---\nAIGC:\n  Label: 1\n  Colour: red\n---\n"
    assert labels(odd) == ['{"Label":1,"Colour":"red"}']


def test_a_label_that_is_not_canonical_is_written_as_given() -> None:
    spaced = json.dumps(json.loads(LABEL), indent=1)
    assert labels(write(b"x\n", spaced)) == [spaced]
    assert labels(write(b"x\n", "not json")) == ["not json"]


def test_crlf_line_endings_are_kept() -> None:
    original = b"---\r\ntitle: x\r\n---\r\nline one\r\nline two\r\n"
    labelled = write(original)
    assert labelled.count(b"\n") == labelled.count(b"\r\n")
    assert labelled.startswith(b"---\r\ntitle: x\r\nAIGC:\r\n")
    assert labels(labelled) == [LABEL]
    no_front_matter = write(b"line one\r\nline two\r\n")
    assert no_front_matter.count(b"\n") == no_front_matter.count(b"\r\n")
    assert no_front_matter.endswith(b"---\r\nline one\r\nline two\r\n")


def test_a_byte_order_mark_is_kept_first() -> None:
    labelled = write(BOM + "正文\n".encode())
    assert labelled == BOM + BLOCK.encode() + "正文\n".encode()
    assert labels(labelled) == [LABEL]
    with_front_matter = write(BOM + b"---\ntitle: x\n---\nbody\n")
    assert with_front_matter.startswith(BOM + b"---\ntitle: x\nAIGC:\n")
    assert labels(with_front_matter) == [LABEL]


def test_chinese_text_and_values_round_trip() -> None:
    body = "人工智能助手撰写的诗：\n床前明月光，疑是地上霜。\n".encode()
    labelled = write(body, SECOND)
    assert labels(labelled) == [SECOND]
    assert labelled.endswith(body)


@pytest.mark.parametrize(
    "value",
    ["line\nbreak", "tab\there", "nul\x00", "sep\u2028x", "bom\ufeff", "emoji 😀", 'quote " \\'],
)
def test_awkward_characters_survive_yaml_exactly(value: str) -> None:
    label = ImplicitLabel.first_write("某公司", value).to_json()
    assert labels(write(b"x\n", label)) == [label]


def test_dashes_inside_the_body_are_not_front_matter() -> None:
    original = b'Intro\n---\nAIGC: \'{"Label":"1"}\'\n---\nmore\n'
    assert labels(original) == []
    labelled = write(original)
    assert labelled == BLOCK.encode() + original
    assert labels(labelled) == [LABEL]


def test_an_unclosed_opening_rule_is_not_front_matter() -> None:
    original = b"---\njust a rule and text\n"
    assert labels(original) == []
    assert write(original) == BLOCK.encode() + original


def test_non_utf8_text_is_refused_with_the_offset() -> None:
    gbk = "标题\n正文".encode("gbk")
    with pytest.raises(FormatError, match="not UTF-8: invalid byte at offset 0"):
        FORMAT.read(io.BytesIO(gbk))
    with pytest.raises(FormatError, match="not UTF-8"):
        write(b"ok " + gbk)


def test_utf16_text_is_refused_by_name() -> None:
    with pytest.raises(FormatError, match="UTF-16"):
        FORMAT.read(io.BytesIO("正文".encode("utf-16")))


@pytest.mark.parametrize(
    "front_matter",
    [
        "title: [unclosed\n",
        "- a list\n- not a mapping\n",
        "just a sentence\n",
        "x: !!python/name:os.system\n",
    ],
)
def test_front_matter_that_is_not_a_yaml_mapping_is_refused(front_matter: str) -> None:
    data = f"---\n{front_matter}---\nbody\n".encode()
    with pytest.raises(FormatError, match="front matter"):
        FORMAT.read(io.BytesIO(data))
    with pytest.raises(FormatError, match="front matter"):
        write(data)


def test_a_yaml_error_names_the_line() -> None:
    with pytest.raises(FormatError, match="line 3"):
        FORMAT.read(io.BytesIO(b"---\ntitle: ok\n  bad: 2\nok: 1\n---\n"))


def test_huge_front_matter_and_huge_files_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    big = b"---\n" + b"k: v\n" * 20_000 + b"---\n"
    with pytest.raises(FormatError, match="front matter is larger"):
        FORMAT.read(io.BytesIO(big))
    monkeypatch.setattr(text_format, "MAX_TEXT_BYTES", 1000)
    with pytest.raises(FormatError, match="larger than"):
        FORMAT.read(io.BytesIO(b"x" * 1001))
    assert labels(b"x" * 1000) == []


def test_deeply_nested_yaml_is_refused() -> None:
    nested = b"---\nx: " + b"[" * 5000 + b"]" * 5000 + b"\n---\n"
    with pytest.raises(FormatError, match="not valid YAML"):
        FORMAT.read(io.BytesIO(nested))


def test_a_flow_style_front_matter_that_cannot_be_edited_line_by_line_is_refused() -> None:
    data = b"---\n{title: x,\n AIGC: old}\n---\n"
    assert labels(data) == ["old"]
    with pytest.raises(FormatError, match="could not be replaced"):
        write(data)


def test_the_explicit_label_of_the_text_is_reported() -> None:
    labelled = write("本文由人工智能生成。\n\n正文内容。\n".encode())
    assert FORMAT.read(io.BytesIO(labelled)).explicit == "本文由人工智能生成。"
    suffix = "正文内容。\n\n——以上内容由AI生成\n".encode()
    assert FORMAT.read(io.BytesIO(suffix)).explicit == "——以上内容由AI生成"


def test_an_empty_file_gets_just_the_block() -> None:
    assert write(b"") == BLOCK.encode()
    assert labels(BLOCK.encode()) == [LABEL]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_only_ever_raise_format_error(data: bytes) -> None:
    with contextlib.suppress(FormatError):
        FORMAT.read(io.BytesIO(data))
    with contextlib.suppress(FormatError):
        write(data)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.text(max_size=20))
def test_any_text_either_takes_exactly_the_label_or_is_refused(body: str, produce_id: str) -> None:
    label = ImplicitLabel.first_write("某公司", produce_id).to_json()
    try:
        labelled = write(body.encode(), label)
    except FormatError:
        return
    assert labels(labelled) == [label]
    if front_matter(body) is None:
        assert labelled.decode().endswith(body.removeprefix("\ufeff"))
