"""What each command does: incidents, reading cases, the rulebook, local reviews, child deaths,
records (children, corrections, undo, settings, closures), explain, the yearly figures (both
reports), the calendar feed's record, import and the full export.
Each reads and writes through the store and returns plain data for a renderer.

May import `csprcli.store` and `csprcli.domain`; never output or cli.
"""
