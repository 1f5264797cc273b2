"""Chinese working days: statutory holidays and 调休 make-up days.

A year with rows in the holiday table (HolidayDay, loaded or edited by an administrator)
is read from it alone; otherwise from the chinese-calendar package; a year neither covers
falls back to Monday–Friday, and `source_of(year)` says so for the settings page. The
State Council publishes next year's 放假安排 late in the year, after the package release.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import chinese_calendar

ONE_DAY = datetime.timedelta(days=1)
# Counting stops after this many calendar days: a bound on the work a bad date can cause.
MAX_SPAN_DAYS = 3 * 366
# Years outside these are clamped: the ledger holds dates of this century only.
MIN_YEAR, MAX_YEAR = 2000, 2100

TABLE = "table"
PACKAGE = "package"
WEEKENDS = "weekends"
SOURCE_LABELS = {
    TABLE: "本系统节假日表",
    PACKAGE: "内置节假日数据",
    WEEKENDS: "无节假日数据，仅按周六周日计算",
}


# The years the package has the State Council's schedule for (it raises for others).
PACKAGE_YEARS = frozenset(d.year for d in chinese_calendar.holidays)
# The package's own rule (`chinese_calendar.is_workday`) read from its tables directly: the
# function validates each date against min() and max() of every holiday, which made the
# cumulative counts below cost a quarter of a second per page.
_PACKAGE_WORKDAYS = frozenset(chinese_calendar.workdays)
_PACKAGE_HOLIDAYS = frozenset(chinese_calendar.holidays)


def _package_workday(day: datetime.date) -> bool:
    return day in _PACKAGE_WORKDAYS or (day.weekday() < 5 and day not in _PACKAGE_HOLIDAYS)


# Cumulative working days of a year the holiday table does not cover (package or weekends):
# the same for every calendar, so computed once per process.
_SHARED_YEARS: dict[int, list[int]] = {}


@dataclass(frozen=True)
class WorkCalendar:
    """`table`: {day: is_workday} of the administrator's holiday table."""

    table: Mapping[datetime.date, bool] = field(default_factory=dict)
    # year -> cumulative working days at the end of each day of the year (index 0: Jan 1).
    _years: dict[int, list[int]] = field(default_factory=dict, compare=False, repr=False)

    def table_years(self) -> frozenset[int]:
        return self._table_years

    @cached_property
    def _table_years(self) -> frozenset[int]:
        return frozenset(d.year for d in self.table)

    def source_of(self, year: int) -> str:
        if year in self.table_years():
            return TABLE
        if year in PACKAGE_YEARS:
            return PACKAGE
        return WEEKENDS

    def is_workday(self, day: datetime.date) -> bool:
        if day.year in self.table_years():
            if day in self.table:
                return self.table[day]
            return day.weekday() < 5
        if day.year in PACKAGE_YEARS:
            return _package_workday(day)
        return day.weekday() < 5

    def add(self, day: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `day` (n ≥ 0; 0 is `day` itself).

        >>> WorkCalendar().add(datetime.date(2025, 9, 30), 2)
        datetime.date(2025, 10, 10)
        """
        current = day
        for _ in range(MAX_SPAN_DAYS):
            if n <= 0:
                return current
            current += ONE_DAY
            if self.is_workday(current):
                n -= 1
        return current

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end`; negative when `end` is
        before `start`.

        >>> WorkCalendar().between(datetime.date(2025, 9, 30), datetime.date(2025, 10, 10))
        2
        """
        if end < start:
            return -self.between(end, start)
        return self._through(end) - self._through(start)

    def _year(self, year: int) -> list[int]:
        cache = self._years if year in self.table_years() else _SHARED_YEARS
        cumulative = cache.get(year)
        if cumulative is None:
            cumulative = []
            count = 0
            day = datetime.date(year, 1, 1)
            while day.year == year:
                count += self.is_workday(day)
                cumulative.append(count)
                day += ONE_DAY
            cache[year] = cumulative
        return cumulative

    def _through(self, day: datetime.date) -> int:
        """Working days from the start of `day`'s year through `day`, plus whole years
        from MIN_YEAR (a constant offset: only differences are used)."""
        year = max(MIN_YEAR, min(day.year, MAX_YEAR))
        whole = sum(self._year(y)[-1] for y in range(MIN_YEAR, year))
        if year != day.year:
            return whole
        return whole + self._year(year)[day.timetuple().tm_yday - 1]
