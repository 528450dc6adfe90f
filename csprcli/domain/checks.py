"""Pure input checks, shared by the commands and both importers: references, free text and
names within their limits, the order of a case's steps, and how each recorded field is read
from what a user typed or a file holds (`FIELDS`, the one table of field kinds).

Pure: no database, no clock, no printing; `as_of` is an argument.
"""

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Literal, overload

from csprcli.domain import stages
from csprcli.domain.dates import parse_date, parse_past_date, human_date
from csprcli.domain.errors import BadInput
from csprcli.domain.model import DEATH_REF, Incident
from csprcli.domain.vocabulary import Abuse, Nature, Outcome, PanelResponse, PublicationType, Step

_CHILD_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/-]{0,39}")
_PSEUDONYM = re.compile(r"child [a-z]{1,2}\d*", re.IGNORECASE)
# A day, a month and a year in any order people write them (14/03/2015, 2015-03-14, 14.3.15,
# 14 03 2015, 14 March 2015, 14th March 2015, March 14, 2015, 14Mar2015): a reference holding
# one is most likely a name with a date of birth. Eight digits in a row are checked apart
# (_EIGHT_DIGITS): only a real date, read as YYYYMMDD or DDMMYYYY, is one.
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DAY = r"(0?[1-9]|[12]\d|3[01])"
_FULL_DATE = re.compile(
    rf"(?<!\d){_DAY}[./ _-](0?[1-9]|1[0-2])[./ _-](\d{{4}}|\d{{2}})(?!\d)"
    r"|(?<!\d)(19|20)\d{2}[./ _-](0?[1-9]|1[0-2])[./ _-](0?[1-9]|[12]\d|3[01])(?!\d)"
    rf"|(?<!\d){_DAY}(st|nd|rd|th)?[ ._,-]*({_MONTHS})[a-z]*[ ._,-]*(\d{{4}}|\d{{2}})(?!\d)"
    rf"|(?<![a-z])({_MONTHS})[a-z]*[ ._,-]*{_DAY}(st|nd|rd|th)?[ ._,-]+(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_EIGHT_DIGITS = re.compile(r"(?<!\d)\d{8}(?!\d)")


def _holds_a_date(text: str) -> bool:
    """A full date in any common spelling, an eight-digit one included when it is a real date."""
    if _FULL_DATE.search(text):
        return True
    for digits in _EIGHT_DIGITS.findall(text):
        for year, month, day in ((digits[:4], digits[4:6], digits[6:]), (digits[4:], digits[2:4], digits[:2])):
            try:
                if 1900 <= int(year) <= 2099:
                    date(int(year), int(month), int(day))
                    return True
            except ValueError:
                continue
    return False


SUMMARY_LIMIT = 500
REASON_LIMIT = 2000


def check_child_ref(child: str) -> str:
    """A pseudonymous reference: an ID with a digit in it (LCS-104233) or 'Child A'.

    The value is never echoed back: if it is a name, it must not reach a screen or a log.
    """
    child = child.strip()
    if _holds_a_date(child):
        raise BadInput(
            "--child holds a full date (a date of birth?); give the case-management or eCDOP ID "
            "(e.g. LCS-104233) or a pseudonym such as 'Child A', never a name or a date of birth"
        )
    if not (_CHILD_REF.fullmatch(child) and (any(ch.isdigit() for ch in child) or _PSEUDONYM.fullmatch(child))):
        raise BadInput(
            "--child must be a pseudonymous reference: the case-management or eCDOP ID "
            "(letters and digits, e.g. LCS-104233) or a pseudonym such as 'Child A'; never a name"
        )
    return child


@overload
def free_text(value: str | None, what: str, limit: int, *, required: Literal[True]) -> str: ...
@overload
def free_text(value: str | None, what: str, limit: int, *, required: bool = False) -> str | None: ...
def free_text(value: str | None, what: str, limit: int, *, required: bool = False) -> str | None:
    """Free text, kept exactly as typed or pasted (quotes, new lines, emoji, any script)."""
    if value is None or not value.strip():
        if required:
            raise BadInput(f"{what} is required and cannot be empty")
        return None
    if len(value) > limit:
        raise BadInput(f"{what} is {len(value)} characters long; keep it to {limit}")
    if "\x00" in value:
        # A NUL cannot be typed or passed as an argument: text holding one is damaged. Other
        # control characters are kept as pasted, and shown made safe (output.printable).
        raise BadInput(f"{what} holds a NUL character (character {value.index(chr(0)) + 1}); the text is damaged")
    return value


@overload
def short_name(value: str | None, what: str, limit: int = 120, *, required: Literal[True]) -> str: ...
@overload
def short_name(value: str | None, what: str, limit: int = 120, *, required: bool = False) -> str | None: ...
def short_name(value: str | None, what: str, limit: int = 120, *, required: bool = False) -> str | None:
    """A short name (a local authority, an agency, a person's role), without spaces or tabs around it; every other character is kept as typed (str.strip would also drop U+0085 and other line breaks)."""
    return free_text(value.strip(" \t") if value is not None else None, what, limit, required=required)


REVISABLE = "publication and action-N"


def check_revisable(milestone: str, actions, ref: str = "") -> None:
    """Only a review's publication and an open action's target can be revised: the statutory and
    guidance clocks have no extension. `actions`: the case's action milestones (action-1, ...)."""
    from csprcli.domain.dates import shown

    if milestone != "publication" and milestone not in actions:
        where = f"{ref}: " if ref else ""
        raise BadInput(
            f"{where}{shown(milestone)} cannot be revised; only {REVISABLE} targets can (there is no statutory extension)"
        )


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def plain_name(value: str, what: str, limit: int = 120) -> str:
    """A name csprcli writes itself (the user a change was made by, the command that made it):
    short, and free of any control character."""
    if not value.strip() or len(value) > limit or _CONTROL.search(value):
        raise BadInput(f"{what} is not a plain name of at most {limit} characters without control characters")
    return value


def not_before(day: date, earlier: date | None, what: str, earlier_what: str) -> None:
    if earlier is not None and day < earlier:
        raise BadInput(f"{what} ({human_date(day)}) cannot be before {earlier_what} ({human_date(earlier)})")


def not_recorded(incident: Incident, field: str, what: str) -> None:
    recorded = getattr(incident, field)
    if recorded is not None:
        fix = f"csprcli correct {incident.ref} {field.replace('_', '-')} DATE --reason TEXT"
        raise BadInput(
            f"{incident.ref}: {what} is already recorded ({human_date(recorded)}); "
            f"to change a recorded date, use '{fix}'"
        )


# What each recorded date is called, and the command that records it.
DATE_WORDS = {
    "incident_date": ("the incident date", "csprcli incident add"),
    "aware": ("the aware date", "csprcli incident add"),
    "notified": ("the notification", "csprcli incident notify {ref} --on DATE"),
    "partners_informed": ("telling the partners", "csprcli incident inform {ref} --on DATE"),
    "rr_started": ("the rapid review's start", "csprcli review start {ref} --on DATE"),
    "decided": ("the decision", "csprcli review decide {ref} ..."),
    "rr_sent": ("sending the rapid review", "csprcli review submit {ref} --on DATE"),
    "reviewer_appointed": ("the reviewer's appointment", "csprcli lcspr reviewer {ref} ..."),
    "tor_agreed": ("agreeing the terms of reference", "csprcli lcspr terms {ref} --on DATE"),
    "planned_publication": ("the planned publication", "csprcli lcspr plan {ref} --publication DATE"),
    "report_sent": (
        "sending the final report to the Panel and the Secretary of State",
        "csprcli lcspr send {ref} --on DATE",
    ),
    "published": ("publication", "csprcli lcspr publish {ref} ..."),
}

# (later, earlier, the earlier must be recorded first): the order the steps come in.
ORDER = (
    ("aware", "incident_date", False),
    ("notified", "aware", True),
    ("partners_informed", "aware", True),
    ("rr_started", "notified", True),
    ("decided", "notified", True),
    ("decided", "rr_started", False),
    ("rr_sent", "decided", True),
    ("reviewer_appointed", "decided", True),
    ("tor_agreed", "decided", True),
    ("planned_publication", "decided", True),
    ("report_sent", "decided", True),
    ("published", "report_sent", True),
)

# Facts recorded together: each of a pair is recorded if and only if the other is.
TOGETHER = (("decided", "outcome"), ("published", "publication_type"))


def check_record(incident: Incident) -> None:
    """Refuse a record whose steps are out of order or inconsistent; the one place for these rules."""
    for later, earlier, required in ORDER:
        then, before = getattr(incident, later), getattr(incident, earlier)
        if then is None:
            continue
        if before is None:
            if required:
                words, command = DATE_WORDS[earlier]
                hint = f" ('{command.format(ref=incident.ref)}')" if incident.ref else ""
                raise BadInput(f"{incident.ref}: record {words} first{hint}")
            continue
        if then < before:
            raise BadInput(
                f"{DATE_WORDS[later][0]} ({human_date(then)}) cannot be before {DATE_WORDS[earlier][0]} ({human_date(before)})"
            )
    for a, b in TOGETHER:
        if (getattr(incident, a) is None) != (getattr(incident, b) is None):
            raise BadInput(f"{incident.ref}: {a.replace('_', '-')} and {b.replace('_', '-')} go together")
    if incident.abuse == Abuse.NONE and not (incident.nature == Nature.DEATH and incident.looked_after):
        raise BadInput(
            "--abuse none is only for the death of a looked-after child (--nature death --looked-after); "
            "any other serious incident needs abuse or neglect known or suspected"
        )
    if not stages.rapid_review_expected(incident) and (incident.rr_started or incident.decided):
        raise BadInput(
            f"{incident.ref}: no rapid review is expected for a looked-after child's death "
            "without abuse or neglect known or suspected"
        )
    if incident.outcome == Outcome.CRITERIA_NOT_MET and incident.rr_sent:
        raise BadInput(f"{incident.ref}: the criteria were not met, so no rapid review goes to the Panel")
    check_exchange(incident)
    lcspr_dates = ("reviewer_appointed", "tor_agreed", "planned_publication", "report_sent", "published")
    if not stages.local_review_decided(incident) and any(getattr(incident, f) for f in lcspr_dates):
        raise BadInput(f"{incident.ref}: there is no local review: {stages.no_local_review_why(incident)}")


# The Panel's responses after which the partners may decide again.
RECONSIDERED_AFTER = (PanelResponse.CHALLENGES, PanelResponse.MORE_INFORMATION, PanelResponse.NATIONAL_REVIEW)


def check_exchange(incident: Incident) -> None:
    """The exchange with the Panel in order: it follows the first sending; each step is dated on or
    after the one before; a decision is reconsidered only after a response that reopens it (a
    challenge, a request for more information, a national review), once per such response; the
    rapid review is sent again only after a reconsidered decision, once per decision."""
    ref = incident.ref
    if not incident.exchange:
        return
    if incident.rr_sent is None:
        raise BadInput(f"{ref}: record sending the rapid review first ('csprcli review submit {ref} --on DATE')")
    decided = incident.decided
    assert decided is not None  # the rapid review is sent only once decided (ORDER, checked before this)
    before, words = incident.rr_sent, "sending the rapid review"
    reopened, sendable = None, False  # the response that reopened the decision; a decision not yet sent
    reconsidered = None  # the latest reconsidered decision
    for step in incident.exchange:
        said = _STEP_WORDS[step.step]
        if step.day < before:
            raise BadInput(f"{said} ({human_date(step.day)}) cannot be before {words} ({human_date(before)})")
        if step.step == Step.RESPONSE:
            if step.response is None:
                raise BadInput(f"{ref}: a Panel response needs what the Panel said")
            reopened = step if step.response in RECONSIDERED_AFTER else None
        elif step.step == Step.DECISION:
            if reopened is None and reconsidered is None:
                raise BadInput(
                    f"{ref}: the decision is already recorded ({human_date(decided)}); a new decision is "
                    "recorded only after the Panel challenges it, asks for more information or takes a national "
                    "review ('csprcli review response'); to fix a typing mistake use 'csprcli correct'"
                )
            if reopened is None and reconsidered is not None:
                raise BadInput(
                    f"{ref}: the decision was already reconsidered on {human_date(reconsidered)}, after the Panel's "
                    "latest response; deciding again needs another response ('csprcli review response')"
                )
            if step.outcome is None or not step.notes:
                raise BadInput(f"{ref}: a reconsidered decision needs its outcome and reasons")
            if step.outcome == Outcome.CRITERIA_NOT_MET:
                raise BadInput(f"{ref}: the rapid review went to the Panel; criteria-not-met is no longer open")
            reopened, sendable, reconsidered = None, True, step.day
        else:
            if not sendable:
                raise BadInput(
                    f"{ref}: the rapid review was already sent ({human_date(before)}); it is sent again only after "
                    "a reconsidered decision ('csprcli review decide')"
                )
            sendable = False
        before, words = step.day, said


_STEP_WORDS = {
    Step.RESPONSE: "the Panel's response",
    Step.DECISION: "the reconsidered decision",
    Step.SENT: "sending the rapid review again",
}


def check_death_ref(ref: str) -> str:
    ref = ref.strip().upper()
    if not DEATH_REF.fullmatch(ref):
        raise BadInput(
            "the reference is the eCDOP number with its area prefix: WS (Walsall), WV (Wolverhampton), "
            "D (Dudley) or S (Sandwell), then digits, e.g. WS1234"
        )
    return ref


# -- the recorded fields of an incident, and how each is read ------------------------------------


@dataclass(frozen=True)
class Field:
    kind: str | type[Enum]  # date, reference, name, text, yes/no, or the fixed choice
    limit: int = 0  # the longest a name or text may be


FIELDS: dict[str, Field] = {
    "child": Field("reference"),
    "la": Field("name", 60),
    "aware": Field("date"),
    "nature": Field(Nature),
    "abuse": Field(Abuse),
    "looked_after": Field("yes/no"),
    "home_la": Field("name", 60),
    "incident_date": Field("date"),
    "summary": Field("text", SUMMARY_LIMIT),
    "notified": Field("date"),
    "sin_ref": Field("name", 40),
    "partners_informed": Field("date"),
    "rr_started": Field("date"),
    "decided": Field("date"),
    "outcome": Field(Outcome),
    "reason": Field("text", REASON_LIMIT),
    "rr_sent": Field("date"),
    "panel_response": Field(PanelResponse),
    "panel_response_on": Field("date"),
    "panel_notes": Field("text", REASON_LIMIT),
    "reviewer": Field("name", 120),
    "reviewer_appointed": Field("date"),
    "tor_agreed": Field("date"),
    "planned_publication": Field("date"),
    "report_sent": Field("date"),
    "published": Field("date"),
    "publication_type": Field(PublicationType),
    "publication_rationale": Field("text", REASON_LIMIT),
}
REQUIRED_FIELDS = ("child", "la", "aware", "nature", "abuse")
FUTURE_FIELDS = ("planned_publication",)  # the only date that may be after the as-of date
YES = ("yes", "y", "true", "1")
NO = ("no", "n", "false", "0")


def read_value(field: str, value: str, *, as_of: date, what: str):
    """A field's value from what was typed (or a file holds), checked as the commands check it.

    `value` is not empty; `what` names the field in an error.
    """
    kind, limit = FIELDS[field].kind, FIELDS[field].limit
    if kind == "date":
        return (parse_date if field in FUTURE_FIELDS else parse_past_date)(value, as_of=as_of, what=what)
    if kind == "reference":
        return check_child_ref(value)
    if kind == "name":
        return short_name(value, what, limit)
    if kind == "text":
        return free_text(value, what, limit)
    if kind == "yes/no":
        answer = value.strip().lower()
        if answer not in YES + NO:
            raise BadInput(f"{what} is yes or no")
        return answer in YES
    from csprcli.domain.choices import choose

    assert not isinstance(kind, str), kind  # every kind named in words is read above; the rest are choices
    try:
        return choose(kind, value)
    except BadInput as error:
        raise BadInput(f"{what}: {error}") from None
