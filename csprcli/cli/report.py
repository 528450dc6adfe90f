"""`report`: the yearly report's figures (services/report.py), in the terminal or as a paper
(output/report.py). The child deaths' report is `death report` (cli/death.py)."""

from typing import Annotated

import typer

from csprcli.cli.base import App
from csprcli.cli.common import DATE_HELP, ReportFormat, ReportFormatOpt, as_of, opened
from csprcli.domain.dates import human_date

app = App()


@app.command("report")
def report(
    ctx: typer.Context,
    year: Annotated[
        str | None, typer.Option(help="A reporting year, April to March, e.g. 2025-26 (default: the as-of date's).")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help=f"Any range instead: the first aware date. {DATE_HELP}")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="The last aware date of the range.")] = None,
    fmt: ReportFormatOpt = ReportFormat.TABLE,
) -> None:
    """Incidents by nature, quarter, looked-after status, and the primary child's age band, sex, ethnicity, child protection plan, child in need plan and whether known to agencies (every category, 0 where none); notifications and the partners told within 5 working days; rapid-review decisions and sending to the Panel within 15; outcomes and decisions by outcome, decisions not to publish apart; reports sent 7 working days before publication; publication within 6 months against the original and the revised target; pauses, and local reviews paused now; actions open (of which overdue), done, dropped and in total, by agency; actions due in the period whatever year their incident. JSON values are typed (a share's part, whole, outstanding and percent; a median's n, median, min and max); CSV and JSON rows say the period and the as-of date. html: one page for a board with charts, no script, printable on A4.

    Example: csprcli report --year 2025-26 --format markdown > annual-report-figures.md
    """
    from csprcli.domain.periods import period
    from csprcli.output.report import show_report
    from csprcli.services.report import yearly_figures

    first, last = period(year, start, end, as_of(ctx))
    with opened(ctx) as store:
        found = yearly_figures(store, first, last, as_of(ctx))
    title = f"Serious incidents aware from {human_date(first)} to {human_date(last)} (as of {human_date(as_of(ctx))})"
    show_report(title, found, first, last, as_of(ctx), fmt.value)
