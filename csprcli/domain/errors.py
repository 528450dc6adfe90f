"""Every error a user can cause, with the exit status it gives.

The CLI maps these to one line on stderr and the exit status, in one place
(`cli.CsprGroup`). Messages never carry personal data: they name fields,
references and dates, never a child's details or free text.

Exit statuses:
  0  success (and, for `overdue` and `today`, nothing overdue)
  1  `overdue` or `today` found something overdue
  2  bad input: the command was refused and nothing was written
  3  a database or environment problem: nothing was written
  4  an internal error (a bug): the message says how to see details
  5  something was written, then a later step failed: a change was recorded (the message names
     it and its references; do not run the command again), or the calendar feed was written
     and keeping what it published failed
  130 interrupted (Ctrl-C)
  141 the reader of the output went away (`csprcli list | head -1`): stopped quietly
"""

import re

EXIT_OK = 0
EXIT_OVERDUE = 1
EXIT_BAD_INPUT = 2
EXIT_ENVIRONMENT = 3
EXIT_INTERNAL = 4
EXIT_RECORDED = 5
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a command a closed pipe stopped
RECORDED = "csprcli.recorded"  # where a command notes the writes it committed (click's ctx.meta)
EXIT_STATUSES = (
    f"Exit statuses: {EXIT_OK} success; {EXIT_OVERDUE} something overdue ('overdue', 'today'); {EXIT_BAD_INPUT} bad input "
    f"(nothing was written); {EXIT_ENVIRONMENT} a database or environment problem (nothing was written); "
    f"{EXIT_INTERNAL} an internal error; {EXIT_RECORDED} something was written (a change recorded, the "
    f"calendar feed), then a later step failed (the message says what was written and what to do); {EXIT_INTERRUPTED} interrupted; "
    f"{EXIT_BROKEN_PIPE} the output's reader went away."
)

_REF_SHAPE = r"[A-Z]{2,4}-\d{4}-\d{1,6}"  # compiled on first use (re keeps it)


class CsprError(Exception):
    """Base class: a refusal with a message for the user."""

    exit_code = EXIT_BAD_INPUT


class BadInput(CsprError):
    """Something the user typed is not acceptable (a date, a value, an order of steps)."""


class UnknownCase(BadInput):
    def __init__(self, ref: str, *, nearest: str | None = None, child_of: tuple[str, ...] = (), death: bool = False):
        """`nearest`: the recorded case reference closest to what was typed; `child_of`: the cases
        whose child has exactly the reference typed (a child reference given for a case's); `death`:
        the reference typed is a recorded child death's."""
        if death:
            super().__init__(f"{ref.strip()} is a child death, not a case: 'csprcli death show {ref.strip()}' shows it")
            return
        if child_of:
            cases = " and ".join(child_of)
            super().__init__(f"{ref.strip()} is the child in {cases}; give the case reference ({child_of[0]})")
            return
        # Echo the reference only when it has the shape of one: a mistyped
        # argument could be anything, a child's name included.
        shown = f"reference {ref}" if re.fullmatch(_REF_SHAPE, ref) else "that reference"
        hint = f"; did you mean {nearest}?" if nearest else ""
        super().__init__(f"no case with {shown}{hint} ('csprcli list' shows the references)")


class WrittenThenFailed(CsprError):
    """Something was written (a change recorded, a file or the output), then a later step failed:
    the message says what was written; never "nothing was written"."""

    exit_code = EXIT_RECORDED


class StoreError(CsprError):
    """The database file or its environment is unusable."""

    exit_code = EXIT_ENVIRONMENT


# What to do about a damaged database: one sentence, the same wherever the damage is found.
DAMAGED_WAY_OUT = (
    "nothing was written; keep the damaged file aside and put your latest backup in its place "
    "(a copy 'csprcli db backup' wrote); 'csprcli db status' shows what SQLite found"
)


class Damaged(StoreError):
    """The database file is damaged (SQLite's integrity check fails, its schema does not read, or a
    stored value is not what csprcli wrote): refused before anything is written, with the way out.

    `what` says where, never a stored value (it could be personal data); the path is the one the
    command opened, or filled in by the CLI (`at`)."""

    def __init__(self, what: str, path=None):
        self.what, self.path = what, path
        super().__init__(self._words())

    def _words(self) -> str:
        where = f"the database at {self.path}" if self.path is not None else "the database"
        return f"{where} is damaged ({self.what}); {DAMAGED_WAY_OUT}"

    def at(self, path) -> "Damaged":
        """The same error, naming the file."""
        if self.path is None:
            self.path = path
            self.args = (self._words(),)
        return self


def written_after_all(message: str) -> str:
    """A failure's message for when something had been written before it (exit status 5): without
    its "nothing was written", which would then be false."""
    return message.replace("; nothing was written", "")
