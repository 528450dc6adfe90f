"""The record's vocabulary: the fixed sets of values a field takes (the incident's nature, abuse or
neglect, the rapid review's outcome, the Panel's response, ..., the death register's kind, stage,
place and category of death), what else people call some of them, and the noun a message names
each set by (domain/choices.py reads them as typed). The records themselves are domain/model.py's.
"""

from enum import Enum, StrEnum


class Nature(StrEnum):
    DEATH = "death"
    SERIOUS_HARM = "serious-harm"
    OTHER = "other"


class Abuse(StrEnum):
    """Whether abuse or neglect is known or suspected."""

    KNOWN = "known"
    SUSPECTED = "suspected"
    NONE = "none"  # only the death of a looked-after child is notified without it


class Outcome(StrEnum):
    """What a rapid review decided (domain.md section 1)."""

    LCSPR = "lcspr"
    NO_LCSPR = "no-lcspr"
    ALTERNATIVE_REVIEW = "alternative-review"
    NATIONAL_REVIEW = "national-review"
    THEMATIC = "thematic"
    CRITERIA_NOT_MET = "criteria-not-met"


class PanelResponse(StrEnum):
    """The Panel's reply to a rapid review (domain.md section 1)."""

    AGREES_LCSPR = "agrees-lcspr"
    ACCEPTS_NO_LCSPR = "accepts-no-lcspr"
    CHALLENGES = "challenges"
    NATIONAL_REVIEW = "national-review"
    MORE_INFORMATION = "more-information"


class PublicationType(StrEnum):
    FULL = "full"
    REDACTED = "redacted"
    IMPROVEMENTS_ONLY = "improvements-only"  # information about improvements, not the report
    NOT_PUBLISHED = "not-published"


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class AgeBand(StrEnum):
    UNDER_1 = "under-1"
    AGE_1_5 = "1-5"
    AGE_6_10 = "6-10"
    AGE_11_15 = "11-15"
    AGE_16_17 = "16-17"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    NOT_KNOWN = "not-known"


class Ethnicity(StrEnum):
    """DfE's main ethnic groups."""

    WHITE = "white"
    MIXED = "mixed"
    ASIAN = "asian"
    BLACK = "black"
    OTHER = "other"
    NOT_KNOWN = "not-known"


class ProtectionPlan(StrEnum):
    CURRENT = "current"
    PAST = "past"
    NEVER = "never"


class Step(StrEnum):
    """A step of the exchange with the Panel after the rapid review was first sent (domain.md
    section 6: the exchange can repeat)."""

    RESPONSE = "response"  # the Panel responded
    DECISION = (
        "decision"  # the partners reconsidered their decision (after a challenge, a request or a national review)
    )
    SENT = "sent"  # the rapid review, with the reconsidered decision, sent to the Panel again


# -- the child death register's (domain.md section 2) -----------------------------------------


class DeathKind(StrEnum):
    """What is being recorded. Only the death of a live-born child is in the panel's remit."""

    CHILD = "child"
    STILLBIRTH = "stillbirth"
    LATE_FOETAL_LOSS = "late-foetal-loss"
    TERMINATION = "termination"  # a planned termination of pregnancy carried out within the law


class DeathStage(StrEnum):
    """The stages of a child death review, in the order the guidance sets them."""

    NOTIFIED = "notified"  # notification received by the CDOP
    JAR = "jar"  # Joint Agency Response (an unexpected death only)
    INFORMATION = "information"  # information gathered
    MEETING = "meeting"  # child death review meeting
    REVIEWED = "reviewed"  # CDOP review completed


class DeathPlace(StrEnum):
    """Where a child died, as CDOPs report it (NCMD's notification form asks the place of death)."""

    HOME = "home"
    HOSPITAL = "hospital"
    OTHER = "other"


class DeathCategory(StrEnum):
    """The ten categories of death a CDOP records for the National Child Mortality Database
    (Child Death Review Statutory and Operational Guidance (England) 2018; NCMD's CDOP
    analysis form), by the short names typed at the command line."""

    ABUSE = "abuse"
    SUICIDE = "suicide"
    TRAUMA = "trauma"
    MALIGNANCY = "malignancy"
    ACUTE = "acute"
    CHRONIC = "chronic"
    CONGENITAL = "congenital"
    PERINATAL = "perinatal"
    INFECTION = "infection"
    SUDDEN = "sudden"


# What each fixed set of the record is called in a message: "'x' is not an outcome".
# What people also call a choice, accepted as that choice (domain.choices): the local child
# safeguarding practice review is "a local review", and the seed page calls it a CSPR.
ALSO_CALLED: dict[Enum, tuple[str, ...]] = {
    Outcome.LCSPR: ("local-review", "cspr", "local-child-safeguarding-practice-review"),
    Outcome.NO_LCSPR: ("no-local-review", "no-cspr"),
    Outcome.ALTERNATIVE_REVIEW: ("alternative-learning-review",),
    PanelResponse.AGREES_LCSPR: ("agrees-local-review", "agrees-cspr"),
    PanelResponse.ACCEPTS_NO_LCSPR: ("accepts-no-local-review", "accepts-no-cspr"),
}

NOUNS: dict[type, str] = {
    Nature: "a nature",
    Abuse: "a value for abuse or neglect",
    Outcome: "an outcome",
    PanelResponse: "a Panel response",
    Step: "a step of the exchange with the Panel",
    PublicationType: "a publication type",
    Rag: "a RAG rating",
    AgeBand: "an age band",
    Sex: "a value for sex",
    Ethnicity: "one of DfE's main ethnic groups",
    ProtectionPlan: "a value for a child protection plan",
    DeathKind: "a kind of record",
    DeathStage: "a stage",
    DeathPlace: "a place of death (home, hospital or other)",
}
