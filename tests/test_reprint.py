"""A past that never changes (issue 19; domain.md section 6, "As-of"): a scripted year of cases in which,
on each of a dozen days, `overdue`, `upcoming`, `show` for every case known, `report` and `death report`
are captured as printed that evening; after the whole year (and the months after it) has been entered,
with corrections, an undo, setting changes, closure days, actions and deaths recorded later, each paper
is printed again with `--as-of` that day and compared byte for byte.

What is entered on a day is dated that day (or is undated: a setting, a closure day, a plan, an
action): nothing entered later is dated on or before an earlier capture day, so every paper must come
back exactly as it was printed."""

import pytest

from conftest import Cli

W = ["--la", "Walsall"]
SH = ["--nature", "serious-harm", "--abuse", "suspected"]
CHAIR = ["--agreed-by", "Partnership chair"]


def uk(day: str) -> str:
    """2025-04-07 -> 07/04/2025, as the officer types it."""
    return "/".join(reversed(day.split("-")))


def case(n: int) -> str:
    return f"SI-{2025 if n < 8 else 2026}-{n if n < 8 else n - 7:03d}"


# (day, the commands entered that day, in order). {case N} names the Nth case recorded.
YEAR = [
    ("2025-04-07", [["incident", "add", "--child", "LCS-900001", *W, "--aware", "07/04/2025", *SH]]),
    ("2025-04-08", [["incident", "inform", case(1), "--on", "08/04/2025"]]),
    ("2025-04-10", [["incident", "notify", case(1), "--on", "10/04/2025"]]),
    ("2025-04-11", [["review", "start", case(1), "--on", "11/04/2025"]]),
    ("2025-04-28", [["review", "decide", case(1), "--outcome", "lcspr", "--on", "28/04/2025", "--reason", "Agencies"]]),
    ("2025-04-29", [["review", "submit", case(1), "--on", "29/04/2025"]]),
    ("2025-05-05", [["death", "add", "WS901", "--died", "05/05/2025", "--unexpected", "--jar", "--age", "3 months"]]),
    ("2025-05-06", [["death", "stage", "WS901", "notified", "--on", "06/05/2025"]]),
    (
        "2025-05-12",
        [
            ["review", "response", case(1), "--response", "agrees-lcspr", "--on", "12/05/2025"],
            ["incident", "add", "--child", "LCS-900002", *W, "--aware", "12/05/2025", *SH],
        ],
    ),
    ("2025-05-13", [["incident", "inform", case(2), "--on", "13/05/2025"]]),
    ("2025-05-16", [["incident", "notify", case(2), "--on", "16/05/2025"]]),
    ("2025-05-20", [["lcspr", "reviewer", case(1), "--name", "Reviewer A", "--on", "20/05/2025"]]),
    ("2025-05-28", [["lcspr", "check", case(1), "--on", "28/05/2025", "--rag", "amber"]]),
    (
        "2025-06-02",
        [
            ["lcspr", "terms", case(1), "--on", "02/06/2025"],
            ["lcspr", "plan", case(1), "--publication", "20/10/2025"],
        ],
    ),
    (
        "2025-06-04",
        [["review", "decide", case(2), "--outcome", "no-lcspr", "--on", "04/06/2025", "--reason", "Learning captured"]],
    ),
    ("2025-06-05", [["review", "submit", case(2), "--on", "05/06/2025"]]),
    (
        "2025-06-10",
        [["action", "add", case(1), "--recommendation", "Audit", "--agency", "Police", "--target", "30/09/2025"]],
    ),
    ("2025-06-16", [["incident", "add", "--child", "LCS-900003", *W, "--aware", "16/06/2025", *SH]]),
    (
        "2025-06-20",
        [
            ["incident", "notify", case(3), "--on", "20/06/2025"],
            ["review", "response", case(2), "--response", "challenges", "--on", "20/06/2025", "--notes", "Reconsider"],
        ],
    ),
    ("2025-06-24", [["incident", "inform", case(3), "--on", "24/06/2025"]]),
    ("2025-06-27", [["lcspr", "check", case(1), "--on", "27/06/2025", "--rag", "green"]]),
    (
        "2025-07-01",
        [["review", "decide", case(2), "--outcome", "lcspr", "--on", "01/07/2025", "--reason", "Challenge accepted"]],
    ),
    ("2025-07-02", [["review", "submit", case(2), "--on", "02/07/2025"]]),
    (
        "2025-07-08",
        [["review", "decide", case(3), "--outcome", "no-lcspr", "--on", "08/07/2025", "--reason", "Single agency"]],
    ),
    ("2025-07-10", [["review", "submit", case(3), "--on", "10/07/2025"]]),
    ("2025-07-14", [["review", "response", case(2), "--response", "agrees-lcspr", "--on", "14/07/2025"]]),
    (
        "2025-07-21",
        [
            ["lcspr", "reviewer", case(2), "--name", "Reviewer B", "--on", "21/07/2025"],
            ["incident", "add", "--child", "LCS-900004", *W, "--aware", "21/07/2025", *SH],
        ],
    ),
    ("2025-07-24", [["review", "response", case(3), "--response", "accepts-no-lcspr", "--on", "24/07/2025"]]),
    ("2025-07-25", [["incident", "notify", case(4), "--on", "25/07/2025"]]),
    ("2025-07-28", [["lcspr", "check", case(1), "--on", "28/07/2025", "--rag", "green"]]),
    (
        "2025-08-05",
        [["review", "decide", case(4), "--outcome", "criteria-not-met", "--on", "05/08/2025", "--reason", "No abuse"]],
    ),
    # After the capture of 15 Aug: an action recorded with a target already past, a setting changed.
    (
        "2025-08-20",
        [["action", "add", case(1), "--recommendation", "Train", "--agency", "Health", "--target", "31/07/2025"]],
    ),
    ("2025-08-27", [["lcspr", "check", case(1), "--on", "27/08/2025", "--rag", "green"]]),
    (
        "2025-09-01",
        [
            ["rules", "set", "panel-reminder", "15"],
            [
                "incident",
                "add",
                "--child",
                "LCS-900005",
                *W,
                "--aware",
                "01/09/2025",
                "--nature",
                "death",
                "--abuse",
                "none",
                "--looked-after",
            ],
        ],
    ),
    ("2025-09-05", [["incident", "notify", case(5), "--on", "05/09/2025"]]),
    # A closure day for a day already past, recorded later.
    ("2025-09-10", [["calendar", "close", "29/08/2025", "--reason", "Office move"]]),
    (
        "2025-09-15",
        [
            ["lcspr", "plan", case(1), "--publication", "03/11/2025", "--reason", "Family asked for time", *CHAIR],
            ["incident", "add", "--child", "LCS-900006", *W, "--aware", "15/09/2025", *SH],
        ],
    ),
    ("2025-09-16", [["incident", "inform", case(6), "--on", "16/09/2025"]]),
    ("2025-09-19", [["incident", "notify", case(6), "--on", "19/09/2025"]]),
    ("2025-09-25", [["action", "done", case(1), "1", "--on", "25/09/2025", "--evidence", "Audit report"]]),
    ("2025-10-06", [["review", "decide", case(6), "--outcome", "lcspr", "--on", "06/10/2025", "--reason", "Agencies"]]),
    ("2025-10-07", [["review", "submit", case(6), "--on", "07/10/2025"]]),
    ("2025-10-10", [["death", "add", "WS902", "--died", "10/10/2025", "--expected", "--age", "4 years"]]),
    ("2025-10-14", [["death", "stage", "WS902", "notified", "--on", "14/10/2025"]]),
    ("2025-10-20", [["lcspr", "send", case(1), "--on", "20/10/2025"]]),
    ("2025-10-21", [["review", "response", case(6), "--response", "agrees-lcspr", "--on", "21/10/2025"]]),
    (
        "2025-11-03",
        [
            ["lcspr", "publish", case(1), "--on", "03/11/2025", "--type", "full", "--rationale", "Agreed"],
            ["lcspr", "pause", case(6), "--on", "03/11/2025", "--reason", "Criminal trial", *CHAIR],
        ],
    ),
    ("2025-11-10", [["incident", "add", "--child", "LCS-900007", *W, "--aware", "10/11/2025", *SH]]),
    ("2025-11-12", [["incident", "inform", case(7), "--on", "12/11/2025"]]),
    ("2025-11-20", [["revise", case(6), "publication", "--to", "30/06/2026", "--reason", "Trial listed", *CHAIR]]),
    ("2025-11-24", [["incident", "notify", case(7), "--on", "24/11/2025"]]),
    (
        "2025-11-28",
        [["calendar", "close", d, "--reason", "Christmas closure"] for d in ("29/12/2025", "30/12/2025", "31/12/2025")],
    ),
    ("2025-12-01", [["rules", "set", "rr-clock-start", "aware"]]),
    ("2025-12-10", [["calendar", "reopen", "31/12/2025"]]),
    ("2025-12-15", [["lcspr", "resume", case(6), "--on", "15/12/2025"]]),
    # A death recorded two days after it happened, with no paper printed in between.
    (
        "2025-12-22",
        [
            ["death", "add", "WS903", "--died", "20/12/2025", "--unexpected", "--jar", "--age", "15 years"],
            ["death", "stage", "WS903", "notified", "--on", "22/12/2025"],
        ],
    ),
    ("2026-01-05", [["death", "add", "WS904", "--died", "05/01/2026", "--unexpected", "--jar", "--age", "2 weeks"]]),
    ("2026-01-06", [["death", "stage", "WS904", "notified", "--on", "06/01/2026"]]),
    ("2026-01-07", [["death", "stage", "WS904", "jar", "--on", "07/01/2026"]]),
    (
        "2026-01-12",
        [
            [
                "review",
                "decide",
                case(7),
                "--outcome",
                "alternative-review",
                "--on",
                "12/01/2026",
                "--reason",
                "Learning event",
            ]
        ],
    ),
    ("2026-02-16", [["incident", "add", "--child", "LCS-900008", *W, "--aware", "16/02/2026", *SH]]),
    ("2026-02-17", [["incident", "inform", case(8), "--on", "17/02/2026"]]),
    ("2026-02-19", [["incident", "notify", case(8), "--on", "19/02/2026"]]),
    # A correction and an undo, each of what was recorded since the last paper.
    ("2026-02-20", [["correct", case(8), "notified", "18/02/2026", "--reason", "Submitted a day earlier than typed"]]),
    (
        "2026-03-03",
        [
            [
                "action",
                "add",
                case(2),
                "--recommendation",
                "Typed on the wrong case",
                "--agency",
                "Police",
                "--target",
                "30/06/2026",
            ]
        ],
    ),
    ("2026-03-04", [["undo", "--yes"]]),
    ("2026-03-30", [["death", "add", "WS905", "--died", "30/03/2026", "--unexpected", "--jar", "--age", "1 year"]]),
    # After the year: what is recorded later must leave every paper of the year as it was.
    ("2026-04-02", [["death", "add", "WS906", "--died", "02/04/2026", "--expected", "--age", "10 years"]]),
    (
        "2026-04-10",
        [
            [
                "action",
                "add",
                case(2),
                "--recommendation",
                "Share chronologies",
                "--agency",
                "Health",
                "--target",
                "15/03/2026",
            ]
        ],
    ),
    ("2026-04-15", [["calendar", "close", "20/03/2026", "--reason", "Recorded late"]]),
    (
        "2026-04-20",
        [
            ["rules", "set", "panel-reminder", "10"],
            ["rules", "set", "progress-interval", "2"],
            ["lcspr", "plan", case(2), "--publication", "30/06/2026"],
            ["death", "stage", "WS905", "notified", "--on", "20/04/2026"],
        ],
    ),
    ("2026-05-05", [["review", "decide", case(8), "--outcome", "lcspr", "--on", "05/05/2026", "--reason", "Agencies"]]),
]

