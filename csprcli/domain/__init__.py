"""The domain, pure: the model, the working-day calendar, dates, clocks, the deadline rules, a case's
lifecycle, the CDOP's rules, input checks, choices, errors and terminal-safe text.

No database, no clock (today is always an argument), no printing, no typer. Imports only the
standard library, holidays, and other modules of this package.
"""
