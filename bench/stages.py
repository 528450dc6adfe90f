"""The read path of `overdue --format csv`, run in one process up to a stage, so that valgrind's
callgrind can count each part (each stage's count less the one before it):

    valgrind --tool=callgrind --callgrind-out-file=/dev/null PYTHON bench/stages.py N DB

0: Typer imported (the hello-world app's floor); 1: csprcli's modules imported; 2: the database
opened, the rules and the calendar of the day; 3: the candidate cases read (Store.incidents_to_do);
4: each as it stood on the day (as_seen); 5: their pending clocks; 6: sorted, rows and CSV written
(to memory). The day is 2026-03-04, as bench/startup.py's.
"""

import io
import sys
from datetime import date
from pathlib import Path

import typer  # noqa: F401  (the floor: what the hello-world app imports)
import typer._adapters  # noqa: F401

stage, db = int(sys.argv[1]), Path(sys.argv[2])
as_of = date(2026, 3, 4)
if stage >= 1:
    from csprcli.domain.asof import known_on
    from csprcli.domain.clock import Status
    from csprcli.domain.lifecycle import to_do
    from csprcli.output import write_csv
    from csprcli.output.clocks import clock_row, due_columns
    from csprcli.services import cases
    from csprcli.services.rulebook import rulebook
    from csprcli.store.database import open_store
if stage >= 2:
    store = open_store(db, create=False, write=False)
    book = rulebook(store)
    day = cases.day_of(store, book, as_of)
if stage >= 3:
    owed = to_do(day.rules)
    assert owed is not None
    found = [i for i in store.incidents_to_do(as_of, *owed) if known_on(i, as_of)]
if stage >= 4:
    seen = [day.seen(i) for i in found]
if stage >= 5:
    clocks = [c for i in seen for c in day.clocks(i, pending=True)]
    clocks += cases.pending_deaths(store, book, as_of, day)
if stage >= 6:
    late = cases.most_overdue_first([c for c in clocks if c.status == Status.OVERDUE])
    write_csv((clock_row(c) for c in late), due_columns("Working days overdue", late), io.StringIO())
    print(f"{len(found)} cases read, {len(clocks)} pending clocks, {len(late)} rows", file=sys.stderr)
