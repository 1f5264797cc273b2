"""Working days and the three colours, as pure functions (no database)."""

from __future__ import annotations

import datetime

import chinese_calendar
import pytest

from dudao.supervision.warnings import Facts, Policy, judge
from dudao.supervision.workdays import PACKAGE, TABLE, WEEKENDS, WorkCalendar

D = datetime.date
CAL = WorkCalendar()
POLICY = Policy(blue_days=5, idle_days=10)


def test_national_day_and_its_make_up_days_count() -> None:
    assert CAL.between(D(2025, 9, 30), D(2025, 10, 10)) == 2
    assert CAL.is_workday(D(2025, 9, 28))  # Sunday, 调休 make-up day
    assert not CAL.is_workday(D(2025, 10, 8))
    assert CAL.add(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert CAL.between(D(2025, 10, 10), D(2025, 9, 30)) == -2


def test_a_year_the_package_lacks_falls_back_to_weekends_unless_a_table_is_loaded() -> None:
    assert CAL.source_of(2025) == PACKAGE
    assert CAL.source_of(2031) == WEEKENDS
    assert not CAL.is_workday(D(2031, 1, 4)) and CAL.is_workday(D(2031, 1, 1))
    table = WorkCalendar(table={D(2031, 1, 1): False, D(2031, 1, 4): True})
    assert table.source_of(2031) == TABLE
    assert not table.is_workday(D(2031, 1, 1)) and table.is_workday(D(2031, 1, 4))


def test_every_day_of_the_package_is_read_as_the_package_reads_it() -> None:
    day, last = min(chinese_calendar.holidays), max(chinese_calendar.holidays)
    day = D(day.year, 1, 1)
    while day.year <= last.year:
        assert CAL.is_workday(day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)


def test_a_table_year_counts_by_the_table_and_leaves_other_calendars_alone() -> None:
    """The years the table does not cover are counted once per process and shared; a year it
    covers is counted by that calendar only."""
    start, end = D(2025, 9, 30), D(2025, 10, 10)
    assert CAL.between(start, end) == 2
    # a table year is read from the table alone: its other weekdays are working days
    swapped = WorkCalendar(table={D(2025, 10, 8): True, D(2025, 9, 28): False})
    assert swapped.between(start, end) == 8 and not swapped.is_workday(D(2025, 9, 28))
    assert swapped.between(D(2024, 9, 30), D(2024, 10, 10)) == 3  # 2024: the package
    assert WorkCalendar().between(start, end) == 2 and CAL.between(start, end) == 2


def test_counting_far_dates_is_bounded() -> None:
    assert CAL.between(D(2000, 1, 1), D(2100, 12, 31)) > 0
    assert CAL.add(D(2025, 1, 1), 10**9) <= D(2028, 1, 5)


def _facts(**kw: object) -> Facts:
    base: dict[str, object] = {
        "status": "in_progress",
        "deadline": D(2025, 10, 10),
        "assigned_on": D(2025, 9, 1),
        "last_progress_on": D(2025, 9, 26),
    }
    base.update(kw)
    return Facts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "today", "colour"),
    [
        (_facts(), D(2025, 9, 30), "blue"),
        (_facts(), D(2025, 9, 1), ""),
        (_facts(), D(2025, 10, 11), "red"),
        (_facts(last_progress_on=D(2025, 9, 1)), D(2025, 9, 30), "yellow"),
        (_facts(status="not_started", last_progress_on=None), D(2025, 9, 22), "yellow"),
        (_facts(status="signoff_requested", requested_on=D(2025, 10, 9)), D(2025, 12, 1), ""),
        (_facts(status="ongoing"), D(2026, 6, 1), ""),
        (_facts(status="ongoing", next_review=D(2026, 6, 3)), D(2026, 6, 1), "blue"),
        (_facts(status="signed_off"), D(2026, 6, 1), ""),
    ],
)
def test_colours(facts: Facts, today: datetime.date, colour: str) -> None:
    assert judge(facts, today, CAL, POLICY).colour == colour


def test_waiting_for_the_reviewer_is_the_reviewers_time() -> None:
    v = judge(
        _facts(status="signoff_requested", requested_on=D(2025, 10, 9)),
        D(2025, 10, 17),
        CAL,
        POLICY,
    )
    assert (v.overdue, v.late_days, v.waiting_days) == (
        False,
        0,
        7,
    )  # 10月11日 (Saturday) is a make-up day
    late = judge(
        _facts(status="signoff_requested", requested_on=D(2025, 10, 14)),
        D(2025, 10, 17),
        CAL,
        POLICY,
    )
    assert (late.overdue, late.late_days) == (False, 3)
