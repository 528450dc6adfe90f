"""A case's stages: one table of the stages and the events that move a case between them
(TRANSITIONS), the case's life replayed from its events (`life_of`: its stage, the decision in
force, when its local review started), and the stage in words (`stage_words`). What is due on
a day, from that life, is domain/lifecycle.py's.

Pure: the incident is handed in.
"""

from datetime import date
from enum import StrEnum
from typing import NamedTuple

from csprcli.domain.model import LCSPR_OUTCOMES, Incident
from csprcli.domain.vocabulary import Abuse, Outcome, PanelResponse, PublicationType, Step


class Stage(StrEnum):
    """Where a case is in its life."""

    AWARE = "aware: notification to make"
    NOTIFIED_ONLY = "notified: no rapid review (a looked-after child's death without abuse or neglect)"
    RAPID_REVIEW = "rapid review to hold"
    LOCAL_REVIEW = "local review under way"
    PAUSED = "local review paused"
    RECONSIDERING = "decision being reconsidered at the Panel's request"
    NO_LOCAL_REVIEW = "no local review"
    NATIONAL_REVIEW = "taken into a national review by the Panel"
    CRITERIA_NOT_MET = "criteria not met"
    PUBLISHED = "local review published"
    NOT_PUBLISHED = "local review completed, not published"


# The events, as `event_name` names them, and what records each.
EVENTS = {
    "notified": "csprcli incident notify",
    "notified, no rapid review": "csprcli incident notify (a looked-after child's death without abuse or neglect)",
    "decided: local review": "csprcli review decide --outcome lcspr or thematic",
    "decided: no local review": "csprcli review decide --outcome no-lcspr, alternative-review or national-review",
    "decided: criteria not met": "csprcli review decide --outcome criteria-not-met",
    "Panel: national review": "csprcli review response --response national-review",
    "Panel: reconsider": "csprcli review response --response challenges or more-information",
    "paused": "csprcli lcspr pause",
    "resumed": "csprcli lcspr resume",
    "published": "csprcli lcspr publish --type full, redacted or improvements-only",
    "not published": "csprcli lcspr publish --type not-published",
}

_REVIEWABLE = (Stage.RAPID_REVIEW, Stage.RECONSIDERING, Stage.NATIONAL_REVIEW)

# (stage, event) -> the next stage. An event not listed for a stage leaves the stage as it is
# (a rapid review started, a report sent, a Panel that agrees).
TRANSITIONS: dict[tuple[Stage, str], Stage] = {
    (Stage.AWARE, "notified"): Stage.RAPID_REVIEW,
    (Stage.AWARE, "notified, no rapid review"): Stage.NOTIFIED_ONLY,
    **{(s, "decided: local review"): Stage.LOCAL_REVIEW for s in _REVIEWABLE},
    **{(s, "decided: no local review"): Stage.NO_LOCAL_REVIEW for s in _REVIEWABLE},
    **{(s, "decided: criteria not met"): Stage.CRITERIA_NOT_MET for s in _REVIEWABLE},
    (Stage.LOCAL_REVIEW, "Panel: national review"): Stage.NATIONAL_REVIEW,
    (Stage.PAUSED, "Panel: national review"): Stage.NATIONAL_REVIEW,
    (Stage.NO_LOCAL_REVIEW, "Panel: national review"): Stage.NATIONAL_REVIEW,
    (Stage.LOCAL_REVIEW, "Panel: reconsider"): Stage.RECONSIDERING,
    (Stage.NO_LOCAL_REVIEW, "Panel: reconsider"): Stage.RECONSIDERING,
    (Stage.CRITERIA_NOT_MET, "Panel: reconsider"): Stage.RECONSIDERING,
    (Stage.LOCAL_REVIEW, "paused"): Stage.PAUSED,
    (Stage.PAUSED, "resumed"): Stage.LOCAL_REVIEW,
    (Stage.LOCAL_REVIEW, "published"): Stage.PUBLISHED,
    (Stage.LOCAL_REVIEW, "not published"): Stage.NOT_PUBLISHED,
}

# Stages in which a local review is being held (its clocks apply).
HOLDING_A_LOCAL_REVIEW = (Stage.LOCAL_REVIEW, Stage.PAUSED, Stage.PUBLISHED, Stage.NOT_PUBLISHED)


class Life(NamedTuple):
    """A case's life replayed: its stage, the decision in force, and when its local review started."""

    stage: Stage
    outcome: Outcome | None  # the decision in force (the latest)
    review_start: date | None  # the decision that started the local review being held, if one is


def _decided(outcome: Outcome) -> str:
    if outcome in LCSPR_OUTCOMES:
        return "decided: local review"
    return "decided: criteria not met" if outcome == Outcome.CRITERIA_NOT_MET else "decided: no local review"


