"""The PRC working-day calendar: bundled notices, known days, deadline arithmetic, coverage."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chinacomply.rules import calendar
from chinacomply.rules.calendar import (
    CalendarRangeError,
    add_working_days,
    coverage,
    is_working_day,
    subtract_working_days,
    working_days_between,
)

D = date.fromisoformat

# A second transcription of each notice, written from the notice text as ranges (放假/放假调休
# from-to) and working weekend days (上班); the YAML lists every date. The two must agree.
NOTICE_TEXT: dict[int, tuple[str, list[tuple[str, str]], str]] = {
    2022: (
        "国办发明电〔2021〕11号",
        [
            ("2022-01-01", "2022-01-03"),
            ("2022-01-31", "2022-02-06"),
            ("2022-04-03", "2022-04-05"),
            ("2022-04-30", "2022-05-04"),
            ("2022-06-03", "2022-06-05"),
            ("2022-09-10", "2022-09-12"),
            ("2022-10-01", "2022-10-07"),
        ],
        "2022-01-29 2022-01-30 2022-04-02 2022-04-24 2022-05-07 2022-10-08 2022-10-09",
    ),
    2023: (
        "国办发明电〔2022〕16号",
        [
            ("2022-12-31", "2023-01-02"),
            ("2023-01-21", "2023-01-27"),
            ("2023-04-05", "2023-04-05"),
            ("2023-04-29", "2023-05-03"),
            ("2023-06-22", "2023-06-24"),
            ("2023-09-29", "2023-10-06"),
        ],
        "2023-01-28 2023-01-29 2023-04-23 2023-05-06 2023-06-25 2023-10-07 2023-10-08",
    ),
    2024: (
        "国办发明电〔2023〕7号",
        [
            ("2024-01-01", "2024-01-01"),
            ("2024-02-10", "2024-02-17"),
            ("2024-04-04", "2024-04-06"),
            ("2024-05-01", "2024-05-05"),
            ("2024-06-10", "2024-06-10"),
            ("2024-09-15", "2024-09-17"),
            ("2024-10-01", "2024-10-07"),
        ],
        "2024-02-04 2024-02-18 2024-04-07 2024-04-28 2024-05-11 2024-09-14 2024-09-29 2024-10-12",
    ),
    2025: (
        "国办发明电〔2024〕12号",
        [
            ("2025-01-01", "2025-01-01"),
            ("2025-01-28", "2025-02-04"),
            ("2025-04-04", "2025-04-06"),
            ("2025-05-01", "2025-05-05"),
            ("2025-05-31", "2025-06-02"),
            ("2025-10-01", "2025-10-08"),
        ],
        "2025-01-26 2025-02-08 2025-04-27 2025-09-28 2025-10-11",
    ),
    2026: (
        "国办发明电〔2025〕7号",
        [
            ("2026-01-01", "2026-01-03"),
            ("2026-02-15", "2026-02-23"),
            ("2026-04-04", "2026-04-06"),
            ("2026-05-01", "2026-05-05"),
            ("2026-06-19", "2026-06-21"),
            ("2026-09-25", "2026-09-27"),
            ("2026-10-01", "2026-10-07"),
        ],
        "2026-01-04 2026-02-14 2026-02-28 2026-05-09 2026-09-20 2026-10-10",
    ),
}


def _days(start: str, end: str) -> set[date]:
    first, last = D(start), D(end)
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


def test_bundled_notices_match_the_notice_text() -> None:
    bundled = {notice.year: notice for notice in calendar.notices()}
    assert sorted(bundled) == sorted(NOTICE_TEXT)
    for year, (number, ranges, workdays) in NOTICE_TEXT.items():
        notice = bundled[year]
        assert notice.number == number
        assert notice.title == f"国务院办公厅关于{year}年部分节假日安排的通知"
        assert notice.url.startswith("https://www.gov.cn/")
        assert notice.days_off == set().union(*(_days(a, b) for a, b in ranges)), year
        assert notice.workdays == {D(day) for day in workdays.split()}, year


def test_coverage_is_whole_years_2022_to_2026() -> None:
    # Update this test (and NOTICE_TEXT) when a year is added; every other test follows coverage().
    assert coverage() == (date(2022, 1, 1), date(2026, 12, 31))
    # 2027-01-04 is an ordinary Monday, but no 2027 notice is bundled: refuse rather than guess.
    with pytest.raises(CalendarRangeError, match=r"^2027-01-04 is outside"):
        is_working_day(date(2027, 1, 4))
    assert issubclass(CalendarRangeError, ValueError)


# Days that are easy to get wrong: working weekends, bridged weekdays, 2025's new statutory days.
@pytest.mark.parametrize(
    ("day", "working", "why"),
    [
        ("2024-02-04", True, "Sunday, 春节 调休上班"),
        ("2024-02-18", True, "Sunday, 春节 调休上班"),
        ("2024-02-09", True, "除夕 2024 (Fri): the notice only encourages a day off"),
        ("2024-02-10", False, "Saturday, first day of 春节 2024"),
        ("2024-02-15", False, "Thursday inside 春节 2024"),
        ("2024-04-07", True, "Sunday, 清明 调休上班"),
        ("2024-09-14", True, "Saturday, 中秋 调休上班"),
        ("2024-09-29", True, "Sunday, 国庆 调休上班"),
        ("2024-09-30", True, "ordinary Monday"),
        ("2024-10-01", False, "国庆节"),
        ("2024-10-04", False, "bridged Friday in the National Day week"),
        ("2024-10-07", False, "bridged Monday, last day of the National Day week"),
        ("2024-10-08", True, "first working day after National Day"),
        ("2024-10-12", True, "Saturday, 国庆 调休上班"),
        ("2024-03-02", False, "ordinary Saturday"),
        ("2024-03-06", True, "ordinary Wednesday"),
        ("2025-01-26", True, "Sunday, 春节 调休上班"),
        ("2025-01-27", True, "Monday between the working Sunday and 除夕"),
        ("2025-01-28", False, "除夕: statutory from 2025"),
        ("2025-02-04", False, "正月初七, last day of 春节 2025"),
        ("2025-02-05", True, "first working day after 春节 2025"),
        ("2025-02-08", True, "Saturday, 春节 调休上班"),
        ("2025-04-27", True, "Sunday, 劳动节 调休上班"),
        ("2025-05-02", False, "5月2日: statutory from 2025"),
        ("2025-05-05", False, "bridged Monday, 劳动节 2025"),
        ("2025-10-08", False, "8th day of the merged National Day / Mid-Autumn holiday"),
        ("2025-10-11", True, "Saturday, 国庆 调休上班"),
        ("2022-12-31", False, "Saturday, given off by the 2023 notice"),
        ("2023-04-05", False, "清明 2023: one day, Wednesday"),
        ("2023-04-06", True, "the day after"),
        ("2023-10-07", True, "Saturday, 国庆 调休上班"),
        ("2022-01-29", True, "Saturday, 春节 调休上班"),
        ("2026-01-04", True, "Sunday, 元旦 调休上班"),
        ("2026-02-14", True, "Saturday, 春节 调休上班"),
        ("2026-02-16", False, "除夕 2026"),
        ("2026-02-23", False, "bridged Monday, last day of 春节 2026"),
        ("2026-02-28", True, "Saturday, 春节 调休上班"),
        ("2026-05-09", True, "Saturday, 劳动节 调休上班"),
        ("2026-09-20", True, "Sunday, 国庆 调休上班"),
        ("2026-10-10", True, "Saturday, 国庆 调休上班"),
        ("2026-12-31", True, "last covered day, a Thursday"),
    ],
)
def test_is_working_day(day: str, working: bool, why: str) -> None:
    assert is_working_day(D(day)) is working, why


def test_spring_festival_2025_days_off() -> None:
    spring = _days("2025-01-28", "2025-02-04")
    assert len(spring) == 8
    assert not any(is_working_day(day) for day in spring)
    assert all(is_working_day(D(day)) for day in ("2025-01-26", "2025-01-27", "2025-02-05"))


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2024-09-30", 0, "2024-09-30"),
        ("2024-09-30", 1, "2024-10-08"),  # the whole National Day week is skipped
        ("2024-09-30", 5, "2024-10-12"),  # ... and Saturday 10-12 counts
        ("2024-09-27", 10, "2024-10-16"),  # Sunday 09-29 counts, Saturday 09-28 does not
        ("2024-09-28", 1, "2024-09-29"),  # from a Saturday: the working Sunday is day 1
        ("2025-01-24", 10, "2025-02-13"),  # SCC filing across Spring Festival 2025
        ("2026-02-13", 1, "2026-02-14"),  # Friday to the working Saturday
        ("2026-02-14", 1, "2026-02-24"),  # nine days off
        ("2023-12-29", 1, "2024-01-02"),  # across a year boundary
        ("2021-12-31", 1, "2022-01-04"),  # start itself may lie before coverage
    ],
)
def test_add_working_days(start: str, days: int, expected: str) -> None:
    assert add_working_days(D(start), days) == D(expected)


def test_add_working_days_differs_from_a_monday_to_friday_count() -> None:
    # Mon-Fri counting from 2025-01-24 would end on 2025-02-07, six calendar days early.
    assert add_working_days(D("2025-01-24"), 10) - D("2025-02-07") == timedelta(days=6)


@pytest.mark.parametrize(
    ("end", "days", "expected"),
    [
        ("2025-10-09", 0, "2025-10-09"),
        ("2025-10-09", 1, "2025-09-30"),  # 10-01..08 are off
        ("2025-10-09", 3, "2025-09-28"),  # Sunday 09-28 is a working day
        ("2024-10-08", 1, "2024-09-30"),
        ("2024-10-08", 2, "2024-09-29"),
        ("2026-06-30", 60, "2026-04-01"),  # extension window: 60 working days before expiry
        ("2024-01-02", 1, "2023-12-29"),
    ],
)
def test_subtract_working_days(end: str, days: int, expected: str) -> None:
    assert subtract_working_days(D(end), days) == D(expected)


def test_sixty_day_window_has_sixty_working_days() -> None:
    expiry = D("2026-06-30")
    first = subtract_working_days(expiry, 60)
    window = [first + timedelta(days=i) for i in range((expiry - first).days)]
    assert is_working_day(first)
    assert sum(is_working_day(day) for day in window) == 60


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024-09-30", "2024-09-30", 0),
        ("2024-09-30", "2024-10-07", 0),
        ("2024-09-30", "2024-10-08", 1),
        ("2024-09-27", "2024-10-16", 10),
        ("2024-10-16", "2024-09-27", -10),
        ("2022-01-01", "2022-12-31", 249),  # 260 weekdays - 18 days off + 7 working weekends
    ],
)
def test_working_days_between(start: str, end: str, expected: int) -> None:
    assert working_days_between(D(start), D(end)) == expected


# Derived from coverage(), so these hold whatever years are bundled.
FIRST, LAST = coverage()
AFTER, BEFORE = LAST + timedelta(days=1), FIRST - timedelta(days=1)


@pytest.mark.parametrize(
    ("call", "uncovered"),
    [
        (lambda: is_working_day(AFTER), AFTER),
        (lambda: is_working_day(AFTER + timedelta(days=3)), AFTER + timedelta(days=3)),
        (lambda: is_working_day(BEFORE), BEFORE),
        (lambda: add_working_days(LAST - timedelta(days=1), 5), AFTER),
        (lambda: subtract_working_days(FIRST + timedelta(days=4), 5), BEFORE),
        (lambda: working_days_between(LAST - timedelta(days=30), LAST + timedelta(9)), AFTER),
        (lambda: working_days_between(LAST + timedelta(9), LAST - timedelta(days=30)), AFTER),
    ],
)
def test_days_outside_coverage_raise(call: Callable[[], object], uncovered: date) -> None:
    with pytest.raises(CalendarRangeError) as error:
        call()
    message = str(error.value)
    assert message.startswith(f"{uncovered.isoformat()} is outside")
    assert f"covers {FIRST.isoformat()} to {LAST.isoformat()}" in message
    assert f"holiday notice for {uncovered.year}" in message
    assert error.value.day == uncovered
    assert error.value.covered == (FIRST, LAST)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="days must be >= 0"):
        add_working_days(date(2024, 1, 2), -1)
    with pytest.raises(ValueError, match="days must be >= 0"):
        subtract_working_days(date(2024, 1, 2), -1)
    with pytest.raises(TypeError, match=r"datetime\.date"):
        is_working_day(datetime(2024, 10, 1, 9, 0))  # would never match a holiday
    with pytest.raises(TypeError, match="int"):
        add_working_days(date(2024, 1, 2), 1.0)  # type: ignore[arg-type]


_GOOD = """
notices:
  2024:
    title: t
    number: n
    issuer: i
    issued: 2023-10-25
    url: https://www.gov.cn/x
    days_off: [2024-10-01]
    workdays: [2024-10-12]
