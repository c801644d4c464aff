"""Value evidence for PI categories that have no identifier shape: gender, ethnicity, religion,
health conditions, birth dates, ages of minors, credentials and biometric templates; and for the
account and HR types a China DPO expects (WeChat ID and openid, QQ number, salary, marital
status, political affiliation, employee number), listed once in `header_detectors`.

Each detector looks at the distinct sampled values of one column (with their counts) and says
how many of them fit. Detectors that would fire on ordinary data by value alone (birth dates look
like any date, 1/2 codes look like any flag) need the column name to agree; the caller passes
that in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache, partial

from chinacomply import datafiles


@dataclass(frozen=True, slots=True)
class Fit:
    """How many sampled values fit a category, and a phrase a person can read."""

    matched: int
    note: str


@cache
def _vocab() -> dict[str, frozenset[str]]:
    text = datafiles.read_text("chinacomply.classify", "data/value_vocabulary.yaml")
    data = datafiles.load_yaml(text)
    out = {key: frozenset(str(v).lower() for v in values) for key, values in data.items()}
    out["ethnicity"] = out["ethnicity"] | {f"{name}族" for name in out["ethnicity"]}
    out["health"] = out["health"] | out.pop("health_more")
    return out


@cache
def _health_pattern() -> re.Pattern[str]:
    terms = sorted(_vocab()["health"], key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in terms))


Counts = dict[str, int]  # distinct value -> occurrences in the sample


def _count(values: Counts, test: Callable[[str], bool]) -> int:
    return sum(n for v, n in values.items() if test(v))


def gender(values: Counts, named: bool) -> Fit:
    words = _vocab()["gender"]
    codes = _vocab()["gender_codes"]
    if len(values) > 6:
        return Fit(0, "")
    matched = _count(values, lambda v: v.lower() in words or (named and v.lower() in codes))
    return Fit(matched, "values are gender words or codes")


def ethnicity(values: Counts, named: bool) -> Fit:
    names = _vocab()["ethnicity"]
    matched = _count(values, lambda v: v in names and (named or v.endswith("族")))
    return Fit(matched, "values are officially recognised ethnic groups")


def religion(values: Counts, named: bool) -> Fit:
    words = _vocab()["religion"]
    hits = {v for v in values if v.lower() in words}
    if not named and len(hits) < 2:
        return Fit(0, "")
    return Fit(
        _count(values, lambda v: v in hits or (named and v in ("无", "无信仰"))),
        "values name religions",
    )


def health(values: Counts, named: bool) -> Fit:
    pattern = _health_pattern()
    matched = _count(values, lambda v: pattern.search(v.lower()) is not None)
    if named:  # a diagnosis column: every non-empty value is health information
        return Fit(sum(values.values()), "column name says health data")
    return Fit(matched, "values name medical conditions or treatments")


_DATE = re.compile(
    r"^\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{2})(\d{2}))"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*$"
)


def parse_date(value: str) -> dt.date | None:
    """A calendar date in the common Chinese and ISO layouts, or None."""
    m = _DATE.match(value)
    if not m:
        return None
    year, month, day = m.group(1), m.group(2) or m.group(4), m.group(3) or m.group(5)
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def date_of_birth(values: Counts, named: bool) -> Fit:
    if not named:
        return Fit(0, "")
    today = dt.date.today()

    def plausible(v: str) -> bool:
        born = parse_date(v)
        return born is not None and dt.date(1900, 1, 1) <= born <= today

    return Fit(_count(values, plausible), "values are plausible birth dates")


MINOR_AGE = 14  # PIPL Art. 28 and 31: all PI of minors under fourteen is sensitive


def minor(values: Counts, named: bool, age_named: bool) -> Fit:
    """An age column holding ages under 14, or a column named for minors or guardians."""
    if named:
        return Fit(sum(values.values()), "column name says minors' data")
    if not age_named:
        return Fit(0, "")
    ages = {v: int(v) for v in values if v.isdigit() and len(v) <= 3}
    if sum(values[v] for v in ages) < 0.9 * sum(values.values()):
        return Fit(0, "")
    under = sum(values[v] for v, age in ages.items() if age < MINOR_AGE)
    return Fit(under, f"{under} sampled ages are under {MINOR_AGE}")


_HASH = re.compile(
    r"^(?:\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}|\$argon2(?:id|i|d)\$\S+|pbkdf2[_:$]\S+"
    r"|eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$"
)


def credential(values: Counts, named: bool) -> Fit:
    """Password hashes and bearer tokens by shape; any non-empty value in a password column."""
    if named:
        return Fit(sum(values.values()), "column name says passwords or tokens")
    return Fit(
        _count(values, lambda v: _HASH.match(v) is not None), "values are password hashes or tokens"
    )


def named_only(values: Counts, named: bool) -> Fit:
    """Categories known from the column name alone (biometric templates, criminal records,
    financial accounts): the values are opaque, the name is the evidence."""
    return Fit(sum(values.values()) if named else 0, "column name")


_DEGREES = re.compile(r"^-?\d{1,3}\.\d{4,}$")


def coordinate_part(values: Counts, named: bool) -> Fit:
    """A latitude or longitude column on its own: decimals with four or more places (about
    11 m, precise location in TC260-PG-20244A's sense) in a column named for it."""
    if not named:
        return Fit(0, "")
    matched = _count(values, lambda v: _DEGREES.match(v) is not None and abs(float(v)) <= 180)
    return Fit(matched, "values are precise degrees")


def _fit_words(
    values: Counts, named: bool, words: str, codes: str, note: str, cardinality: int
) -> Fit:
    """A closed list of words (and, with a header, its standard codes): a header makes every
    listed word or code count; without one, two distinct words in a column of few distinct
    values are needed (a lone 群众 is not a political status column)."""
    vocab, code_set = _vocab()[words], _vocab()[codes]
    if len(values) > cardinality:
        return Fit(0, "")
    hits = {v for v in values if v.lower() in vocab}
    if not named and len(hits) < 2:
        return Fit(0, "")
    return Fit(_count(values, lambda v: v in hits or (named and v in code_set)), note)


def marital_status(values: Counts, named: bool) -> Fit:
    return _fit_words(
        values, named, "marital_status", "marital_codes", "values are marital statuses", 12
    )


def political_affiliation(values: Counts, named: bool) -> Fit:
    return _fit_words(
        values,
        named,
        "political_affiliation",
        "political_codes",
        "values are political statuses (GB/T 4762)",
        20,
    )


_QQ = re.compile(r"^[1-9][0-9]{4,10}$")


def qq_number(values: Counts, named: bool) -> Fit:
    """QQ numbers: 5-11 digits, no leading zero. Any number has that shape, so only a column
    named for QQ counts them."""
    if not named:
        return Fit(0, "")
    return Fit(_count(values, lambda v: _QQ.match(v) is not None), "values are QQ numbers")


# An openid (and a unionid) is 28 characters of base64url starting with "o": the "o" and the
# length come from WeChat's own format, so the shape is evidence even without a header.
_OPENID = re.compile(r"^o[A-Za-z0-9_-]{27}$")


def wechat_openid(values: Counts, named: bool) -> Fit:
    def fits(v: str) -> bool:
        return _OPENID.match(v) is not None and not v[1:].isalpha()  # not a 28-letter word

    return Fit(_count(values, fits), "values have the shape of WeChat openids")


# WeChat IDs: 6-20 letters, digits, _ or -, starting with a letter; old accounts use the
# bound QQ or mobile number, and system IDs read wxid_....
_WECHAT_ID = re.compile(
    r"^(?:[A-Za-z][A-Za-z0-9_-]{5,19}|wxid_[A-Za-z0-9]{6,22}|[1-9][0-9]{4,10})$"
)


def wechat_id(values: Counts, named: bool) -> Fit:
    if not named:
        return Fit(0, "")
    return Fit(_count(values, lambda v: _WECHAT_ID.match(v) is not None), "values are WeChat IDs")


# Amounts: 8500, 8,500.00, ¥12000, 1.2万, 15k, 8000-10000 (a range), 9 integer digits at most.
_AMOUNT = r"[¥￥$]?\s*(?:\d{1,3}(?:,\d{3}){1,2}|\d{1,9})(?:\.\d{1,2})?\s*(?:[kK万千元]|RMB|CNY)?"
_SALARY = re.compile(rf"^{_AMOUNT}(?:\s*[-~至]\s*{_AMOUNT})?$")


def salary(values: Counts, named: bool) -> Fit:
    """Amounts in a column named for pay or income (an amount alone is any amount)."""
    if not named:
        return Fit(0, "")
    return Fit(_count(values, lambda v: _SALARY.match(v) is not None), "values are pay amounts")


_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,19}$")


def employee_number(values: Counts, named: bool) -> Fit:
    """Codes (letters, digits, dashes) in a column named for staff numbers."""
    if not named:
        return Fit(0, "")
    return Fit(_count(values, lambda v: _CODE.match(v) is not None), "values are staff numbers")


Detector = Callable[[], Fit]


def header_detectors(values: Counts, named: Collection[str]) -> dict[str, Detector]:
    """The detectors of the types above, keyed by type, for a column's sampled values and the
    types its name suggests (`names.evidence(...).types`); the column classifier scores them
    with the others."""
    return {
        type_: partial(detect, values, type_ in named)
        for type_, detect in (
            ("wechat_openid", wechat_openid),
            ("wechat_id", wechat_id),
            ("qq_number", qq_number),
            ("salary", salary),
            ("marital_status", marital_status),
            ("political_affiliation", political_affiliation),
            ("employee_number", employee_number),
        )
    }
