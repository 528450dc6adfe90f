"""Reading a fixed choice typed by a person, and suggesting the nearest one when it is wrong.

Pure: the choices are arguments. Any letter case is accepted (`LCSPR`, `Serious-Harm`), and a
space or underscore is read as a hyphen. The other names people use for a choice are accepted as
that choice (vocabulary.ALSO_CALLED: "local review" and "CSPR" are the outcome `lcspr`). What is
refused gets one sentence written for people:

    'lcsrp' is not an outcome; did you mean 'lcspr'? (one of: lcspr, no-lcspr, ...)

A suggestion is made only for a slip of the keyboard (a letter or two wrong, missing, extra or
swapped), never for a word that merely looks alike: 'local-review' is never pointed at
'national-review', a choice of a different meaning.
"""

import difflib
from collections.abc import Iterable
from enum import Enum
from typing import TypeVar

from csprcli.domain.errors import BadInput

E = TypeVar("E", bound=Enum)


def nearest(text: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The candidate closest to `text`, ignoring letter case, or None when nothing is close."""
    candidates = list(candidates)
    lowered = {c.lower(): c for c in candidates}
    key = text.strip().lower()
    if key in lowered:
        return lowered[key]
    starts = [c for low, c in lowered.items() if low.startswith(key) or key.startswith(low)] if key else []
    if len(starts) == 1:
        return starts[0]
    found = difflib.get_close_matches(key, list(lowered), n=1, cutoff=cutoff)
    return lowered[found[0]] if found else None


def normalised(text: str) -> str:
    return "-".join(str(text).strip().lower().replace("_", " ").split())


def choose(kind: type[E], text: str | E, what: str | None = None) -> E:
    """The member of `kind` that `text` names, in any letter case; else BadInput naming `what`.

    `what` is the noun, with its article where English wants one ("an outcome", "a format");
    by default the record's own name for the set (vocabulary.NOUNS).
    """
    if not what:
        from csprcli.domain.vocabulary import NOUNS  # only when a message needs it: choices stay pure

        what = NOUNS.get(kind, "one of the choices")
    if isinstance(text, kind):
        return text
    values = [str(m.value) for m in kind]
    typed = normalised(str(text))  # not a member of `kind`: its text, whatever it is
    for member in kind:  # the value itself, the common case: the model is not imported for it
        if normalised(member.value) == typed:
            return member
    names = names_of(kind)
    if typed in names:
        return names[typed]
    raise BadInput(refusal(str(text), values, what, {name: str(m.value) for name, m in names.items()}))


def names_of(kind: type[E]) -> dict[str, E]:
    """Every name a member of `kind` is known by (its value, and what people also call it), normalised."""
    from csprcli.domain.vocabulary import ALSO_CALLED  # only what a choice needs: choices stay pure

    names = {normalised(m.value): m for m in kind}
    for member in kind:
        names.update({normalised(other): member for other in ALSO_CALLED.get(member, ())})
    return names


def refusal(text: str, values: list[str], what: str, names: dict[str, str] | None = None) -> str:
    """ "'x' is not an outcome; did you mean 'y'? (one of: ...)": the whole message. `names` maps every
    name a choice is known by to its value (by default, the values themselves)."""
    from csprcli.domain.text import excerpt  # quoted as typed (repr would add backslashes)

    shown = excerpt(text, 27)
    guess = misspelt(normalised(text), names or {v: v for v in values})
    hint = f"; did you mean '{guess}'?" if guess else ""
    return f"{shown} is not {what}{hint} (one of: {', '.join(values)})"


def misspelt(typed: str, names: dict[str, str]) -> str | None:
    """The value `typed` meant, when it is a slip of the keyboard (at most one letter wrong, missing,
    extra or swapped in a word of four letters or fewer, two in a longer one) or the start of one
    value's names (three letters at least: 'agrees' for 'agrees-lcspr'); None when no value, or
    more than one, is that close."""
    if len(typed) >= 3:
        started = {value for name, value in names.items() if name.startswith(typed)}
        if len(started) == 1:
            return started.pop()
    allowed = 1 if len(typed) <= 4 else 2
    found = {value for name, value in names.items() if _slips(typed, name, allowed) <= allowed}
    return found.pop() if len(found) == 1 else None


def _slips(a: str, b: str, limit: int) -> int:
    """The optimal string alignment distance (Damerau-Levenshtein with adjacent swaps), or more
    than `limit` as soon as it must be."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, row = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            cost = 0 if x == y else 1
            value = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                value = min(value, before[j - 2] + 1)
            current.append(value)
        before, row = row, current
    return row[-1]
