"""England's local authorities, from the DfE's register (csprcli/data/local_authorities.csv;
its source is in csprcli/data/README.md), and the nearest name to one typed wrong.

A name not in the list is warned about, never refused: a child living in Wales or Scotland
has a home authority that is rightly not on England's list.
"""

import csv
import re
from functools import cache
from importlib import resources

from csprcli.domain.choices import nearest

_NOISE = re.compile(
    r"\b(?:the|london borough of|royal borough of|metropolitan borough(?: council)?|borough council|borough of"
    r"|county council|city council|city of|county of|council|county|mbc)\b"
)


@cache
def register() -> dict[str, str]:
    """Each authority's name as the register spells it, keyed by the name as compared."""
    text = resources.files("csprcli").joinpath("data/local_authorities.csv").read_text(encoding="utf-8")
    return {_key(row["name"]): row["name"] for row in csv.DictReader(text.splitlines())}


def _key(name: str) -> str:
    """A name as compared: letter case, '&', full stops, commas and words such as 'Council' set aside."""
    text = name.lower().replace("&", " and ").replace(".", " ").replace(",", " ").replace("-", " ")
    return " ".join(_NOISE.sub(" ", text).split())


def known(name: str) -> str | None:
    """The register's spelling of `name`, or None when it is not one of England's local authorities."""
    return register().get(_key(name))


def warning(name: str, option: str) -> str | None:
    """A warning for a name that is not one of England's local authorities, with the nearest one."""
    if known(name) is not None:
        return None
    names = register()
    guess = nearest(_key(name), names, cutoff=0.75)
    hint = f"; did you mean '{names[guess]}'?" if guess else "."
    from csprcli.domain.text import excerpt  # quoted as typed: no backslash before an apostrophe

    return f"warning: {option}: {excerpt(name, 60)} is not one of England's local authorities (DfE register){hint} Kept as typed."
