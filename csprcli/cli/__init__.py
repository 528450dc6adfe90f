"""The command line: one module per command group, mounted lazily by `app` (see cli/app.py)."""

from csprcli.cli.app import app, main

__all__ = ["app", "main"]
