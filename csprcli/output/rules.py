"""The deadline rules in words (`rules`): each rule's count, unit and trigger, the force of its
time limit, where the duty and the time limit come from, whether closure days count, and the
settings a partnership can change."""

from typing import Any

from csprcli.domain.clock import Force
from csprcli.domain.rules import KEPT_AVAILABLE, SETTINGS, TRIGGERS, WORKING_DAYS, Rule, rules_for, setting_of
from csprcli.output import Column, say

RULE_COLUMNS = [
    Column(key)
    for key in (
        "milestone",
        "title",
        "count",
        "unit",
        "trigger",
        "applies_to",
        "force",
        "duty",
        "time_limit",
        "set_by",
        "closures",
        "setting",
    )
]


def _closure_words(rule: Rule) -> str:
    if rule.unit != WORKING_DAYS:
        return f"not counted: {rule.unit}"
    if rule.local:
        return "counted: the partnership's own closure days move this local reminder"
    return "never counted: a national clock counts England-and-Wales working days only"


def rule_rows(settings: dict[str, str]) -> list[dict[str, Any]]:
    """Every rule under `settings`, then an action's own target and the keeping of a published report."""
    rows: list[dict[str, Any]] = [  # a rule's columns, of their several kinds
        {
            "milestone": r.milestone,
            "title": r.title,
            "count": r.count,
            "unit": r.unit,
            "trigger": TRIGGERS[r.trigger],
            "applies_to": r.applies_to,
            "force": r.force,
            "duty": r.duty + (f". Without abuse or neglect: {r.duty_without_abuse}" if r.duty_without_abuse else ""),
            "time_limit": r.time_limit,
            "set_by": r.set_by,
            "closures": _closure_words(r),
            "setting": setting.name if (setting := setting_of(r.milestone)) else None,
        }
        for r in rules_for(settings)
    ]
    rows.append(
        {
            "milestone": "action-N",
            "title": "An action from a review's recommendations",
            "count": 0,
            "unit": "days",
            "trigger": "its target date",
            "applies_to": "each recorded action",
            "force": Force.LOCAL,
            "duty": "the review's recommendations, reported in the yearly report",
            "time_limit": "the action's own target date, set locally",
            "set_by": "the review's recommendations, locally",
            "closures": "not counted: the action is due on its target date",
            "setting": None,
        }
    )
    kept = KEPT_AVAILABLE
    rows.append(
        {
            "milestone": kept.milestone,
            "title": kept.title,
            "count": kept.count,
            "unit": kept.unit,
            "trigger": "the publication",
            "applies_to": kept.applies_to,
            "force": kept.force,
            "duty": kept.duty,
            "time_limit": kept.time_limit,
            "set_by": kept.set_by,
            "closures": f"not counted: {kept.unit}",
            "setting": None,
        }
    )
    return rows


def say_rules(rows: list[dict[str, Any]], settings: dict[str, str]) -> None:
    """The rules for people: a paragraph each, then the settings with their values."""
    for row in rows:
        unit = row["unit"] if abs(row["count"]) != 1 else row["unit"].removesuffix("s")  # 1 calendar month
        count = f"{abs(row['count'])} {unit} {'before' if row['count'] < 0 else 'after'} {row['trigger']}"
        if row["milestone"] == "action-N":
            count = "on its own target date"
        elif row["milestone"] == KEPT_AVAILABLE.milestone:
            count = f"at least {row['count']} {row['unit']} from {row['trigger']}"
        say(f"{row['milestone']}: {row['title']}\n  {count}; applies to {row['applies_to']}")
        say(f"  Force of the time limit: {row['force']}")
        say(f"  Duty: {row['duty']}")
        say(f"  Time limit: {row['time_limit']}")
        say(f"  Set by: {row['set_by']}")
        say(f"  Closure days: {row['closures']}")
        if row["setting"]:
            say(f"  Changed by the setting {row['setting']}.")
    say("\nSettings ('csprcli rules set NAME VALUE'):")
    for name, setting in SETTINGS.items():
        say(f"  {name} = {settings.get(name, setting.default)}: {setting.describes} (default {setting.default})")
