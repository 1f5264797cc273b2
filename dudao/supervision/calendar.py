"""The working calendar as stored: the holiday table over the chinese-calendar package."""

from __future__ import annotations

from dudao.supervision.models import HolidayDay
from dudao.supervision.workdays import WorkCalendar


def work_calendar() -> WorkCalendar:
    """Read the holiday table (one query; a few dozen rows a year)."""
    return WorkCalendar(table=dict(HolidayDay.objects.values_list("day", "is_workday")))
