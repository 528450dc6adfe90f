"""The deadline rules, as one table of data, and the arithmetic that applies one.

Each rule names the milestone it times, the date it counts from (the trigger), the
count and unit, which cases it applies to, and where it comes from: the *duty* (what
must be done) and the *time limit* are cited separately, because they often come from
different places, and the force is the force of the time limit (domain.md section 6).
Which clocks are due, stopped or done on a given day is decided in `lifecycle`.
The settings a partnership varies (`SETTINGS`) are stored in its database and change
the table through `rules_for`.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import NamedTuple

from csprcli.domain.dates import shown
from csprcli.domain.calendar import EVERY_DAY, LOCAL, NATIONAL, EveryDay, WorkingCalendar, counting
from csprcli.domain.errors import BadInput
from csprcli.domain.model import add_months
from csprcli.domain.clock import Force

WORKING_DAYS = "working days"
MONTHS = "calendar months"
DAYS = "calendar days"

# The dates a clock can count from, in words.
TRIGGERS = {
    "aware": "the aware date",
    "notified": "the notification",
    "rr_sent": "sending the rapid review to the Panel",
    "last_sent": "sending the rapid review to the Panel (the latest sending, after a reconsidered decision)",
    "decided": "the decision that started the local review",
    "last_progress_check": "the last progress check (or the decision that started the review)",
    "publication": "the publication (the planned date until it is published)",
    "died": "the death",
}

WORKING_TOGETHER = "Working Together to Safeguard Children 2023, ch. 5"
PANEL_GUIDANCE = "Child Safeguarding Practice Review Panel: guidance for safeguarding partners"
REGULATIONS = "Child Safeguarding Practice Review and Relevant Agency (England) Regulations 2018"
# Where the section that sets a time limit could not be read in a primary text (docs/forces.md).
UNCONFIRMED = "section not confirmed from a primary text: docs/forces.md"
LOCAL_CHOICE = "the partnership's own choice: no instrument sets it"


@dataclass(frozen=True)
class Rule:
    """One deadline rule: the milestone it times, what it counts from, how far, and where it comes from."""

    milestone: str  # the name users type and scripts read
    title: str
    trigger: str  # what the clock counts from (a key of TRIGGERS; lifecycle finds the date)
    count: int  # negative counts back, as "at least 7 working days before"
    unit: str
    done: str | None  # the Incident field holding the date it was done; None: a recurring reminder
    applies_to: str  # which cases, in words (lifecycle.REQUIRED decides it)
    force: Force  # the force of the time limit
    duty: str  # where the duty to do it comes from
    time_limit: str  # where the time limit comes from
    local: bool = False  # the partnership's own closure days count; national clocks never see them
    pausable: bool = False  # stops while the review is paused
    duty_without_abuse: str | None = None  # the duty for a looked-after child's death without abuse or neglect
    set_by: str = ""  # the instrument and section that set the time limit, or why that is not confirmed

    @property
    def confirmed(self) -> bool:
        """Whether the section setting the time limit was confirmed from a primary text (docs/forces.md)."""
        return UNCONFIRMED not in self.set_by

    @property
    def source(self) -> str:
        return f"Duty: {self.duty}. Time limit: {self.time_limit}"


RULES: tuple[Rule, ...] = (
    Rule(
        milestone="notification",
        title="Serious incident notification to the Panel",
        trigger="aware",
        count=5,
        unit=WORKING_DAYS,
        done="notified",
        applies_to="every case (a looked-after child's death too, even with no abuse or neglect)",
        force=Force.STATUTORY_GUIDANCE,
        duty="Children Act 2004 s16C: the local authority notifies the Panel of a death or serious harm "
        "where abuse or neglect is known or suspected",
        duty_without_abuse=f"{WORKING_TOGETHER}: the local authority notifies the Secretary of State and Ofsted "
        "of the death of a looked-after child, whatever the cause",
        time_limit=f"{WORKING_TOGETHER}: within 5 working days of becoming aware",
        set_by=f"{WORKING_TOGETHER} ({UNCONFIRMED}); the duty: Children Act 2004 s16C(1)",
    ),
    Rule(
        milestone="partners-informed",
        title="Local safeguarding partners told",
        trigger="aware",
        count=5,
        unit=WORKING_DAYS,
        done="partners_informed",
        applies_to="cases with abuse or neglect known or suspected",
        force=Force.STATUTORY_GUIDANCE,
        duty=f"{WORKING_TOGETHER}: the local authority tells the safeguarding partners",
        time_limit=f"{WORKING_TOGETHER}: within 5 working days of becoming aware",
        set_by=f"{WORKING_TOGETHER} ({UNCONFIRMED})",
    ),
    Rule(
        milestone="rr-decision",
        title="Rapid review decision (local review or not)",
        trigger="notified",
        count=15,
        unit=WORKING_DAYS,
        done="decided",
        applies_to="cases with abuse or neglect known or suspected, unless the criteria were not met",
        force=Force.PANEL_GUIDANCE,
        duty=f"{WORKING_TOGETHER}: the safeguarding partners carry out a rapid review and decide whether "
        "a local review is appropriate",
        time_limit=f"{PANEL_GUIDANCE}: rapid review completed and decision taken within 15 working days "
        "of the notification",
        set_by=f"{PANEL_GUIDANCE}, rapid review timescales ({UNCONFIRMED})",
    ),
    Rule(
        milestone="rr-sent",
        title="Rapid review sent to the Panel",
        trigger="notified",
        count=15,
        unit=WORKING_DAYS,
        done="rr_sent",
        applies_to="cases with abuse or neglect known or suspected, unless the criteria were not met",
        force=Force.PANEL_GUIDANCE,
        duty=f"{WORKING_TOGETHER}: the safeguarding partners send the rapid review and their decision to the Panel",
        time_limit=f"{PANEL_GUIDANCE}: within 15 working days of the notification",
        set_by=f"{PANEL_GUIDANCE}, rapid review timescales ({UNCONFIRMED})",
    ),
    Rule(
        milestone="panel-response",
        title="Panel's response to the rapid review (reminder to chase)",
        trigger="last_sent",
        count=10,
        unit=WORKING_DAYS,
        done="panel_answered",
        applies_to="rapid reviews sent to the Panel",
        force=Force.LOCAL,
        duty="none: the Panel replies to the rapid review",
        time_limit="local practice: the Panel publishes no time limit for its reply; it usually answers "
        "within about 10 working days",
        local=True,
        set_by=LOCAL_CHOICE,
    ),
    Rule(
        milestone="progress-check",
        title="Next progress and quality check of the review",
        trigger="last_progress_check",
        count=1,
        unit=MONTHS,
        done=None,
        applies_to="local reviews until published",
        force=Force.LOCAL,
        duty=f"{REGULATIONS}, reg. 14: progress and quality checked at regular intervals",
        time_limit="local practice: the interval is the partnership's own (monthly is common)",
        local=True,
        pausable=True,
        set_by=f"{LOCAL_CHOICE} (the duty to check at regular intervals: {REGULATIONS}, reg. 14)",
    ),
    Rule(
        milestone="report-sent",
        title="Final report sent to the Panel and the Secretary of State",
        trigger="publication",
        count=-7,
        unit=WORKING_DAYS,
        done="report_sent",
        applies_to="local reviews",
        force=Force.STATUTORY_GUIDANCE,
        duty=f"{WORKING_TOGETHER}: the final report goes to the Panel and the Secretary of State",
        time_limit=f"{WORKING_TOGETHER}: at least 7 working days before publication",
        set_by=f"{WORKING_TOGETHER} ({UNCONFIRMED})",
    ),
    Rule(
        milestone="publication",
        title="Local review completed and published",
        trigger="decided",
        count=6,
        unit=MONTHS,
        done="published",
        applies_to="local reviews",
        force=Force.STATUTORY_GUIDANCE,
        duty="Children Act 2004 s16F: the safeguarding partners publish the review's report (or, where "
        "publishing it is inappropriate, information about the improvements)",
        time_limit=f"{WORKING_TOGETHER}: completed and published within 6 months of the decision to hold it",
        pausable=True,
        set_by=f"{WORKING_TOGETHER} ({UNCONFIRMED})",
    ),
)

DEATH_RULE = Rule(
    milestone="cdop-notification",
    title="Child death notified to the Child Death Overview Panel",
    trigger="died",
    count=1,
    unit=DAYS,
    done="notified",
    applies_to="every child death in the panel's remit",
    force=Force.LOCAL,
    duty="Child Death Review Statutory and Operational Guidance (England) 2018: the CDOP is notified of "
    "every child death",
    time_limit="local target: within 24 hours",
    set_by=LOCAL_CHOICE,
)

# Not a clock with a due date: how long a published report is kept available (`show` prints the first day
# it may be taken down). Labelled as the clocks are.
KEPT_AVAILABLE = Rule(
    milestone="kept-available",
    title="Published report kept available",
    trigger="publication",
    count=12,
    unit=MONTHS,
    done=None,
    applies_to="local reviews published (not a decision not to publish)",
    force=Force.STATUTORY_GUIDANCE,
    duty="Children Act 2004 s16F: the safeguarding partners publish the review's report",
    time_limit=f"{WORKING_TOGETHER}: the report (or the information about improvements) kept available for at "
    "least a year",
    set_by=f"{WORKING_TOGETHER} ({UNCONFIRMED})",
)


# -- the settings a partnership varies ------------------------------------------------


class Setting(NamedTuple):
    """A setting a partnership varies, and the rules it changes."""

    name: str
    default: str
    describes: str
    parse: Callable[[str], str]  # checks a value; returns it as stored, or raises BadInput
    moves: tuple[str, ...]  # the milestones whose rule it changes
    apply: Callable[[Rule, str], Rule]  # a rule with the setting's (stored) value applied


def _count(low: int, high: int, unit: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        try:
            number = int(value.strip())
        except ValueError:
            raise BadInput(f"give a whole number of {unit} from {low} to {high}, not {shown(value)}") from None
        if not low <= number <= high:
            raise BadInput(
                f"give a whole number of {unit} from {low} to {high}; {number} would make the rule meaningless"
            )
        return str(number)

    return parse


def _choice(*values: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.strip() not in values:
            raise BadInput(f"give one of {', '.join(values)}, not {shown(value)}")
        return value.strip()

    return parse


def _counted_from_aware(rule: Rule, value: str) -> Rule:
    if value != "aware":
        return rule
    return replace(
        rule, trigger="aware", time_limit=rule.time_limit + " (counted from the aware date, by local choice)"
    )


def _count_of(rule: Rule, value: str) -> Rule:
    return replace(rule, count=int(value))


def parse_population(value: str) -> tuple[int, str, str] | None:
    """The child population a CDOP's rate per 10,000 is worked out from, as typed: the number of
    children (0-17), the year it is for, and where it comes from: "61200; 2024; ONS mid-year
    estimate". "none" clears it (no rate is given)."""
    import re

    text = value.strip()
    if text.lower() in ("", "none"):
        return None
    found = re.fullmatch(r"([\d,]+)\s*;\s*(\d{4})\s*;\s*(.+)", text)
    number = int(found[1].replace(",", "")) if found and found[1].replace(",", "").isdigit() else 0
    if not found or number < 1 or len(found[3]) > 120 or not found[3].isprintable():
        raise BadInput(
            "give the number of children, the year and the source, separated by semicolons, e.g. "
            "'61200; 2024; ONS mid-year estimate' (or 'none')"
        )
    return number, found[2], " ".join(found[3].split())


