"""A yearly report's figures by section, as every rendering of it (terminal, markdown, HTML) lays
them out: the sections in order, what a section counts said once, each figure's own definition,
and the scale of a section's count bars."""


def by_section(found) -> dict[str, list]:
    sections: dict[str, list] = {}
    for f in found:
        sections.setdefault(f.section, []).append(f)
    return sections


def definitions(items) -> tuple[str, list[str]]:
    """A section's scope and each figure's own one-line definition. Where the first figure's
    definition is what the others start from (the population they count), it is said once, as the
    section's scope, and each figure says only what it adds ("" where it adds nothing)."""
    base = items[0].definition
    same = all(i.definition == base for i in items)
    extends = any(i.definition.startswith(base) and i.definition != base for i in items[1:])
    if len(items) < 2 or not (same or extends):
        return "", [i.definition for i in items]
    own = []
    for item in items:
        definition = item.definition
        own.append(definition[len(base) :].lstrip(";, ") if definition.startswith(base) else definition)
    return base, own


def heading(section: str) -> str:
    return section[:1].upper() + section[1:]


def count_scale(items) -> int:
    """The largest count of a section: its counts' bars are drawn against it (never the shares')."""
    return max((i.value for i in items if i.kind == "count" and i.value is not None), default=0)
