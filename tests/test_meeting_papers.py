"""The meeting papers, read back by real readers: the meeting CSV (csv module), the workbook
(openpyxl), the yearly report's CSV; and the full view still loads back through import."""

import csv
import io
from pathlib import Path

EXAMPLE = Path(__file__).parent.parent / "examples" / "import-cases.csv"


def test_the_yearly_report_csv_shows_a_plain_dash_for_none(cli):
    cli.ok("import", str(EXAMPLE), as_of="2026-03-04")
    out = cli.ok("report", "--year", "2025/26", "--format", "csv", as_of="2026-03-04").stdout
    rows = {(r["section"], r["measure"]): r["value"] for r in csv.DictReader(io.StringIO(out))}
    # no local review's notice has fallen due: a plain dash, not a neutralised '-
    assert rows[("local reviews", "reports sent at least 7 working days before publication")] == "-"
    assert "'-" not in out
    assert rows[("incidents", "serious incidents")] == "3"  # 2025/26 read as 2025-26


import pytest  # noqa: E402

from conftest import INCIDENT, add_incident, copy_database, recorded_once  # noqa: E402

MARCH_4 = "2026-03-04"  # a Wednesday


@pytest.fixture(scope="module")
def recorded_papers(tmp_path_factory) -> Path:
    """Four cases as they stand on Wed 4 Mar 2026: a local review under way, a decision overdue,
    a new case due soon, and a closed one; recorded once, each test reads a copy (`papers`)."""
    with recorded_once(tmp_path_factory) as (cli, path):
        record_papers(cli)
    return path


@pytest.fixture
def papers(recorded_papers, db_path, cli):
    copy_database(recorded_papers, db_path)
    return cli


def record_papers(cli) -> None:
    def at(day, *args):
        return cli.ok(*args, as_of=day)

    # SI-2025-001: a local review with its terms agreed, an amber check and an open action.
    at("2025-12-17", *INCIDENT, "--aware", "17/12/2025")
    at("2025-12-23", "incident", "inform", "SI-2025-001", "--on", "18/12/2025")
    at("2025-12-23", "incident", "notify", "SI-2025-001", "--on", "23/12/2025")
    at("2026-01-14", "review", "decide", "SI-2025-001", "--outcome", "lcspr", "--on", "14/01/2026", "--reason", "r")
    at("2026-01-16", "review", "submit", "SI-2025-001", "--on", "16/01/2026")
    at("2026-01-30", "review", "response", "SI-2025-001", "--response", "agrees-lcspr", "--on", "30/01/2026")
    at("2026-02-02", "lcspr", "reviewer", "SI-2025-001", "--name", "Reviewer", "--on", "02/02/2026")
    at("2026-02-16", "lcspr", "terms", "SI-2025-001", "--on", "16/02/2026")
    at("2026-02-16", "lcspr", "check", "SI-2025-001", "--on", "16/02/2026", "--rag", "amber")
    at(
        "2026-02-20",
        "action",
        "add",
        "SI-2025-001",
        "--recommendation",
        "Audit",
        "--agency",
        "Police",
        "--target",
        "30/06/2026",
    )
    # SI-2026-001: notified Fri 16 Jan 2026; the decision is overdue.
    at(
        "2026-01-12",
        "incident",
        "add",
        "--child",
        "LCS-402119",
        "--la",
        '=HYPERLINK("x")',
        "--aware",
        "12/01/2026",
        "--nature",
        "serious-harm",
        "--abuse",
        "known",
    )
    at("2026-01-16", "incident", "inform", "SI-2026-001", "--on", "14/01/2026")
    at("2026-01-16", "incident", "notify", "SI-2026-001", "--on", "16/01/2026")
    # SI-2026-002: aware Mon 2 Mar 2026, nothing done yet.
    at(
        "2026-03-02",
        "incident",
        "add",
        "--child",
        "Child C",
        "--la",
        "Sandwell",
        "--aware",
        "02/03/2026",
        "--nature",
        "death",
        "--abuse",
        "suspected",
    )
    # SI-2026-003: closed: the criteria were not met.
    at(
        "2026-01-20",
        "incident",
        "add",
        "--child",
        "LCS-5",
        "--la",
        "Dudley",
        "--aware",
        "05/01/2026",
        "--nature",
        "serious-harm",
        "--abuse",
        "suspected",
    )
    at("2026-01-20", "incident", "inform", "SI-2026-003", "--on", "07/01/2026")
    at("2026-01-20", "incident", "notify", "SI-2026-003", "--on", "09/01/2026")
    at(
        "2026-01-20",
        "review",
        "decide",
        "SI-2026-003",
        "--outcome",
        "criteria-not-met",
        "--on",
        "20/01/2026",
        "--reason",
        "r",
    )


