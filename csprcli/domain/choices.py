"""Reading a fixed choice typed by a person, and suggesting the nearest one when it is wrong.

Pure: the choices are arguments. Any letter case is accepted (`LCSPR`, `Serious-Harm`), and a
space or underscore is read as a hyphen. What is refused gets one sentence written for people:

    'lcsrp' is not an outcome; did you mean 'lcspr'? (one of: lcspr, no-lcspr, ...)
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
    by default the record's own name for the set (model.NOUNS).
    """
    if not what:
        from csprcli.domain.model import NOUNS  # only when a message needs it: choices stay pure

        what = NOUNS.get(kind, "one of the choices")
    if isinstance(text, kind):
        return text
    values = [str(m.value) for m in kind]
    typed = normalised(str(text))  # not a member of `kind`: its text, whatever it is
    for member in kind:
        if normalised(member.value) == typed:
            return member
    raise BadInput(refusal(str(text), values, what))


def refusal(text: str, values: list[str], what: str) -> str:
    """"'x' is not an outcome; did you mean 'y'? (one of: ...)": the whole message."""
    shown = repr(text if len(text) <= 30 else text[:27] + "...")
    guess = nearest(normalised(text), values)
    hint = f"; did you mean '{guess}'?" if guess else ""
    return f"{shown} is not {what}{hint} (one of: {', '.join(values)})"
