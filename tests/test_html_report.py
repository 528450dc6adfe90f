"""The yearly reports as a page for a board (`report --format html`, `death report --format html`),
read back as a browser reads it: headless Chromium prints it to PDF on A4 and takes a picture of it.

The page is checked for what it promises: one self-contained file (no script, nothing fetched),
every figure of the JSON on it with its value as people read it and its definition, counts and
shares drawn on separate scales (shares against a 100% mark), no bar for a median or for days, and a
page break before each part of the report.

Chromium is Debian's `chromium` package (.ci/run installs it). Where it is absent the browser
tests are skipped with that reason, except under CI (the environment variable CI set): there a
missing browser is a failure, never a silent skip.
"""

import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from test_hand_worked import load, replay

AS_OF = {"incidents-2025-26.txt": "2026-07-31", "deaths-2025-26.txt": "2026-06-30"}
COMMANDS = {"incidents-2025-26.txt": ("report",), "deaths-2025-26.txt": ("death", "report")}
CASES = list(AS_OF)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(
            "Chromium is not installed: under CI the HTML report must be checked in a browser (.ci/run installs it)"
        )
    pytest.skip("Chromium is not installed (Debian: apt-get install chromium); CI installs it and runs this test")


class PageText(HTMLParser):
    """The page as a reader sees it: the text of each table row, the text outside the charts,
    and every tag and attribute (to find what a browser would fetch or run)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []  # each row's cells, after the heading of its section
        self.heading = None
        self.tags: list[tuple[str, dict]] = []
        self.svgs: list[str] = []
        self._row = None
        self._cell = None
        self._svg = 0
        self._in_heading = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "svg":
            self._svg += 1
            self.svgs.append("")
        elif tag == "tr":
            self._row = [self.heading]
        elif tag in ("h2", "h3"):  # a part's first section is under the part's heading
            self.heading, self._in_heading = "", True
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("h2", "h3"):
            self._in_heading = False
        elif tag == "svg":
            self._svg -= 1
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        elif self._in_heading:
            self.heading += data
        if self._svg:
            self.svgs[-1] += data


def page_of(cli, name):
    commands, _ = load(name)
    replay(cli, commands)
    args = (*COMMANDS[name], "--year", "2025-26")
    page = cli.ok(*args, "--format", "html", as_of=AS_OF[name]).stdout
    rows = json.loads(cli.ok(*args, "--format", "json", as_of=AS_OF[name]).stdout)
    return page, rows


@pytest.mark.parametrize("name", CASES)
def test_the_page_carries_every_figure_and_fetches_nothing(cli, name):
    page, rows = page_of(cli, name)
    parsed = PageText()
    parsed.feed(page)
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    # Self-contained: no script, nothing a browser would fetch.
    assert not [t for t, _ in parsed.tags if t in ("script", "link", "img", "iframe", "object", "embed", "base")]
    assert not [(t, a) for t, a in parsed.tags if {"src", "href", "srcset", "onload", "onclick"} & set(a)]
    assert not re.search(r"https?:|url\(|@import", page)
    # Every figure of the JSON is a row of the page: its measure, its value as people read it, and
    # its definition (all of it, or what it adds to the section's scope printed above the table).
    table = {(r[0], r[1], r[2]): (r[3:] or [""])[0] for r in parsed.rows if r[1] != "Measure"}
    assert len(table) == len(rows)
    for row in rows:
        key = (row["section"][:1].upper() + row["section"][1:], row["measure"], row["text"])
        assert key in table, row
        own = table[key]
        assert own and row["definition"].endswith(own) or f"Counted: {row['definition']}." in html.unescape(page), row
    # Counts and shares on separate charts; each share chart marks 100%, no chart draws a median or days.
    charts = parsed.svgs
    assert any("counts (scale 0 to" in c for c in charts) and any("shares, against 100%" in c for c in charts)
    for chart in charts:
        assert not ("counts (scale" in chart and "%" in chart.split(": counts")[1])
    for row in rows:
        if row["kind"] in ("median", "days"):
            assert not any(row["measure"] in c for c in charts), row
    # Each part starts a page.
    assert page.count('class="part"') >= 3 and "break-before: page" in page


def test_text_typed_by_a_user_is_escaped_on_the_page(cli):
    cli.ok(
        "incident",
        "add",
        "--child",
        "LCS-900001",
        "--la",
        "Walsall",
        "--aware",
        "01/04/2025",
        "--nature",
        "death",
        "--abuse",
        "suspected",
        as_of="2025-04-01",
    )
    cli.ok("incident", "notify", "SI-2025-001", "--on", "02/04/2025", as_of="2025-04-02")
    cli.ok(
        "review",
        "decide",
        "SI-2025-001",
        "--outcome",
        "lcspr",
        "--on",
        "10/04/2025",
        "--reason",
        "r",
        as_of="2025-04-10",
    )
    cli.ok("review", "submit", "SI-2025-001", "--on", "10/04/2025", as_of="2025-04-10")
    agency = '<script>alert("x")</script> & "Police"\x1b[2J'
    cli.ok(
        "action",
        "add",
        "SI-2025-001",
        "--recommendation",
        "r",
        "--agency",
        agency,
        "--target",
        "30/11/2025",
        as_of="2025-04-11",
    )
    page = cli.ok("report", "--year", "2025-26", "--format", "html", as_of="2025-06-01").stdout
    assert "<script" not in page and "\x1b" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Police&quot;\\x1b[2J: open" in page


@pytest.mark.slow  # a round trip through a real browser; the page itself is checked above, in the fast subset
@pytest.mark.parametrize("name", CASES)
def test_chromium_prints_the_page_on_a4_and_draws_it(cli, name, tmp_path):
    browser = chromium()
    page, rows = page_of(cli, name)
    source = tmp_path / "report.html"
    source.write_text(page, encoding="utf-8")
    pdf, png = tmp_path / "report.pdf", tmp_path / "report.png"
    base = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    url = source.as_uri()

    def run(*args):
        done = subprocess.run([*base, *args, url], capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    run(f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    run(f"--screenshot={png}", "--window-size=900,1400")
    document = pdf.read_bytes()
    assert document.startswith(b"%PDF-")
    # A4 is 595 x 842 points (210 x 297 mm); each part of the report begins a page.
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", document))
    assert sizes and all(abs(float(w) - 595.3) < 1.5 and abs(float(h) - 841.9) < 1.5 for w, h in sizes), sizes
    pages = len(re.findall(rb"/Type\s*/Page\b", document))
    assert pages >= page.count('class="part') >= 3
    picture = png.read_bytes()
    assert picture.startswith(b"\x89PNG\r\n\x1a\n") and len(picture) > 20_000  # drawn, not blank
    # What the browser made of the page: every figure still there once parsed into its DOM.
    dom = run("--dump-dom")
    parsed = PageText()
    parsed.feed(dom)
    table = {(r[1], r[2]) for r in parsed.rows}
    assert all((row["measure"], row["text"]) in table for row in rows)
    keep = os.environ.get("CSPRCLI_KEEP_PAGES")
    if keep:  # to look at the page by eye: CSPRCLI_KEEP_PAGES=/some/folder
        for made in (source, pdf, png):
            shutil.copy(made, Path(keep) / f"{name.split('.')[0]}{made.suffix}")