def meeting_csv(cli, *args):
    return list(csv.DictReader(io.StringIO(cli.ok("export", *args, as_of=MARCH_4).stdout)))


def test_the_meeting_csv_is_one_row_per_open_case_in_a_chairs_order(papers):
    rows = meeting_csv(papers)
    assert list(rows[0]) == [
        "Case",
        "Child",
        "Local authority",
        "Aware",
        "Stage",
        "Next milestone",
        "Due",
        "Status",
        "RAG",
        "Force",
        "Actions open",
        "Actions overdue",
        "Last check RAG",
    ]
    by_case = {r["Case"]: r for r in rows}
    assert list(by_case) == ["SI-2025-001", "SI-2026-001", "SI-2026-002"]  # the closed case is left out
    a = by_case["SI-2025-001"]
    # The next check falls a month after the last, Mon 16 Mar 2026: after Wed 4 Mar come Thu 5 (1),
    # Fri 6 (2), Mon 9 .. Fri 13 (3-7), Mon 16 (8): 8 working days left, more than 5: green.
    assert (a["Stage"], a["Next milestone"], a["Due"], a["Status"], a["RAG"], a["Force"]) == (
        "Local review: terms agreed",
        "Progress check",
        "2026-03-16",
        "8 working days left",
        "green",
        "local",
    )
    assert (a["Actions open"], a["Actions overdue"], a["Last check RAG"]) == ("1", "0", "amber")
    b = by_case["SI-2026-001"]
    # Notified Fri 16 Jan; 15 working days: Mon 19 .. Fri 6 Feb. Overdue on Wed 4 Mar by Mon 9 Feb ..
    # Fri 27 Feb (15) and Mon 2, Tue 3, Wed 4 Mar (18).
    assert (b["Stage"], b["Next milestone"], b["Due"], b["Status"], b["RAG"], b["Force"]) == (
        "Notified; rapid review to start",
        "Rapid review decision",
        "2026-02-06",
        "overdue by 18 working days",
        "red",
        "Panel guidance",
    )
    assert b["Local authority"] == '\'=HYPERLINK("x")'  # neutralised in CSV
    c = by_case["SI-2026-002"]
    # Aware Mon 2 Mar: due Tue 3 (1) .. Fri 6 (4), Mon 9 Mar (5). On Wed 4 Mar: Thu 5, Fri 6, Mon 9 left.
    assert (c["Stage"], c["Due"], c["Status"], c["RAG"], c["Force"]) == (
        "Notification not yet made",
        "2026-03-09",
        "3 working days left",
        "amber",
        "statutory guidance",
    )


def test_show_says_the_stage_in_the_meeting_papers_words(papers):
    rows = {r["Case"]: r for r in meeting_csv(papers, "--all")}
    for ref, row in rows.items():
        shown = papers.ok("show", ref, as_of=MARCH_4).stdout
        line = next(line for line in shown.splitlines() if line.startswith("Stage"))
        assert line.split(None, 1)[1].strip() == row["Stage"], ref


def test_the_meeting_csv_with_all_includes_closed_cases(papers):
    rows = {r["Case"]: r for r in meeting_csv(papers, "--all")}
    assert list(rows) == ["SI-2025-001", "SI-2026-001", "SI-2026-002", "SI-2026-003"]
    assert (rows["SI-2026-003"]["Stage"], rows["SI-2026-003"]["Status"], rows["SI-2026-003"]["RAG"]) == (
        "Rapid review: criteria not met",
        "nothing due",
        "",
    )


