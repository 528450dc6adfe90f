"""What every due date is worked out from: the calendar (bank holidays and the partnership's
closure days) and the rules with the partnership's settings, as they stand and as they stood on
any day (`Rulebook`, read from the store by `rulebook`).
"""

from datetime import date

from csprcli.domain.calendar import WorkingCalendar, of_record
from csprcli.domain.rules import Rule, death_rule_for, rules_for
from csprcli.store.store import Store


def calendar_for(store: Store | None) -> WorkingCalendar:
    """Bank holidays and the partnership's closure days recorded in `store`, if any (calendar.of_record)."""
    return WorkingCalendar() if store is None else of_record(store.closures(), store.bank_holidays())


class Rulebook:
    """What every due date is worked out from: the calendar and the rules as the partnership set them,
    and as they stood on any day (domain.md section 6: a view of a past day takes the settings and
    closure days as they stood that evening). Read once a command, and not changed after.

    `changes` are the settings' changes, each with the day it was recorded: a view of a day reads the
    rules as they stood then (`rules_on`), and a national clock done before a setting changed is
    measured by the rule as it stood when it was done (done is done). `closure_changes` are the
    closure days' changes, each with the day it was recorded (`calendar_on`).

    `unchanged` are the settings stored with no change in the history (set before it began);
    `closures` the closure days as they stand; `bank_holidays` as stored. A plain class: a frozen
    dataclass compiles its methods at import, about 0.8 ms on every command.
    """

    def __init__(
        self,
        calendar: WorkingCalendar,
        rules: tuple[Rule, ...],
        changes: tuple[tuple[date, str, str | None], ...] = (),
        unchanged: tuple[tuple[str, str], ...] = (),
        closure_changes: tuple[tuple[date, dict | None, dict | None], ...] = (),
        closures: tuple[tuple[date, str], ...] = (),
        bank_holidays: dict | None = None,
    ):
        self.calendar, self.rules, self.changes, self.unchanged = calendar, rules, changes, unchanged
        self.closure_changes, self.closures, self.bank_holidays = closure_changes, closures, bank_holidays
        self._on: dict[date, tuple[Rule, ...]] = {}  # rules_on's answers, by day
        self._calendars: dict[date, WorkingCalendar] = {}  # calendar_on's answers, by day

    def rule(self, milestone: str) -> Rule:
        return next(r for r in self.rules if r.milestone == milestone)

    def settings_on(self, day: date) -> dict[str, str]:
        """The settings stored as they stood at the end of `day`."""
        settings = dict(self.unchanged)
        for recorded, name, value in self.changes:
            if recorded > day:
                continue  # a write made as of an earlier day may come later in the history
            if value is None:
                settings.pop(name, None)
            else:
                settings[name] = value
        return settings

    def rules_on(self, day: date) -> tuple[Rule, ...]:
        """The rules with the settings as they stood at the end of `day`."""
        if not any(recorded > day for recorded, _, _ in self.changes):
            return self.rules
        if day not in self._on:
            self._on[day] = rules_for(self.settings_on(day))
        return self._on[day]

    def death_rule_on(self, day: date) -> Rule:
        """The child-death notification target with the setting as it stood at the end of `day`."""
        return death_rule_for(self.settings_on(day)) if self.changes else death_rule_for(dict(self.unchanged))

    def calendar_on(self, day: date) -> WorkingCalendar:
        """The working calendar with the closure days as they stood at the end of `day`: the changes
        recorded after it undone, newest first."""
        later = [(old, new) for recorded, old, new in self.closure_changes if recorded > day]
        if not later:
            return self.calendar
        if day not in self._calendars:
            closures = dict(self.closures)
            for old, new in reversed(later):
                if new is not None:
                    closures.pop(date.fromisoformat(new["day"]), None)
                if old is not None:
                    closures[date.fromisoformat(old["day"])] = old["reason"]
            self._calendars[day] = of_record(closures, self.bank_holidays)
        return self._calendars[day]


def rulebook(store: Store | None) -> Rulebook:
    """The calendar and rules of `store`; with None, bank holidays and the default rules."""
    if store is None:
        return Rulebook(calendar_for(None), rules_for({}))
    settings, changes = store.settings(), store.setting_changes()
    closures, bank_holidays = store.closures(), store.bank_holidays()
    changed = {name for _, name, _ in changes}
    return Rulebook(
        of_record(closures, bank_holidays),
        rules_for(settings),
        tuple(changes),
        tuple((n, v) for n, v in settings.items() if n not in changed),
        tuple(store.closure_changes()),
        tuple(closures.items()),
        bank_holidays,
    )