def events(incident: Incident) -> list[tuple[date, int, str]]:
    """The case's events as (date, order on the day, name), in the order they happened. The steps
    of the exchange with the Panel keep their own order (each is dated on or after the one before)."""
    i = incident
    found = []
    if i.notified:
        found.append((i.notified, 0, "notified" if rapid_review_expected(i) else "notified, no rapid review"))
    if i.decided and i.outcome:
        found.append((i.decided, 1, _decided(i.outcome)))
    for n, step in enumerate(i.exchange):
        if step.step == Step.DECISION:
            found.append((step.day, 2 + n, _decided(step.as_decision().outcome)))
        elif step.step == Step.RESPONSE and step.response == PanelResponse.NATIONAL_REVIEW:
            found.append((step.day, 2 + n, "Panel: national review"))
        elif step.step == Step.RESPONSE and step.response in (PanelResponse.CHALLENGES, PanelResponse.MORE_INFORMATION):
            found.append((step.day, 2 + n, "Panel: reconsider"))
    late = 2 + len(i.exchange)  # a pause and a publication come after the exchange on the same day
    for pause in i.pauses:
        found.append((pause.start, late, "paused"))
        if pause.end:
            found.append((pause.end, late + 1, "resumed"))
    if i.published:
        kind = "not published" if i.publication_type == PublicationType.NOT_PUBLISHED else "published"
        found.append((i.published, late + 2, kind))
    return sorted(found)


def review_start(incident: Incident) -> date | None:
    """When the local review being held started (the decision that started it), or None: what
    the local review's clocks count from (the replay of the case's events, life_of)."""
    return life_of(incident).review_start


def life_of(incident: Incident) -> Life:
    """Replay the case's events through TRANSITIONS."""
    stage, start = Stage.AWARE, None
    for day, _, event in events(incident):
        after = TRANSITIONS.get((stage, event), stage)
        if after in HOLDING_A_LOCAL_REVIEW:
            start = start or day
        elif after != Stage.RECONSIDERING:  # reconsidering keeps the review running until decided again
            start = None
        stage = after
    return Life(stage, outcome_in_force(incident), start)


# -- facts the life of a case gives ---------------------------------------------------------


def rapid_review_expected(incident: Incident) -> bool:
    """The Panel considers only cases with abuse or neglect known or suspected: the death of a
    looked-after child with neither is notified, but no rapid review follows."""
    return incident.abuse is not Abuse.NONE


def _reconsidered(incident: Incident):
    """The latest reconsidered decision's step, if the decision was ever reconsidered."""
    if not incident.exchange:  # most cases: no generator made for nothing
        return None
    return next((s for s in reversed(incident.exchange) if s.step == Step.DECISION), None)


def outcome_in_force(incident: Incident) -> Outcome | None:
    """The latest decision's outcome: a reconsidered decision replaces the one before."""
    latest = _reconsidered(incident)
    return latest.outcome if latest else incident.outcome


def decided_in_force(incident: Incident) -> date | None:
    """The day of the decision in force (the latest: a reconsidered decision replaces the one before)."""
    latest = _reconsidered(incident)
    return latest.day if latest else incident.decided


def local_review_decided(incident: Incident) -> bool:
    """The decision in force is to hold a local (or thematic) review."""
    return outcome_in_force(incident) in LCSPR_OUTCOMES


def local_review(incident: Incident) -> bool:
    """A local review is being held: decided, and not replaced by the Panel's national review."""
    return review_start(incident) is not None


def no_local_review_why(incident: Incident) -> str:
    """Why there is no local review, in words."""
    life = life_of(incident)
    if life.stage == Stage.NATIONAL_REVIEW:
        return "the Panel took the case into a national review ('csprcli review decide' records a local review too)"
    return f"the rapid review decided {life.outcome}" if life.outcome else "the rapid review has not decided yet"


def stage_words(incident: Incident) -> str:
    """Where the case has got to, in words: "Local review: terms agreed" (the lifecycle decides the
    stage). The one wording of a case's stage for people: the meeting papers and `show` alike."""
    from csprcli.domain.labels import OUTCOME_WORDS

    i = incident
    life = life_of(i)
    if life.stage is Stage.NATIONAL_REVIEW:
        return "National review: taken by the Panel"
    if life.stage is Stage.RECONSIDERING:
        return "Rapid review: decision being reconsidered"
    if life.stage in HOLDING_A_LOCAL_REVIEW:
        if life.stage is Stage.PUBLISHED:
            return "Local review: published"
        if life.stage is Stage.NOT_PUBLISHED:
            return "Local review: not published"
        if life.stage is Stage.PAUSED:
            return "Local review: paused"
        for done, words in (
            (i.report_sent, "final report sent"),
            (i.planned_publication, "publication planned"),
            (i.tor_agreed, "terms agreed"),
            (i.reviewer_appointed, "reviewer appointed"),
        ):
            if done:
                return f"Local review: {words}"
        return "Local review: commissioning"
    outcome = life.outcome
    if outcome is Outcome.CRITERIA_NOT_MET:
        return "Rapid review: criteria not met"
    if outcome is not None:
        decided = f"Rapid review: {OUTCOME_WORDS[outcome]}"
        last = i.exchange[-1].step if i.exchange else None
        if last == "decision":
            return f"{decided}; reconsidered, not yet sent again"
        if last == "sent":
            return f"{decided}; reconsidered and sent to the Panel again"
        if i.panel_response:
            return f"{decided}; the Panel replied"
        return f"{decided}; sent to the Panel" if i.rr_sent else f"{decided}; not yet sent"
    if i.rr_started:
        return "Rapid review: under way"
    if i.notified:
        return "Notified; rapid review to start" if rapid_review_expected(i) else "Notified"
    return "Notification not yet made"