def test_the_milestones_view_has_signed_working_days_overdue_and_days_left_apart(papers):
    rows = meeting_csv(papers, "--view", "milestones")
    assert list(rows[0]) == [
        "Case",
        "Milestone",
        "What",
        "Force",
        "Due",
        "Done",
        "Status",
        "RAG",
        "Working days overdue",
        "Working days left",
    ]
    got = {(r["Case"], r["Milestone"]): (r["Working days overdue"], r["Working days left"]) for r in rows}
    assert got[("SI-2026-001", "rr-decision")] == ("18", "")
    assert got[("SI-2026-002", "notification")] == ("-3", "3")
    assert got[("SI-2025-001", "notification")] == ("", "")  # done on time: Tue 23 Dec, due Wed 24 Dec
    assert not any(case == "SI-2026-003" for case, _ in got)


def test_the_full_view_is_the_old_export_and_loads_back_through_import(cli, tmp_path):
    cli.ok("import", str(EXAMPLE), as_of=MARCH_4)
    out = tmp_path / "full.csv"
    result = cli.ok("export", "--view", "full", "--output", str(out), as_of=MARCH_4)
    assert "wrote 4 cases to" in result.stderr  # every case, the closed ones too
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0]["ref"] == "SI-2025-001" and "rr-decision_due" in rows[0]
    other = tmp_path / "other.db"
    loaded = cli.ok("--db", str(other), "import", str(out), as_of=MARCH_4)
    assert "loaded 4 cases" in loaded.stdout
    again = cli.ok("--db", str(other), "export", "--view", "full", as_of=MARCH_4).stdout
    assert again.splitlines()[1:] == out.read_text(encoding="utf-8-sig").splitlines()[1:]


def test_one_case_is_written_as_one_case(cli, tmp_path):

    add_incident(cli, "17/12/2025")
    out = tmp_path / "m.csv"
    assert "wrote 1 case to" in cli.ok("export", "--output", str(out)).stderr
    # notification, partners-informed, rr-decision, rr-sent and panel-response (the last three not
    # started yet); no local review, so its milestones are not required and left out.
    assert "wrote 5 milestones of 1 case to" in cli.ok("export", "--view", "milestones", "--output", str(out)).stderr
    add_incident(cli, "18/12/2025")
    assert "wrote 2 cases to" in cli.ok("export", "--output", str(out)).stderr


def open_workbook(cli, tmp_path, *args):
    import openpyxl

    out = tmp_path / "papers.xlsx"
    result = cli.ok("export", "--format", "xlsx", "--output", str(out), *args, as_of=MARCH_4)
    assert result.stdout == ""
    return openpyxl.load_workbook(out), out


def test_the_workbook_as_a_real_reader_sees_it(papers, tmp_path):
    book, path = open_workbook(papers, tmp_path)
    assert book.sheetnames == ["Cases"]
    ws = book["Cases"]
    headings = [c.value for c in ws[1]]
    assert headings[:4] == ["Case", "Child", "Local authority", "Aware"] and len(headings) <= 14
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert list(rows) == ["SI-2025-001", "SI-2026-001", "SI-2026-002"]
    aware = rows["SI-2025-001"][3]
    assert aware.is_date and aware.value.date().isoformat() == "2025-12-17" and aware.number_format == "dd/mm/yyyy"
    rag = headings.index("RAG")
    fills = {ref: r[rag].fill.fgColor.rgb for ref, r in rows.items()}
    assert fills == {"SI-2025-001": "FFB7E1B0", "SI-2026-001": "FFF4B6B6", "SI-2026-002": "FFFFD98C"}
    la = rows["SI-2026-001"][2]
    assert (la.value, la.data_type) == ('=HYPERLINK("x")', "s")  # a string, shown as typed, no quote
    assert rows["SI-2025-001"][headings.index("Actions open")].data_type == "n"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)  # no formula anywhere
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:M4"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"  # the heading repeated on every printed page
    widths = [ws.column_dimensions[chr(ord("A") + i)].width for i in range(len(headings))]
    assert all(width >= len(h.split()[0]) for width, h in zip(widths, headings))
    # One landscape A4 page per 20 cases. Excel draws a column of width w at 7w + 5 pixels (the
    # default font's digit is 7 pixels wide at 96 dpi), 0.75 pt a pixel. The page is 11.69 in wide
    # less 0.8 in of margins: 784 pt; fitting the width scales everything by 784 / (columns in pt).
    # A page's height, 8.27 in less 1.2 in of margins, is 509 pt: rows of 15 pt at that scale.
    points = sum((7 * w + 5) * 0.75 for w in widths)
    scale = min(1, 784 / points)
    assert scale >= 0.65, (scale, widths)  # 11 pt text prints at 7 pt or more
    assert 509 / (15 * scale) >= 21  # 20 cases and the heading on each page
    raw = path.read_bytes()
    assert raw[:2] == b"PK"  # a zip file: an Office Open XML workbook