CAPTURE_DAYS = [
    "2025-04-30", "2025-05-30", "2025-06-30", "2025-07-31", "2025-08-15", "2025-09-15",
    "2025-10-15", "2025-11-14", "2025-12-12", "2026-01-15", "2026-02-20", "2026-03-31",
]  # fmt: skip


def papers(cli: Cli, day: str, known: list[str]) -> dict[tuple, tuple[int, str]]:
    """Every paper of the day: (exit status, what was printed on stdout)."""
    found = {}
    commands = [
        ("overdue",), ("overdue", "--format", "json"), ("upcoming",), ("upcoming", "--format", "json"),
        ("upcoming", "--within", "20", "--format", "json"), ("list", "--format", "json"),
        ("report", "--format", "json"), ("death", "report", "--format", "json"), ("death", "list", "--format", "json"),
    ]  # fmt: skip
    commands += [("show", ref, "--format", "json") for ref in known] + [("show", ref) for ref in known]
    for command in commands:
        result = cli(*command, as_of=day)
        assert result.exit_code in (0, 1), (day, command, result.stderr)
        found[command] = (result.exit_code, result.stdout)
    return found


@pytest.mark.slow
def test_every_paper_of_a_year_is_printed_again_byte_for_byte(cli):
    printed: dict[str, dict] = {}
    known: list[tuple[str, str]] = []  # (reference, the day it was recorded)
    captures = iter(CAPTURE_DAYS)
    next_capture = next(captures)
    for day, commands in YEAR:
        while next_capture is not None and next_capture < day:
            printed[next_capture] = papers(cli, next_capture, [ref for ref, on in known if on <= next_capture])
            next_capture = next(captures, None)
        for command in commands:
            result = cli.ok(*command, as_of=day)
            if command[:2] == ["incident", "add"]:
                known.append((result.stdout.split(":")[0], day))
    while next_capture is not None:
        printed[next_capture] = papers(cli, next_capture, [ref for ref, on in known if on <= next_capture])
        next_capture = next(captures, None)
    assert [ref for ref, _ in known] == [case(n) for n in range(1, 9)]
    for day, papers_then in printed.items():
        again = papers(cli, day, [ref for ref, on in known if on <= day])
        for command, (status, text) in papers_then.items():
            assert again[command] == (status, text), (day, command)
    # The year did what it says: the papers are not all empty.
    last = printed["2026-03-31"]
    assert last[("overdue",)][0] == 1
    assert "Reconsidered decision 1" in last[("show", case(2))][1]
