"""The officer's morning (`csprcli today`): what is overdue, what falls due this week and next,
the next step on each open case, the child deaths not yet notified and the reviews waiting, and
what the nightly check last found. Worked out from the record by the one lifecycle computation
(reading.cases, reading.pending_deaths); no printing and no clock: `as_of` is an argument.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from csprcli.services import cases as reading
from csprcli.services.rulebook import rulebook
from csprcli.domain.clock import Clock, Status
from csprcli.store.store import Store

WORKING = (Status.OPEN, Status.OVERDUE)


@dataclass(frozen=True)
class Step:
    """The next step to record on an open case: the milestone due first, and what it needs
    (`step`: the milestone's name, or "rr-start" while the rapid review it waits on has not started)."""

    clock: Clock
    step: str


@dataclass(frozen=True)
class Waiting:
    """A review standing still on the as-of date: a CDOP review or a local review, paused."""

    ref: str
    kind: str  # "death" or "incident"
    since: date
    reason: str


@dataclass(frozen=True)
class NightlyCheck:
    """The last run of the nightly check, read from its log (examples/nightly-check.sh)."""

    at: datetime
    outcome: str  # "nothing overdue", "overdue" or "failed"
    overdue: int | None = None  # how many milestones it listed, when it found any
    detail: str = ""


@dataclass(frozen=True)
class Morning:
    as_of: date
    week_end: date  # the Sunday that ends this week
    overdue: list[Clock] = field(default_factory=list)  # the cases' milestones, most overdue first
    this_week: list[Clock] = field(default_factory=list)  # due from the as-of day to Sunday, soonest first
    next_week: list[Clock] = field(default_factory=list)  # due the Monday to the Sunday after
    next_steps: list[Step] = field(default_factory=list)  # one per open case, soonest first
    deaths_not_notified: list[Clock] = field(default_factory=list)  # their notification clocks
    waiting: list[Waiting] = field(default_factory=list)

    @property
    def anything_overdue(self) -> bool:
        return bool(self.overdue) or any(c.status == Status.OVERDUE for c in self.deaths_not_notified)


def morning(store: Store, as_of: date) -> Morning:
    """What needs doing on `as_of`, as the record stood at the end of that day."""
    book = rulebook(store)
    sunday = as_of + timedelta(days=6 - as_of.weekday())
    next_sunday = sunday + timedelta(days=7)
    overdue, this_week, next_week, steps, waiting = [], [], [], [], []
    for case in reading.cases(store, book, as_of, open_only=True):
        to_do = [c for c in case.clocks if c.status in WORKING]
        overdue += [c for c in to_do if c.status == Status.OVERDUE]
        due = [(c, c.counted()[1]) for c in to_do if c.status == Status.OPEN]  # an open clock has its due date
        this_week += [c for c, day in due if day <= sunday]
        next_week += [c for c, day in due if sunday < day <= next_sunday]
        first = case.next_clock
        if first is not None:
            steps.append(Step(first, _step(case.incident, first)))
        pause = next((p for p in case.incident.pauses if p.start <= as_of and (p.end is None or p.end > as_of)), None)
        if pause is not None:
            waiting.append(Waiting(case.incident.ref, "incident", pause.start, pause.reason))
    deaths = list(reading.pending_deaths(store, book, as_of))
    for death in store.deaths():
        if death.died <= as_of and not (death.reviewed and death.reviewed <= as_of):
            waits = next((p for p in death.pauses if p.start <= as_of and (p.end is None or p.end > as_of)), None)
            if waits is not None:
                waiting.append(Waiting(death.ref, "death", waits.start, waits.reason))
    return Morning(
        as_of=as_of,
        week_end=sunday,
        overdue=sorted(overdue, key=lambda c: (-(c.working_days or 0), c.due, c.ref, c.milestone)),
        this_week=sorted(this_week, key=_soonest),
        next_week=sorted(next_week, key=_soonest),
        next_steps=sorted(steps, key=lambda s: _soonest(s.clock)),
        deaths_not_notified=sorted(deaths, key=_soonest),
        waiting=sorted(waiting, key=lambda w: (w.since, w.ref)),
    )


def _soonest(clock: Clock) -> tuple:
    return (clock.due, clock.ref, clock.milestone)


def _step(incident, clock: Clock) -> str:
    """The step that moves the case on: the rapid review's decision waits on its start."""
    if clock.milestone == "rr-decision" and incident.rr_started is None:
        return "rr-start"
    return clock.milestone


# -- the nightly check's log --------------------------------------------------------------------

LOG_NAME = "nightly-check.log"  # beside the database, as the README's cron line writes it
_HEADLINE = re.compile(r"^(?P<at>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?) csprcli nightly check(?P<rest>.*)$")


def last_nightly_check(path: Path) -> NightlyCheck | None:
    """The last run the log at `path` records (every line starts with its date and time), or
    None if there is no log or it records no run. Only its last 64 KB are read."""
    try:
        with open(path, "rb") as log:
            log.seek(0, 2)
            log.seek(max(0, log.tell() - 65536))
            text = log.read().decode("utf-8", errors="replace")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    return nightly_check_in(text)


def nightly_check_in(text: str) -> NightlyCheck | None:
    """The last run recorded in the nightly check's log text."""
    lines = text.splitlines()
    for index in range(len(lines) - 1, -1, -1):
        found = _HEADLINE.match(lines[index])
        if not found:
            continue
        at = datetime.fromisoformat(found["at"].replace("T", " "))
        rest = found["rest"]
        if rest.startswith(" FAILED"):
            return NightlyCheck(at, "failed", detail=rest.removeprefix(" FAILED").strip(" :"))
        if "OVERDUE" in rest:
            counted = re.search(r"\((\d+)", rest)
            return NightlyCheck(at, "overdue", int(counted[1]) if counted else None)
        return NightlyCheck(at, "nothing overdue")
    return None
