"""The console script's first code: an interrupt (Ctrl-C) that lands while Python is still loading
the command line ends like one during a command, with one line and exit status 130, never a
traceback. The command line itself is csprcli/cli/.

One command runs in a process, and its end is cheap: Python's last collection at exit would look
through every object still held (Typer's, pydantic's, the record's) only to free memory the system
takes back anyway, about a sixth of a short command's own work (bench/analysis.md). Frozen at exit,
it passes them by. Nothing is left to it: the register is closed and standard output flushed
before; tests that run the app inside pytest's own process (CliRunner) never come here."""

import atexit
import gc
import sys


def main() -> None:
    atexit.register(gc.freeze)  # registered first, so it runs after every other exit handler
    try:
        from csprcli.cli.app import main as run

        run()
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        sys.exit(130)  # errors.EXIT_INTERRUPTED, not imported: the interrupt may come before it could be
