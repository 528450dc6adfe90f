"""The domain, pure: the model and its vocabulary, the working-day calendar, dates and reporting
periods, clocks, the deadline rules, a case's stages and lifecycle, the CDOP's rules, input
checks, choices, errors and terminal-safe text.

No database, no clock (today is always an argument), no printing, no typer. Imports only the
standard library, holidays, and other modules of this package.
"""
