"""Person names: whole cells, spans in running text, masking, speed and CLUENER2020 F1."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

from chinacomply.scan.recognizers import person_name

CLUENER = Path(__file__).resolve().parents[2] / "shared/data/cluener/train-sample.jsonl"


@pytest.mark.parametrize(
    "cell",
    [
        "张伟",
        "王芳",
        "李建国",
        "王小明",
        "赵丽颖",
        " 陈静 ",
        "欧阳娜娜",
        "诸葛亮",
        "司马光",
        "上官婉儿",
        "阿卜杜拉·买买提",
        "买买提·艾力",
        "ZHANG Wei",
        "Zhang Wei",
        "Wei Zhang",
        "Li Xiaoming",
        "Ouyang Nana",
    ],
)
def test_names_score_high(cell: str) -> None:
    assert person_name.score_value(cell) >= 0.5


@pytest.mark.parametrize(
    "cell",
    [
        "北京",  # a place
        "上海市",
        "苹果",  # a product or a fruit
        "iPhone 13 Pro",
        "华为",
        "正常",  # status words
        "已完成",
        "无",
        "是",
        "未知",
        "高兴",  # ordinary words starting with a surname character
        "王国",
        "方面",
        "周末",
        "时间",
        "黄金",
        "张家口",
        "王某",  # surname plus title: no one in particular
        "张经理",
        "李先生",
        "阿里巴巴集团",  # companies
        "腾讯科技有限公司",
        "中国银行",
        "男",
        "汉族",
        "Hello World",
        "New York",
        "Apple Watch",
        "13800138000",
        "",
    ],
)
def test_look_alikes_score_low(cell: str) -> None:
    assert person_name.score_value(cell) < 0.5


def test_han_names_outscore_pinyin() -> None:
    assert person_name.score_value("张伟") > person_name.score_value("Zhang Wei")
    assert person_name.score_value("ZHANG Wei") > person_name.score_value("Wei Zhang")


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("联系人：张伟，电话13800138000", [(4, 6)]),
        ("记者王晓明报道", [(2, 5)]),
        ("李成说，东亚的和平与安全很重要。", [(0, 2)]),
        ("王伟先生今天到访。", [(0, 2)]),
        ("我们请欧阳娜娜老师讲讲。", [(3, 7)]),
        ("收件人：陈静 地址：上海市徐汇区漕溪北路88号", [(4, 6)]),
        ("主教练卡马乔表示球队会努力。", [(3, 6)]),
        ("阿卜杜拉·买买提是一名司机。", [(0, 8)]),
        ("发言人约翰·丁加特说", [(3, 9)]),
        ("他很高兴地说方面的工作做好了。", []),
        ("张经理和王某都来了。", []),
        ("李宁公司发布了新品。", []),
        ("一方面，时间很紧。", []),
        ("今天天气很好，我们去公园散步。", []),
        ("北京市朝阳区", []),
        ("主帅穆里尼奥表示球队会反弹。", [(2, 6)]),
        ("这名前锋受伤了，托雷斯因伤缺阵。", [(8, 11)]),
        ("桑德兰主场迎战米德尔斯堡。", []),
        ("导演山姆·雷米坐镇指挥。", [(2, 7)]),
        ("人族选手Sky夺得冠军。", [(4, 7)]),
        ("他最爱读《哈利·波特》。", []),
    ],
)
def test_find_spans(text: str, spans: list[tuple[int, int]]) -> None:
    found = person_name.find(text)
    assert [(s, e) for s, e, _ in found] == spans
    assert all(0.5 <= score <= 1.0 for _, _, score in found)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张伟", "张**"),
        ("王小明", "王**"),
        ("欧阳娜娜", "欧阳**"),
        ("Zhang Wei", "Z**** W**"),
    ],
)
def test_mask(value: str, masked: str) -> None:
    assert person_name.mask(value) == masked


@pytest.mark.parametrize("value", ["张", "张伟", "**", "*", "Li", "阿卜杜拉·买买提", "A B", " "])
def test_mask_never_returns_the_value(value: str) -> None:
    assert person_name.mask(value) != value


def test_normalize_folds_spelling() -> None:
    assert person_name.normalize("ZHANG  Wei") == person_name.normalize("zhang wei")
    assert person_name.normalize("阿卜杜拉•买买提") == "阿卜杜拉·买买提"


def test_recognizer_contract() -> None:
    rec = person_name.RECOGNIZER
    assert rec.type == "person_name"
    assert rec.find is person_name.find


def _hostile_text(size: int) -> str:
    """Dense surname characters, names, titles and noise: the worst case for candidates."""
    rng = random.Random(7)
    pieces = ["王", "李", "张", "欧阳", "司马", "先生", "说", "·", "、", "伟", "明", "某", "经理",
              "斯", "尔", "克", "1", "a", "，", "张伟", "公司", "路"]  # fmt: skip
    out: list[str] = []
    length = 0
    while length < size:
        piece = rng.choice(pieces)
        out.append(piece)
        length += len(piece)
    return "".join(out)[:size]


@pytest.mark.parametrize("text", [_hostile_text(200_000), "王" * 200_000, "·" * 200_000])
def test_find_is_fast_on_hostile_input(text: str) -> None:
    """A guard against runaway matching (minutes), not a benchmark: these take well under a
    second on an idle machine; the bound leaves room for a busy CI runner."""
    person_name.find("预热")  # load the tables first
    began = time.perf_counter()
    person_name.find(text)
    assert time.perf_counter() - began < 5.0


def _mixed_text(seed: int, size: int) -> str:
    """Random text from what makes or breaks a name reading: surnames (one and two characters),
    given-name characters, known names, ordinary words, cue words on either side, full-width
    punctuation, digits, Latin letters and characters beyond the BMP."""
    model = person_name._model()
    rng = random.Random(seed)
    pools = [
        sorted(model.surname_lr),
        sorted(model.char_lr)[::7],
        sorted(model.known)[::13],
        sorted(w for w in model.words if w[0] in model.surname_lr)[::11],
        [*person_name.LEFT_CUES, *person_name._RIGHT_CUES, *person_name.RIGHT_ADVERBS],
        [*person_name.NEGATIVE_RIGHT, *person_name.NOT_GIVEN],
        [*"，。：:（()）、 ·《》的和是1２aZ\n", "😀", "𠮷", "\u3000", "\ud800"],
    ]
    out: list[str] = []
    while sum(map(len, out)) < size:
        out.append(rng.choice(rng.choice(pools)))
    return "".join(out)


def _sample_sentences() -> list[str]:
    if not CLUENER.exists():
        return []
    with CLUENER.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle][:500]


def test_the_numpy_prefilter_only_skips_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """`_surname_positions` bounds every reading's odds and context from above: scoring every
    position instead finds exactly the same candidates (long texts take the numpy path, short
    ones the plain one)."""
    texts = [_mixed_text(seed, 4_000) for seed in range(6)]
    texts += [_mixed_text(seed, 60) for seed in range(40)] + _sample_sentences()
    fast = [person_name._rule_spans(text) for text in texts]
    monkeypatch.setattr(
        person_name, "_surname_positions", lambda text, code, floor: list(range(len(text)))
    )
    assert [person_name._rule_spans(text) for text in texts] == fast


def test_context_bounds_hold() -> None:
    """`_left_bound` and `_right_bound` are never below the context they stand for."""
    for seed in range(4):
        text = _mixed_text(seed, 4_000)
        for i in range(len(text) + 1):
            left = person_name._left_bound(text[i - 1]) if i else 0.5
            assert person_name._left_context(text, i) <= left, (text[max(0, i - 6) : i], i)
            right = person_name._right_bound(text[i]) if i < len(text) else 1.0
            assert person_name._right_context(text, i) <= right, (text[i : i + 4], i)


def _f1(path: Path) -> float:
    true_pos = predicted = gold = 0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            expected = {
                (start, end + 1)
                for spans in row["label"].get("name", {}).values()
                for start, end in spans
            }
            found = {(s, e) for s, e, _ in person_name.find(row["text"])}
            true_pos += len(found & expected)
            predicted += len(found)
            gold += len(expected)
    precision, recall = true_pos / predicted, true_pos / gold
    return 2 * precision * recall / (precision + recall)


def test_cluener_person_f1_floor() -> None:
    """Exact-span F1 on the 3,000 CLUENER2020 sentences; measured 0.70 (rules only)."""
    assert _f1(CLUENER) >= 0.67
