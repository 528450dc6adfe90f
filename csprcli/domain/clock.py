"""A clock: one milestone of one case or child death, as it stands on the as-of date, and the
words for where it comes from and where it stands. Standard library only."""

from datetime import date
from enum import StrEnum
from typing import NamedTuple


class Force(StrEnum):
    """Where a clock's time limit comes from (domain.md section 6), so a breach of the law is never
    confused with a missed reminder. The duty and its time limit can come from different places."""

    LAW = "law"  # the Children Act 2004 or the 2018 Regulations set the time
    STATUTORY_GUIDANCE = "statutory guidance"  # Working Together to Safeguard Children 2023 sets it
    PANEL_GUIDANCE = "Panel guidance"  # the Panel's guidance for safeguarding partners
    LOCAL = "local"  # the partnership's own reminder or target, such as an action's target date


class Status(StrEnum):
    """Where a milestone stands on the as-of date."""

    DONE = "done"  # done on or before its due date
    LATE = "late"  # done after its due date
    OPEN = "open"  # not done, not yet past its due date
    OVERDUE = "overdue"  # not done, past its due date
    WAITING = "waiting"  # its clock has not started: the trigger has not happened
    PAUSED = "paused"  # the review is paused: the clock does not run
    NOT_PUBLISHED = "not published"  # the partners decided not to publish, with a rationale
    NOT_REQUIRED = "not required"  # the rule does not apply to this case


class Clock(NamedTuple):
    """One milestone of one case, as it stands on the as-of date.

    `due` is the target in force: the revised one if the target was revised, else
    `original_due`. Status and working days are measured against `due`; the
    `original_` pair measures the same against the original target. (A named tuple:
    a year's cases make hundreds of thousands of these, and a tuple is made fastest.)
    """

    ref: str
    milestone: str
    title: str
    force: Force
    trigger: date | None  # the date the clock runs from; None while it has not started
    due: date | None
    done: date | None
    status: Status
    working_days: int | None  # late by, left, or overdue by; None when not counted
    counts_from: str  # the trigger in words, e.g. "the notification"
    original_due: date | None = None
    original_status: Status | None = None
    original_working_days: int | None = None
    calendar_days: int | None = None  # calendar days left, while open
    unit: str = "working day"  # what working_days counts: "day" for a target set in calendar days

    @property
    def revised(self) -> bool:
        return self.due != self.original_due

    def due_date(self) -> date:
        """The due date of a clock that has one: every clock but one not started, or not required."""
        if self.due is None:
            raise ValueError(f"{self.ref} {self.milestone} is {self.status}: it has no due date")
        return self.due

    def counted(self) -> tuple[int, date]:
        """The working days and due date of a clock that counts them: one open, overdue or late (standing)."""
        if self.working_days is None or self.due is None:
            raise ValueError(f"{self.ref} {self.milestone} is {self.status}: it counts no working days")
        return self.working_days, self.due

    def describe(self) -> str:
        """The status in words, as `show`, `list` and the tables print it."""
        days = self.working_days
        unit = f"{self.unit}{'' if days == 1 else 's'}"
        match self.status:
            case Status.DONE:
                return "done on time"
            case Status.LATE:
                return f"done late by {days} {unit}"
            case Status.OPEN:
                # "Due today" only on the due date itself: a target on a Sunday is not due on the Friday.
                if self.calendar_days == 0:
                    return "due today"
                if days == 0:
                    left = self.calendar_days
                    return f"open, no working day left (due in {left} calendar day{'' if left == 1 else 's'})"
                return f"open, {days} {unit} left"
            case Status.OVERDUE:
                if days == 0:  # the day after a Friday target is a Saturday: overdue, no working day yet
                    return "overdue (no working day since the due date)"
                return f"overdue by {days} {unit}"
            case Status.WAITING:
                return f"not started: counts from {self.counts_from}"
            case Status.PAUSED:
                return "paused"
            case Status.NOT_PUBLISHED:
                return "decided not to publish"
            case _:
                return "not required"


def standing(calendar, due: date, done: date | None, as_of: date) -> tuple[Status, int | None]:
    """Where a milestone with this due date stands, and by how many working days (on `calendar`,
    anything with `between`: a WorkingCalendar, or EveryDay for a target in calendar days).

    Met when done on or before the due date; overdue from the day after it.
    Working days: late by between(due, done), left between(as_of, due),
    overdue by between(due, as_of) (domain.md section 3).
    """
    if done is not None:
        return (Status.DONE, None) if done <= due else (Status.LATE, calendar.between(due, done))
    if as_of > due:
        return Status.OVERDUE, calendar.between(due, as_of)
    return Status.OPEN, calendar.between(as_of, due)


def measured(
    ref, milestone, title, force, trigger, original, due, done, words, calendar, as_of, *,
    paused: bool = False, unit: str = "working day",
) -> Clock:  # fmt: skip
    """A milestone with a due date, measured on `as_of` against its due date in force and its original
    one. `paused`: the review's pause stops it (lifecycle decides when a pause does). `unit`: what
    `calendar` counts ("day" for a target set in calendar days)."""
    status, days = standing(calendar, due, done, as_of)
    original_status, original_days = (status, days) if due == original else standing(calendar, original, done, as_of)
    if paused:
        status, days = Status.PAUSED, None
    left = (due - as_of).days if status == Status.OPEN else None
    return Clock(
        ref, milestone, title, force, trigger, due, done, status, days, words,
        original, original_status, original_days, left, unit,
    )  # fmt: skip
