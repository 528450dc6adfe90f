"""The command line: parse options, call one function in `tracker`, hand rows to `output`.

`app` holds the Typer application, its error handling and global options; each module
beside it registers one area's commands on it.
"""

from csprcli.cli import cases, deaths, reading, records, review, workdays  # noqa: F401  (registers the commands)
from csprcli.cli.app import app, main

__all__ = ["app", "main"]
