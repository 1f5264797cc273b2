"""Three-colour warnings (红黄蓝), computed from working days. Pure: facts in, verdict out.

- red: past its deadline without a sign-off request;
- yellow: behind schedule — no progress for `idle_days` working days, or half its time gone
  while still 未开始;
- blue: the deadline is within `blue_days` working days.
Red outranks yellow, yellow outranks blue. An item whose sign-off was requested on or
before its deadline is not overdue while it waits; those waiting days are the reviewer's.
A 长期坚持 item has no deadline to miss: it is reminded of its next review date instead.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dudao.supervision.workdays import WorkCalendar

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
SIGNOFF_REQUESTED = "signoff_requested"
SIGNED_OFF = "signed_off"
ONGOING = "ongoing"


@dataclass(frozen=True)
class Policy:
    blue_days: int = 5
    idle_days: int = 10


DEFAULT_POLICY = Policy()


@dataclass(frozen=True)
class Facts:
    status: str
    deadline: datetime.date | None
    assigned_on: datetime.date
    last_progress_on: datetime.date | None = None
    # When the pending sign-off request was made (status 申请销号).
    requested_on: datetime.date | None = None
    next_review: datetime.date | None = None


@dataclass(frozen=True)
class Verdict:
    colour: str  # "", "blue", "yellow", "red"
    reason: str
    # Working days past the deadline that count against the county (0 when not late).
    late_days: int = 0
    # Working days the item has waited for its reviewer (申请销号).
    waiting_days: int = 0

    @property
    def overdue(self) -> bool:
        return self.colour == "red"


def judge(facts: Facts, today: datetime.date, cal: WorkCalendar, policy: Policy) -> Verdict:
    if facts.status == SIGNED_OFF:
        return Verdict("", "已销号")
    if facts.status == SIGNOFF_REQUESTED:
        asked = facts.requested_on or today
        waiting = max(0, cal.between(asked, today))
        late = 0
        if facts.deadline is not None and asked > facts.deadline:
            late = cal.between(facts.deadline, asked)
        return Verdict("", f"等待审核 {waiting} 个工作日", late_days=late, waiting_days=waiting)
    if facts.status == ONGOING:
        if facts.next_review is None:
            return Verdict("", "长期坚持")
        left = cal.between(today, facts.next_review)
        if left < 0:
            return Verdict("yellow", f"长期坚持，复查日期已过 {-left} 个工作日")
        if left <= policy.blue_days:
            return Verdict("blue", f"长期坚持，{left} 个工作日后复查")
        return Verdict("", "长期坚持")
    if facts.deadline is None:
        return Verdict("", "未设整改时限")
    left = cal.between(today, facts.deadline)
    if facts.deadline < today:
        return Verdict("red", f"已超期 {-left} 个工作日", late_days=-left)
    if facts.status == NOT_STARTED and facts.assigned_on < today:
        total = cal.between(facts.assigned_on, facts.deadline)
        gone = cal.between(facts.assigned_on, today)
        if total > 0 and gone * 2 >= total:
            return Verdict("yellow", f"时间已过半仍未开始（剩 {left} 个工作日）")
    since = facts.last_progress_on or facts.assigned_on
    idle = cal.between(since, today)
    if idle >= policy.idle_days:
        return Verdict("yellow", f"{idle} 个工作日无进展")
    if left <= policy.blue_days:
        return Verdict("blue", f"距整改时限 {left} 个工作日")
    return Verdict("", f"距整改时限 {left} 个工作日")
