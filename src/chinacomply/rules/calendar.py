"""PRC working days (工作日), from the State Council's yearly holiday notices.

Deadlines in the data-export rules are counted in working days: "file the standard contract within
10 working days after it takes effect", "apply within the 60 working days before the result
expires". A PRC working day is not simply Monday to Friday. Each year the State Council General
Office (国务院办公厅) publishes 关于20XX年部分节假日安排的通知, which gives the days off (放假,
including weekdays taken off to bridge a holiday) and the Saturdays and Sundays that become working
days (调休上班). Those notices are bundled in ``data/holidays.yaml``, one entry per year; see
``docs/holidays.md`` for the sources and for how to add a year.

Counting convention
-------------------
* The day a period starts from is not counted; counting begins the next day. Civil Code Art. 201:
  "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。"
* Only working days are counted; statutory holidays are not. Administrative Licensing Law Art. 82:
  "本法规定的行政机关实施行政许可的期限以工作日计算，不含法定节假日。"
* A period of N working days therefore ends on the N-th working day after the start day. That day
  is always a working day, so Civil Code Art. 203 (a period whose last day is a holiday ends the
  day after the holiday) never moves it. Art. 203 also says when the last day ends: at 24:00, or
  at the close of business where there are business hours; this module deals in dates only.

Coverage
--------
Only the years with a bundled notice are covered. Any computation that needs a day outside them
raises :class:`CalendarRangeError`; there is no silent fallback to Monday to Friday, because a
wrong deadline is worse than no deadline. :func:`coverage` gives the covered range.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from chinacomply import datafiles

__all__ = [
    "CalendarRangeError",
    "HolidayNotice",
    "add_working_days",
    "coverage",
    "is_working_day",
    "notices",
    "subtract_working_days",
    "working_days_between",
]

DATA_FILE = "data/holidays.yaml"
_ONE_DAY = timedelta(days=1)


class CalendarRangeError(ValueError):
    """A computation needed a day outside the years whose holiday notice is bundled."""

    def __init__(self, day: date, covered: tuple[date, date]) -> None:
        first, last = covered
        super().__init__(
            f"{day.isoformat()} is outside the bundled PRC working-day calendar, which covers "
            f"{first.isoformat()} to {last.isoformat()}: add the State Council holiday notice for "
            f"{day.year} to chinacomply/rules/{DATA_FILE} (see docs/holidays.md)"
        )
        self.day = day
        self.covered = covered


@dataclass(frozen=True, slots=True)
class HolidayNotice:
    """One year's notice: where it comes from and the dates it changes."""

    year: int
    title: str
    number: str  # 发文字号, e.g. 国办发明电〔2024〕12号
    issuer: str
    issued: date
    url: str
    days_off: frozenset[date]  # every day off the notice names, weekend days inside a range too
    workdays: frozenset[date]  # weekend days the notice makes working days


@dataclass(frozen=True, slots=True)
class _Calendar:
    first: date
    last: date
    days_off: frozenset[date]
    workdays: frozenset[date]
    notices: tuple[HolidayNotice, ...]


# --- public API -------------------------------------------------------------------------------


def coverage() -> tuple[date, date]:
    """The first and last day (inclusive) the bundled notices cover: whole calendar years."""
    calendar = _calendar()
    return calendar.first, calendar.last


def notices() -> tuple[HolidayNotice, ...]:
    """The bundled notices, oldest first (for citing the source of a computed deadline)."""
    return _calendar().notices


def is_working_day(day: date) -> bool:
    """True if ``day`` is a PRC working day.

    A working day is a Monday to Friday that the year's notice does not give off, or a Saturday or
    Sunday that the notice makes a working day (调休上班).

    Raises:
        CalendarRangeError: ``day`` is outside :func:`coverage`.
    """
    _require_date(day, "day")
    calendar = _calendar()
    _require_covered(day, calendar)
    return _is_working(day, calendar)


def add_working_days(start: date, days: int) -> date:
    """The last day of a period of ``days`` working days counted from ``start``.

    This is the date by which something must be done when the law gives N working days from an
    event on ``start`` ("自标准合同生效之日起10个工作日内"). ``start`` itself is not counted: the
    first day counted is the day after it (Civil Code Art. 201), and only working days count
    (Administrative Licensing Law Art. 82). The result is the ``days``-th working day after
    ``start``, always a working day; ``days == 0`` returns ``start``.

    Example: a standard contract taking effect on Friday 2025-01-24 must be filed by
    ``add_working_days(date(2025, 1, 24), 10) == date(2025, 2, 13)`` (the Spring Festival
    holiday and the two working weekend days around it included), not by 2025-02-07 as a
    Monday-to-Friday count would say.

    Raises:
        ValueError: ``days`` is negative (use :func:`subtract_working_days`).
        CalendarRangeError: a day after ``start`` that must be looked at is outside
            :func:`coverage`.
    """
    _require_date(start, "start")
    _require_count(days)
    calendar = _calendar()
    day = start
    remaining = days
    while remaining:
        day += _ONE_DAY
        _require_covered(day, calendar)
        if _is_working(day, calendar):
            remaining -= 1
    return day