def _population(value: str) -> str:
    found = parse_population(value)
    return "none" if found is None else f"{found[0]}; {found[1]}; {found[2]}"


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "rr-clock-start",
            "notification",
            "where the rapid-review clocks start: the notification date, or the aware date",
            _choice("notification", "aware"),
            ("rr-decision", "rr-sent"),
            _counted_from_aware,
        ),
        Setting(
            "panel-reminder",
            "10",
            "working days after sending the rapid review to chase the Panel's reply",
            _count(1, 60, "working days"),
            ("panel-response",),
            _count_of,
        ),
        Setting(
            "progress-interval",
            "1",
            "calendar months between progress checks of a local review",
            _count(1, 12, "months"),
            ("progress-check",),
            _count_of,
        ),
        Setting(
            "cdop-notification",
            "1",
            "calendar days after a child's death to notify the CDOP",
            _count(1, 30, "days"),
            ("cdop-notification",),
            _count_of,
        ),
        Setting(
            "child-population",
            "none",
            "the area's children (0-17) for the CDOP's deaths per 10,000 children: number; year; source "
            "(e.g. '61200; 2024; ONS mid-year estimate')",
            _population,
            (),  # no clock: only the yearly figures read it
            lambda rule, value: rule,
        ),
    )
}


def setting_of(milestone: str) -> Setting | None:
    """The setting that changes a milestone's rule, if any."""
    return next((s for s in SETTINGS.values() if milestone in s.moves), None)


