"""The words people read for the register's codes: "Serious harm" for `serious-harm`, "Not known"
for `not-known`. One place, for every view (the reports, the meeting papers, the charts).

Pure: codes in, words out. The codes stay what is typed at the command line and stored.
"""

from csprcli.domain.clock import Clock
from csprcli.domain.vocabulary import AgeBand, DeathPlace, Ethnicity, Nature, Outcome, ProtectionPlan, Sex

NATURE = {Nature.DEATH: "Death", Nature.SERIOUS_HARM: "Serious harm", Nature.OTHER: "Other"}

SEX = {Sex.FEMALE: "Female", Sex.MALE: "Male", Sex.NOT_KNOWN: "Not known"}

# DfE's main ethnic groups, in the words of its children in need and looked-after statistics
ETHNICITY = {
    Ethnicity.WHITE: "White",
    Ethnicity.MIXED: "Mixed or multiple ethnic groups",
    Ethnicity.ASIAN: "Asian or Asian British",
    Ethnicity.BLACK: "Black, African, Caribbean or Black British",
    Ethnicity.OTHER: "Other ethnic group",
    Ethnicity.NOT_KNOWN: "Not known",
}

AGE_BAND = {
    AgeBand.UNDER_1: "Under 1",
    AgeBand.AGE_1_5: "1 to 5",
    AgeBand.AGE_6_10: "6 to 10",
    AgeBand.AGE_11_15: "11 to 15",
    AgeBand.AGE_16_17: "16 to 17",
}

OUTCOME = {
    Outcome.LCSPR: "Local review",
    Outcome.NO_LCSPR: "No local review",
    Outcome.NATIONAL_REVIEW: "National review",
    Outcome.THEMATIC: "Thematic review",
    Outcome.ALTERNATIVE_REVIEW: "Alternative review",
    Outcome.CRITERIA_NOT_MET: "Criteria not met",
}

PLACE = {DeathPlace.HOME: "Home", DeathPlace.HOSPITAL: "Hospital", DeathPlace.OTHER: "Other"}

PROTECTION_PLAN = {
    ProtectionPlan.CURRENT: "Child protection plan at the time",
    ProtectionPlan.PAST: "Child protection plan in the past",
    ProtectionPlan.NEVER: "Never on a child protection plan",
}

NOT_RECORDED = "Not recorded"


MILESTONE = {
    "notification": "Notification",
    "partners-informed": "Partners told",
    "rr-decision": "Rapid review decision",
    "rr-sent": "Rapid review to the Panel",
    "panel-response": "Panel's reply (to chase)",
    "progress-check": "Progress check",
    "report-sent": "Final report to the Panel",
    "publication": "Publication",
    "cdop-notification": "Notification to the CDOP",
}


def milestone_words(clock: Clock) -> str:
    """A milestone in a few words for a paper ("Rapid review decision"; the rule's full title where
    there are none), an action by its number (never its agency or words: they are a user's)."""
    if clock.milestone.startswith("action-"):
        return f"Action {clock.milestone.removeprefix('action-')}"
    return MILESTONE.get(clock.milestone, clock.title)


OUTCOME_WORDS = {
    Outcome.LCSPR: "local review",
    Outcome.NO_LCSPR: "no local review",
    Outcome.ALTERNATIVE_REVIEW: "alternative learning review",
    Outcome.NATIONAL_REVIEW: "national review suggested",
    Outcome.THEMATIC: "thematic local review",
    Outcome.CRITERIA_NOT_MET: "criteria not met",
}
