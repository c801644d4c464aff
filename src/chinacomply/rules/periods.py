"""Periods the law counts, as the dates and moments they end: working days on the official
calendar, calendar days and months under the Civil Code, and hours from a moment in time.

Conventions (docs/rules.md "Time"):
* "N个工作日内" ends on the N-th working day after the start day (rules/calendar.py).
* "N日内" and "N个月内" start the day after the event (Civil Code Art. 201) and end on the N-th
  day, or on the corresponding day of the N-th month (or the month's last day when it has no
  such day, Art. 202); a last day that is not a working day moves to the next working day
  (Art. 203: a period whose last day is a statutory rest day ends the day after it). A last day
  outside the bundled calendar cannot be checked, so it is refused rather than guessed.
* "N小时" runs from the moment of discovery or awareness, to the minute, in its own time zone;
  a moment given without a zone is read in Asia/Shanghai.
"""

from __future__ import annotations

import calendar as months
import datetime as dt
from zoneinfo import ZoneInfo

from chinacomply.rules import calendar

CHINA = ZoneInfo("Asia/Shanghai")


def working_days_after(start: dt.date, days: int) -> dt.date:
    """The last day of "within `days` working days of `start`"."""
    return calendar.add_working_days(start, days)


def _not_on_rest_day(last: dt.date) -> dt.date:
    """Civil Code Art. 203: a last day that is a rest day gives way to the next working day."""
    while not calendar.is_working_day(last):
        last += dt.timedelta(days=1)
    return last


def calendar_days_after(start: dt.date, days: int) -> dt.date:
    """The last day of "within `days` days of `start`" (Civil Code Arts. 201, 203)."""
    if days < 0:
        raise ValueError(f"days must be >= 0, got {days}")
    return _not_on_rest_day(start + dt.timedelta(days=days))


def add_months(start: dt.date, count: int) -> dt.date:
    """The corresponding day `count` months later, or that month's last day (Art. 202)."""
    index = start.month - 1 + count
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, months.monthrange(year, month)[1]))


def months_after(start: dt.date, count: int) -> dt.date:
    """The last day of "within `count` months of `start`" (Civil Code Arts. 201-203)."""
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    return _not_on_rest_day(add_months(start, count))


def aware(moment: dt.datetime, zone: ZoneInfo = CHINA) -> dt.datetime:
    """The moment with its time zone; one given without a zone is read in `zone`."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def hours_after(moment: dt.datetime, hours: float) -> dt.datetime:
    """The moment `hours` after `moment`, in the moment's own zone."""
    return aware(moment) + dt.timedelta(hours=hours)