def check_setting(name: str, value: str) -> str:
    """A setting's value as stored, or BadInput for an unknown name or a meaningless value."""
    if name not in SETTINGS:
        raise BadInput(f"no setting called {shown(name)}; settings: {', '.join(SETTINGS)}")
    return SETTINGS[name].parse(value)


def _with_settings(rule: Rule, settings: Mapping[str, str]) -> Rule:
    setting = setting_of(rule.milestone)
    return setting.apply(rule, settings.get(setting.name, setting.default)) if setting else rule


def death_rule_for(settings: Mapping[str, str]) -> Rule:
    """The child-death notification target with the partnership's setting applied."""
    return _with_settings(DEATH_RULE, settings)


def rules_for(settings: Mapping[str, str]) -> tuple[Rule, ...]:
    """The rule table with the partnership's settings applied (defaults for any not stored)."""
    return tuple(_with_settings(rule, settings) for rule in RULES)


# -- applying one ------------------------------------------------------------------------


def shift(calendar: WorkingCalendar | EveryDay, start: date, count: int, unit: str) -> date:
    """The date `count` units after `start`: working days by WORKDAY, months clamped to the month's end."""
    if unit == WORKING_DAYS:
        return calendar.add(start, count)
    return start + timedelta(days=count) if unit == DAYS else add_months(start, count)


def counts_on(rule: Rule) -> str:
    """The calendar a rule counts on: a national clock counts England-and-Wales working days only;
    the partnership's own closure days move only its local reminders (domain.md section 3); a
    target set in calendar days counts every day."""
    if rule.unit == DAYS:
        return EVERY_DAY
    return LOCAL if rule.local else NATIONAL


def calendar_of(rule: Rule, calendar: WorkingCalendar) -> WorkingCalendar | EveryDay:
    """The calendar `rule` counts on (counts_on), from the partnership's working calendar."""
    return counting(calendar, counts_on(rule))
