"""Property-based tests: whatever a user types, no traceback, only documented exit statuses,
and a refused command writes nothing. Text comes back out as it went in."""

import csv
import io
import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import INCIDENT, add_incident, scaled
from conftest import snapshot

pytestmark = pytest.mark.slow  # property, concurrency and whole-process tests

DOCUMENTED = {0, 1, 2, 3}
SETTINGS = settings(max_examples=scaled(60), suppress_health_check=[HealthCheck.function_scoped_fixture])

# What a user may type where a date goes: real dates in every form, near misses, and anything at all.
dates = st.one_of(
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.strftime("%-d %B %Y")),
    st.from_regex(r"\A\d{1,2}/\d{1,2}/\d{2,4}\Z"),
    st.sampled_from(["today", "yesterday", "29/02/2023", "31/04/2026", "00/00/0000", "-1", "1e9", "\x00", "٣/٤/٢٠٢٦"]),
    st.text(max_size=30),
)


def no_traceback(result):
    assert result.exit_code in DOCUMENTED, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    if result.exit_code >= 2:
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr


@SETTINGS
@given(aware=dates, incident=st.one_of(st.none(), dates))
def test_incident_add_with_any_dates(cli, db_path, aware, incident):
    add_incident(cli, "01/12/2025", "--allow-duplicate")
    before = snapshot(db_path)
    args = [*INCIDENT, "--allow-duplicate", "--aware", aware] + (
        ["--incident-date", incident] if incident is not None else []
    )
    result = cli(*args)
    no_traceback(result)
    if result.exit_code != 0:
        assert snapshot(db_path) == before


@SETTINGS
@given(
    command=st.sampled_from(
        [["incident", "notify"], ["incident", "inform"], ["review", "start"], ["review", "submit"]]
    ),
    on=dates,
    ref=st.one_of(st.just("SI-2025-001"), st.text(max_size=15)),
)
def test_recording_a_step_with_any_date_or_reference(cli, db_path, command, on, ref):
    if not db_path.exists():
        add_incident(cli, "01/12/2025", "--allow-duplicate")
    before = snapshot(db_path)
    result = cli(*command, ref, "--on", on)
    no_traceback(result)
    if result.exit_code != 0:
        assert snapshot(db_path) == before


@SETTINGS
@given(
    field=st.one_of(
        st.sampled_from(
            [
                "aware",
                "notified",
                "incident-date",
                "nature",
                "abuse",
                "looked-after",
                "outcome",
                "child",
                "la",
                "published",
            ]
        ),
        st.text(max_size=12),
    ),
    value=st.one_of(dates, st.text(max_size=20)),
)
def test_correct_with_anything(cli, db_path, field, value):
    if not db_path.exists():
        ref = add_incident(cli, "01/12/2025", "--allow-duplicate")
        cli.ok("incident", "notify", ref, "--on", "03/12/2025")
    before = snapshot(db_path)
    result = cli("correct", "SI-2025-001", field, value, "--reason", "Property test")
    no_traceback(result)
    if result.exit_code != 0:
        assert snapshot(db_path) == before


@SETTINGS
@given(start=dates, n=st.one_of(st.integers(-3000, 3000).map(str), st.text(max_size=6)), b=dates)
def test_workday_arithmetic_with_anything(cli, start, n, b):
    no_traceback(cli("workdays", "add", start, n))
    no_traceback(cli("workdays", "between", start, b))


@SETTINGS
@given(day=dates, reason=st.text(max_size=40), fmt=st.sampled_from(["table", "csv", "json", "xml"]))
def test_closures_and_listings_with_anything(cli, db_path, day, reason, fmt):
    result = cli("calendar", "close", day, "--reason", reason)
    no_traceback(result)
    for command in (["holidays"], ["list"], ["overdue"], ["upcoming"]):
        no_traceback(cli(*command, "--format", fmt))


pasted = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=80
).filter(lambda t: t.strip() == t and t)
awkward = st.sampled_from(
    [
        '=HYPERLINK("http://evil","click")',
        "+44 1922 650000",
        "-2+3",
        "@SUM(A1)",
        "\tTab first",
        'He said "no"',
        "Line one\nLine two",
        "\x1b[31mred\x1b[0m and a \x07bell",
        "Emoji 👶🏽 and accents: Zoë, Łódź",
        "نص من اليمين إلى اليسار",
        "x'; DROP TABLE incidents;--",
    ]
)


@SETTINGS
@given(summary=st.one_of(awkward, pasted), reason=st.one_of(awkward, pasted))
def test_pasted_text_comes_back_unchanged_in_json_and_neutralised_in_csv(cli, db_path, summary, reason):
    ref = add_incident(cli, "01/12/2025", "--allow-duplicate", "--summary", summary[:500])
    cli.ok("incident", "notify", ref, "--on", "02/12/2025")
    cli.ok("review", "decide", ref, "--outcome", "no-lcspr", "--on", "03/12/2025", "--reason", reason)
    shown = json.loads(cli.ok("show", ref, "--format", "json").stdout)[0]
    history = json.loads(cli.ok("history", ref, "--format", "json").stdout)
    assert history[0]["new"]["reason"] == reason
    exported = {
        r["ref"]: r for r in csv.DictReader(io.StringIO(cli.ok("export", "--view", "full", "--include-notes").stdout))
    }[ref]

    def neutralised(text):  # a quote before a formula, and before a quote that an import would take off
        if text == "-":  # a lone dash is text to every spreadsheet
            return text
        risky = text[0] in "=+-@\t\r" or (text[0] == "'" and text[1:2] != "" and text[1] in "=+-@\t\r'")
        return "'" + text if risky else text

    assert exported["summary"] == neutralised(summary[:500])
    assert exported["reason"] == neutralised(reason)
    listed = next(c for c in json.loads(cli.ok("list", "--format", "json").stdout) if c["ref"] == ref)
    assert {key: shown[key] for key in listed} == listed  # the list says what show says
    for shown_to_people in (cli.ok("show", ref).stdout, cli.ok("history", ref).stdout):
        assert "\x1b" not in shown_to_people and "\x07" not in shown_to_people
    with sqlite3.connect(db_path) as conn:
        stored = conn.execute("SELECT summary, reason FROM incidents WHERE ref = ?", [ref]).fetchone()
    assert stored == (summary[:500], reason)