def subtract_working_days(end: date, days: int) -> date:
    """The earliest day of the window "within ``days`` working days before ``end``".

    Used for "在有效期届满前60个工作日内提出申请": apply on or after
    ``subtract_working_days(expiry, 60)`` and before ``expiry``. The window is made of the
    ``days`` working days immediately before ``end``; ``end`` itself is not counted, the mirror
    image of Civil Code Art. 201 leaving out the day a period is counted from. The result is
    always a working day; ``days == 0`` returns ``end``. (A reader who counts ``end`` as the first
    day of the window, when it is a working day, gets a window one working day shorter:
    ``subtract_working_days(end, days - 1)``.)

    Raises:
        ValueError: ``days`` is negative (use :func:`add_working_days`).
        CalendarRangeError: a day before ``end`` that must be looked at is outside
            :func:`coverage`.
    """
    _require_date(end, "end")
    _require_count(days)
    calendar = _calendar()
    day = end
    remaining = days
    while remaining:
        day -= _ONE_DAY
        _require_covered(day, calendar)
        if _is_working(day, calendar):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """The number of working days after ``start`` up to and including ``end``.

    Same convention as :func:`add_working_days`: ``start`` is not counted, ``end`` is, so
    ``working_days_between(d, add_working_days(d, n)) == n``. If ``end`` is before ``start``
    the count is negative: ``working_days_between(a, b) == -working_days_between(b, a)``.

    Raises:
        CalendarRangeError: a day after the earlier date, up to the later one, is outside
            :func:`coverage`.
    """
    _require_date(start, "start")
    _require_date(end, "end")
    if end < start:
        return -working_days_between(end, start)
    calendar = _calendar()
    count = 0
    day = start
    while day < end:
        day += _ONE_DAY
        _require_covered(day, calendar)
        if _is_working(day, calendar):
            count += 1
    return count


# --- internals --------------------------------------------------------------------------------


def _is_working(day: date, calendar: _Calendar) -> bool:
    if day in calendar.workdays:
        return True
    if day in calendar.days_off:
        return False
    return day.weekday() < 5


def _require_covered(day: date, calendar: _Calendar) -> None:
    if not calendar.first <= day <= calendar.last:
        raise CalendarRangeError(day, (calendar.first, calendar.last))


def _require_date(value: object, name: str) -> None:
    # A datetime is a date subclass but never equals a date, so it would miss every holiday.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")


def _require_count(days: object) -> None:
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"days must be an int, not {type(days).__name__}")
    if days < 0:
        raise ValueError(f"days must be >= 0, got {days}")


@cache
def _calendar() -> _Calendar:
    """The bundled notices, read and checked once."""
    text = datafiles.read_text("chinacomply.rules", DATA_FILE)
    return _parse(text, DATA_FILE)


def _parse(text: str, source: str) -> _Calendar:
    """Build the calendar from the YAML text, failing with the file and key that are wrong."""
    document = datafiles.load_yaml(text)
    if not isinstance(document, Mapping) or not isinstance(document.get("notices"), Mapping):
        raise ValueError(f"{source}: expected a mapping with a 'notices' key")
    entries: Mapping[object, object] = document["notices"]
    if not entries:
        raise ValueError(f"{source}: 'notices' is empty")
    parsed = [_parse_notice(year, entry, source) for year, entry in entries.items()]
    parsed.sort(key=lambda notice: notice.year)

    years = [notice.year for notice in parsed]
    missing = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    if missing:
        raise ValueError(f"{source}: no notice for {missing}; covered years must not have gaps")
    first, last = date(years[0], 1, 1), date(years[-1], 12, 31)

    days_off: set[date] = set()
    workdays: set[date] = set()
    for notice in parsed:
        where = f"{source}: notices.{notice.year}"
        outside = sorted(
            day for day in notice.days_off | notice.workdays if not first <= day <= last
        )
        if outside:
            raise ValueError(f"{where}: {outside[0]} is outside {first} to {last}")
        clash = sorted((notice.days_off & workdays) | (notice.workdays & days_off))
        if clash:
            raise ValueError(
                f"{where}: {clash[0]} is a day off in one notice, a workday in another"
            )
        days_off |= notice.days_off
        workdays |= notice.workdays
    return _Calendar(first, last, frozenset(days_off), frozenset(workdays), tuple(parsed))


def _parse_notice(year: object, entry: object, source: str) -> HolidayNotice:
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValueError(f"{source}: notices key {year!r} is not a year")
    where = f"{source}: notices.{year}"
    if not isinstance(entry, Mapping):
        raise ValueError(f"{where}: expected a mapping")
    if False in entry:
        raise ValueError(
            f"{where}: found the key false; write days_off (YAML reads `off` as false)"
        )

    def text_field(key: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{where}.{key}: expected a non-empty string")
        return value

    issued = entry.get("issued")
    if isinstance(issued, datetime) or not isinstance(issued, date):
        raise ValueError(f"{where}.issued: expected a date (YYYY-MM-DD)")
    days_off = _parse_dates(entry.get("days_off"), f"{where}.days_off")
    workdays = _parse_dates(entry.get("workdays"), f"{where}.workdays")
    weekdays = sorted(day for day in workdays if day.weekday() < 5)
    if weekdays:
        raise ValueError(f"{where}.workdays: {weekdays[0]} is a weekday; list only Sat/Sun")
    clash = sorted(days_off & workdays)
    if clash:
        raise ValueError(f"{where}: {clash[0]} is both in days_off and in workdays")
    return HolidayNotice(
        year=year,
        title=text_field("title"),
        number=text_field("number"),
        issuer=text_field("issuer"),
        issued=issued,
        url=text_field("url"),
        days_off=days_off,
        workdays=workdays,
    )


def _parse_dates(value: object, where: str) -> frozenset[date]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise ValueError(f"{where}: expected a list of dates")
    seen: set[date] = set()
    for item in value:
        if isinstance(item, datetime) or not isinstance(item, date):
            raise ValueError(f"{where}: {item!r} is not a date (write YYYY-MM-DD)")
        if item in seen:
            raise ValueError(f"{where}: {item} is listed twice")
        seen.add(item)
    return frozenset(seen)