def test_the_workbook_milestones_view_and_the_yearly_figures_sheet(papers, tmp_path):
    book, _ = open_workbook(papers, tmp_path, "--view", "milestones", "--year", "2025-26")
    assert book.sheetnames == ["Milestones", "Yearly figures 2025-26"]
    ws = book["Milestones"]
    headings = [c.value for c in ws[1]]
    overdue = headings.index("Working days overdue")
    values = [
        r[overdue].value for r in ws.iter_rows(min_row=2) if r[1].value == "rr-decision" and r[0].value == "SI-2026-001"
    ]
    assert values == [18]
    figures = book["Yearly figures 2025-26"]
    assert [c.value for c in figures[1]] == ["Section", "Measure", "Value", "Definition"]
    found = {(r[0].value, r[1].value): r[2].value for r in figures.iter_rows(min_row=2)}
    assert found[("incidents", "serious incidents")] == 4  # every case was aware in 2025-26
    assert found[("local reviews", "published within 6 months, against the original target")] == "-"  # a plain dash


def test_the_workbook_can_go_to_stdout_for_a_pipe(papers):
    result = papers("export", "--format", "xlsx", as_of=MARCH_4)
    assert result.exit_code == 0 and result.stdout_bytes[:2] == b"PK"


def test_the_yearly_figures_sheet_is_only_for_the_workbook(papers):
    assert "--year" in papers.refused("export", "--year", "2025-26", as_of=MARCH_4)


def test_each_calendar_event_has_a_reminder_two_working_days_before(cli, tmp_path):
    import icalendar

    ref = add_incident(cli, "17/12/2025", as_of="2025-12-17")
    feed = icalendar.Calendar.from_ical(cli.ok("export", "--format", "ics", as_of="2025-12-17").stdout)
    events = {str(e["UID"]): e for e in feed.walk("VEVENT")}
    notification = next(e for uid, e in events.items() if uid.startswith(f"{ref}-notification-"))
    # Due Wed 24 Dec 2025; 2 working days before is Mon 22 Dec; 09:00 that day is 2 days less 9 hours
    # before the event's start at midnight: 39 hours.
    alarms = notification.walk("VALARM")
    assert len(alarms) == 1
    assert alarms[0]["ACTION"] == "DISPLAY"
    assert alarms[0]["TRIGGER"].dt == -__import__("datetime").timedelta(hours=39)
    assert "SI-2025-001 notification due" in str(alarms[0]["DESCRIPTION"])


def test_the_reminder_counts_working_days_back_over_a_weekend(cli):
    import datetime

    import icalendar

    # Aware Fri 27 Feb 2026: notification due Fri 6 Mar. 5 working days back: Thu 5 (1), Wed 4 (2),
    # Tue 3 (3), Mon 2 (4), Fri 27 Feb (5): 7 days before, less 9 hours: 159 hours.
    ref = add_incident(cli, "27/02/2026", as_of="2026-02-27")
    text = cli.ok("export", "--format", "ics", "--remind", "5", as_of="2026-02-27").stdout
    assert "TRIGGER:-P6DT15H" in text
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}
    event = next(e for uid, e in events.items() if uid.startswith(f"{ref}-notification-"))
    assert event.walk("VALARM")[0]["TRIGGER"].dt == -datetime.timedelta(hours=159)
    # --remind 0: on the day itself, at 09:00.
    assert "TRIGGER:PT9H" in cli.ok("export", "--format", "ics", "--remind", "0", as_of="2026-02-27").stdout
    assert "--format ics" in cli.refused("export", "--remind", "3", as_of="2026-02-27")