"""


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("workdays: [2024-10-12]", "workdays: [2024-10-11]"), "2024-10-11 is a weekday"),
        (("days_off: [2024-10-01]", "days_off: [2024-10-12]"), "both in days_off and in workdays"),
        (("days_off: [2024-10-01]", "off: [2024-10-01]"), "YAML reads `off` as false"),
        (("days_off: [2024-10-01]", "days_off: [2024-10-01, 2024-10-01]"), "listed twice"),
        (("days_off: [2024-10-01]", "days_off: [2024-1-1]"), "is not a date"),
        (("days_off: [2024-10-01]", "days_off: [2025-01-01]"), "outside 2024-01-01 to 2024-12-31"),
        (("url: https://www.gov.cn/x", "url: ''"), "notices.2024.url"),
    ],
)
def test_parse_rejects_bad_data(edit: tuple[str, str], message: str) -> None:
    text = _GOOD.replace(*edit)
    with pytest.raises(Exception, match=message):
        calendar._parse(text, "holidays.yaml")


def test_parse_rejects_a_gap_between_years() -> None:
    text = _GOOD + (
        "  2026:\n    title: t\n    number: n\n    issuer: i\n    issued: 2025-11-04\n"
        "    url: https://www.gov.cn/y\n    days_off: [2026-10-01]\n    workdays: [2026-10-10]\n"
    )
    with pytest.raises(ValueError, match=r"no notice for \[2025\]"):
        calendar._parse(text, "holidays.yaml")


def test_parse_accepts_good_data() -> None:
    parsed = calendar._parse(_GOOD, "holidays.yaml")
    assert (parsed.first, parsed.last) == (date(2024, 1, 1), date(2024, 12, 31))


# --- properties ----------------------------------------------------------------------------------

# Start dates leave room for 120 working days (at most ~180 calendar days) inside coverage.
starts = st.dates(min_value=FIRST, max_value=LAST - timedelta(days=200))
ends = st.dates(min_value=FIRST + timedelta(days=200), max_value=LAST)
counts = st.integers(min_value=1, max_value=120)


@given(starts, counts)
def test_add_lands_on_a_working_day_n_working_days_later(start: date, days: int) -> None:
    deadline = add_working_days(start, days)
    assert is_working_day(deadline)
    assert working_days_between(start, deadline) == days
    assert working_days_between(start, deadline - timedelta(days=1)) == days - 1


@given(ends, counts)
def test_subtract_opens_a_window_of_n_working_days(end: date, days: int) -> None:
    first = subtract_working_days(end, days)
    assert is_working_day(first)
    window = [first + timedelta(days=i) for i in range((end - first).days)]
    assert sum(is_working_day(day) for day in window) == days


@given(starts, counts)
def test_subtract_undoes_add_from_a_working_day(start: date, days: int) -> None:
    if is_working_day(start):
        assert subtract_working_days(add_working_days(start, days), days) == start


@given(starts, st.integers(min_value=0, max_value=200))
def test_between_is_antisymmetric(start: date, span: int) -> None:
    end = start + timedelta(days=span)
    assert working_days_between(start, end) == -working_days_between(end, start)
