"""The console script's first code: an interrupt (Ctrl-C) that lands while Python is still loading
the command line ends like one during a command, with one line and exit status 130, never a
traceback. The command line itself is csprcli/cli/."""

import sys


def main() -> None:
    try:
        from csprcli.cli.app import main as run

        run()
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        sys.exit(130)  # errors.EXIT_INTERRUPTED, not imported: the interrupt may come before it could be