@pytest.mark.slow
def test_libreoffice_opens_the_workbook_and_prints_40_cases_on_one_landscape_page(cli, tmp_path):
    import re
    import subprocess

    soffice_or_skip()  # skipped where LibreOffice is absent, never under CI

    rows = ["child,la,aware,nature,abuse"] + [
        f"LCS-{1000 + i},Walsall,{1 + i % 28:02d}/02/2026,death,known" for i in range(40)
    ]
    (tmp_path / "cases.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    cli.ok("import", str(tmp_path / "cases.csv"), as_of=MARCH_4)
    cli.ok("export", "--format", "xlsx", "--output", str(tmp_path / "papers.xlsx"), as_of=MARCH_4)
    converted = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "papers.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = (tmp_path / "papers.pdf").read_bytes()
    assert converted.returncode == 0, converted.stderr
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # 40 cases on one page
    width, height = (float(x) for x in re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf).groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points


# -- the workbook on paper, through LibreOffice ---------------------------------------------------


def soffice_or_skip() -> str:
    import os
    import shutil

    found = shutil.which("soffice")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(
            "LibreOffice is not installed: under CI the workbook must be printed through it (.ci/run installs it)"
        )
    pytest.skip(
        "LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui); CI installs it and runs this test"
    )


def through_libreoffice(source, tmp_path, to: str):
    import subprocess

    out = tmp_path / f"lo-{to}"
    done = subprocess.run(
        [
            soffice_or_skip(),
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    return out / f"{source.stem}.{to}"


@pytest.mark.slow
def test_libreoffice_keeps_every_wrapped_line_and_prints_the_full_view_at_normal_scale(cli, tmp_path):
    """The year of hand-worked cases in three workbooks (the meeting view with the year's figures,
    the milestones view, the full view), saved again by LibreOffice: every row is still as tall as
    its most wrapped cell needs, so no text runs into the next row when it prints; the full view
    prints at normal scale across pages with the case reference repeated, not shrunk to one page."""
    import re
    import zipfile

    import openpyxl

    from csprcli.output.xlsx import LINE_POINTS, lines_of
    from test_hand_worked import load, replay

    soffice_or_skip()
    commands, _ = load("incidents-2025-26.txt")
    replay(cli, commands)
    books = {}
    for name, args in (
        ("papers", ["--year", "2025-26", "--all"]),
        ("milestones", ["--view", "milestones", "--all"]),
        ("full", ["--view", "full", "--include-notes"]),
    ):
        books[name] = tmp_path / f"{name}.xlsx"
        cli.ok("export", "--format", "xlsx", *args, "--output", str(books[name]), as_of="2026-07-31")
    # Native charts on the figures sheet: chart parts drawn from the sheet's cells, not pictures.
    with zipfile.ZipFile(books["papers"]) as parts:
        charts = [n for n in parts.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 3 and not [n for n in parts.namelist() if n.startswith("xl/media/")]
        drawn = " ".join(parts.read(n).decode() for n in charts)
        assert "<c:barChart>" in drawn and "'Yearly figures 2025-26'!$B$" in drawn
    checked = 0
    for name, path in books.items():
        saved = openpyxl.load_workbook(through_libreoffice(path, tmp_path, "xlsx"))
        for ws in saved.worksheets:
            widths = {col: dim.width for col, dim in ws.column_dimensions.items()}
            for row in ws.iter_rows(min_row=2):
                needed = 1
                for cell in row:
                    if isinstance(cell.value, str):
                        width = widths.get(cell.column_letter) or 8.43
                        needed = max(needed, lines_of(cell.value, int(width) - 1))
                height = ws.row_dimensions[row[0].row].height or LINE_POINTS
                assert height >= LINE_POINTS * needed - 0.5, (name, ws.title, row[0].row, height, needed)
                checked += needed > 1
    assert checked >= 10  # wrapped rows were there to check (definitions, statuses)
    original = openpyxl.load_workbook(books["full"])["Cases (full)"]
    assert not original.sheet_properties.pageSetUpPr or not original.sheet_properties.pageSetUpPr.fitToPage
    assert original.page_setup.scale in (None, 100) and original.print_title_cols == "$A:$A"  # 100%: the default
    pdf = through_libreoffice(books["full"], tmp_path, "pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) > 3  # across pages at normal scale, not one shrunk page
    width, height = (float(x) for x in re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf).groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
