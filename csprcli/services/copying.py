"""`db copy`: a register copied between two places, SQLite or a PostgreSQL server, in either
direction, and verified: the target's full export must be the source's, text for text, before the
one transaction that loaded it is committed.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from csprcli.domain.errors import BadInput, StoreError


class Copied(NamedTuple):
    source: str  # as it may be printed (no password)
    target: str
    rows: int
    cases: int
    changes: int


def copy_register(source, target) -> Copied:
    """Copy the register at `source` into `target` (a new SQLite file, an empty one, or a database
    on a server with no csprcli records yet), in one transaction on the target, refused if the target
    holds any record; then compare both full exports inside that transaction, keeping nothing unless
    they are the same. The source is only read."""
    import json
    import tempfile

    from csprcli.store import database

    if database.printable(source) == database.printable(target):
        raise BadInput("db copy: the source and the target are the same register")
    with tempfile.TemporaryFile("w+", encoding="utf-8") as kept:  # the source's export, on disk, not in memory
        with _opened(source, create=False) as store:
            for piece in database.dumped(store):
                kept.write(piece)
        kept.seek(0)
        data = json.load(kept)
        new = not database.exists(target)
        counted: list[int] = []

        def same_as_the_source() -> None:
            """The target's export, read inside the loading transaction, piece by piece against the source's."""
            kept.seek(0)
            same = all(kept.read(len(piece)) == piece for piece in database.dumped(into, snapshot=False))
            if not same or kept.read(1):
                raise StoreError(
                    f"the copy in {database.printable(target)} does not read back as the source's full export; "
                    "nothing was kept"
                )

        try:
            with _opened(target, create=True) as into:
                if into.engine == "sqlite" and into.earlier_schema:
                    raise BadInput(f"{database.printable(target)} is from an earlier csprcli; give a new file")
                not_empty = (
                    f"{database.printable(target)} already holds records: db copy copies only into an empty "
                    "register (a new file, or a new database on the server)"
                )
                counted.append(database.restore(into, data, check=same_as_the_source, not_empty=not_empty))
        except BaseException:
            if new:
                database.remove_if_empty(target)  # a refused copy leaves no file behind
            raise
    return Copied(
        database.printable(source),
        database.printable(target),
        counted[0],
        len(data.get("incidents", [])),
        len(data.get("changes", [])),
    )


@contextmanager
def _opened(where, *, create: bool) -> Iterator:
    from csprcli.store.database import open_store

    store = open_store(where, create=create, command="db copy", write=create)
    try:
        yield store
    finally:
        store.close()
