"""Messages written for people: fixed choices with 'did you mean', month-first dates, reporting
years as partnerships write them, and local authority names checked against England's register."""

import json
from pathlib import Path
from datetime import date

import pytest
from conftest import add_incident

from csprcli.domain import authorities
from csprcli.domain.choices import choose, nearest
from csprcli.domain.dates import parse_date
from csprcli.domain.errors import BadInput
from csprcli.domain.vocabulary import Nature, Outcome, PublicationType, Rag
from csprcli.domain.periods import reporting_year


def test_a_choice_is_read_in_any_letter_case():
    assert choose(Outcome, "LCSPR", "an outcome") is Outcome.LCSPR
    assert choose(Nature, "Serious-Harm", "a nature") is Nature.SERIOUS_HARM
    assert choose(Nature, "serious harm", "a nature") is Nature.SERIOUS_HARM
    assert choose(PublicationType, "Improvements_Only", "a publication type") is PublicationType.IMPROVEMENTS_ONLY
    assert choose(Rag, "Amber", "a RAG rating") is Rag.AMBER


def test_a_wrong_choice_says_what_it_is_not_and_the_nearest():
    with pytest.raises(BadInput) as refused:
        choose(Outcome, "lcsrp", "an outcome")
    assert str(refused.value).startswith("'lcsrp' is not an outcome; did you mean 'lcspr'?")
    assert "Value error" not in str(refused.value)


def test_a_wrong_choice_with_nothing_near_lists_the_choices():
    with pytest.raises(BadInput) as refused:
        choose(Rag, "purple", "a RAG rating")
    assert str(refused.value) == "'purple' is not a RAG rating (one of: red, amber, green)"


def test_nearest_reference():
    refs = ["SI-2025-001", "SI-2025-002", "SI-2026-001"]
    assert nearest("SI-2025-01", refs) == "SI-2025-001"
    assert nearest("si-2026-001", refs) == "SI-2026-001"
    assert nearest("XYZ", refs) is None


@pytest.mark.parametrize(
    "typed, hint",
    [
        ("04/13/2026", "looks month-first: did you mean 13/04/2026?"),
        ("12/31/2025", "looks month-first: did you mean 31/12/2025?"),
        ("4/13/26", "looks month-first: did you mean 13/04/26?"),
    ],
)
def test_a_month_first_date_is_named_as_such(typed, hint):
    with pytest.raises(BadInput) as refused:
        parse_date(typed, as_of=date(2026, 5, 1), what="--on")
    assert hint in str(refused.value)
    assert "not a real date" not in str(refused.value)


def test_an_impossible_date_either_way_is_still_not_a_real_date():
    for typed in ("31/02/2026", "13/13/2026", "02/30/2026"):
        with pytest.raises(BadInput) as refused:
            parse_date(typed, as_of=date(2026, 5, 1), what="--on")
        assert "not a real date" in str(refused.value), typed


@pytest.mark.parametrize("typed", ["2025-26", "2025/26", "2025-2026", "2025/2026", " 2025 / 26 "])
def test_a_reporting_year_as_partnerships_write_it(typed):
    # April to March: 1 April 2025 to 31 March 2026
    assert reporting_year(typed) == (date(2025, 4, 1), date(2026, 3, 31))


@pytest.mark.parametrize("typed", ["2025-27", "2025", "25/26", "2025/2027"])
def test_a_span_that_is_not_one_reporting_year_is_refused(typed):
    with pytest.raises(BadInput):
        reporting_year(typed)


def test_the_register_holds_englands_153_local_authorities():
    names = set(authorities.register().values())
    assert len(names) == 153
    assert {"Walsall", "Sandwell", "Dudley", "Wolverhampton", "Cumberland", "Westmorland and Furness"} <= names
    assert "Pre-LGR 2023 Cumbria" not in names and "Cumbria" not in names  # abolished in 2023


@pytest.mark.parametrize(
    "typed, spelt",
    [
        ("Walsall", "Walsall"),
        ("walsall", "Walsall"),
        ("Walsall Council", "Walsall"),
        ("Bristol", "Bristol, City of"),
        ("Durham County Council", "County Durham"),
        ("St Helens", "St. Helens"),
        ("London Borough of Barnet", "Barnet"),
        ("Herefordshire", "Herefordshire, County of"),
    ],
)
def test_a_local_authority_is_known_however_it_is_written(typed, spelt):
    assert authorities.known(typed) == spelt
    assert authorities.warning(typed, "--la") is None


def test_an_unknown_local_authority_is_warned_with_the_nearest_name():
    assert authorities.warning("Walsal", "--la") == (
        "warning: --la: 'Walsal' is not one of England's local authorities (DfE register); "
        "did you mean 'Walsall'? Kept as typed."
    )
    assert authorities.warning("Cardiff", "--home-la") == (
        "warning: --home-la: 'Cardiff' is not one of England's local authorities (DfE register). Kept as typed."
    )


def test_a_wrong_case_reference_suggests_the_nearest_recorded_one(cli):

    add_incident(cli, "17/12/2025")
    add_incident(cli, "19/12/2025")
    message = cli.refused("incident", "notify", "SI-2025-01", "--on", "23/12/2025")
    assert (
        message
        == "error: no case with reference SI-2025-01; did you mean SI-2025-001? ('csprcli list' shows the references)\n"
    )
    assert "did you mean" not in cli.refused("show", "SI-2031-777")
    # A letter O for a zero: not the shape of a reference, so not echoed (it could be anything typed),
    # and the sentence still reads (it said "no case with reference; did you mean").
    assert cli.refused("show", "SI-2O25-001") == (
        "error: no case with that reference; did you mean SI-2025-001? ('csprcli list' shows the references)\n"
    )


def test_a_child_reference_given_for_a_case_reference_is_recognised(cli):

    ref = add_incident(cli, "17/12/2025")
    assert cli.refused("show", "LCS-104233") == (
        f"error: LCS-104233 is the child in {ref}; give the case reference ({ref})\n"
    )
    assert "is the child in" in cli.refused("incident", "notify", "lcs-104233", "--on", "23/12/2025")


def test_notifying_a_notified_case_points_to_correct(cli):

    ref = add_incident(cli, "17/12/2025")
    cli.ok("incident", "notify", ref, "--on", "23/12/2025")
    message = cli.refused("incident", "notify", ref, "--on", "22/12/2025")
    assert message == (
        f"error: {ref}: the notification is already recorded (Tue 23 Dec 2025); "
        f"to change a recorded date, use 'csprcli correct {ref} notified DATE --reason TEXT'\n"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["review", "decide", "SI-2025-001", "--outcome", "lcsrp", "--on", "14/01/2026", "--reason", "r"],
            "error: --outcome: 'lcsrp' is not an outcome; did you mean 'lcspr'? (one of: lcspr, no-lcspr, alternative-review, "
            "national-review, thematic, criteria-not-met)\n",
        ),
        (
            ["review", "response", "SI-2025-001", "--response", "agree-lcspr", "--on", "14/01/2026"],
            "did you mean 'agrees-lcspr'?",
        ),
        (
            ["lcspr", "check", "SI-2025-001", "--on", "14/01/2026", "--rag", "amburr"],
            "'amburr' is not a RAG rating; did you mean 'amber'?",
        ),
        (
            ["lcspr", "publish", "SI-2025-001", "--on", "14/01/2026", "--type", "redcated", "--rationale", "r"],
            "'redcated' is not a publication type; did you mean 'redacted'?",
        ),
        (
            [
                "incident",
                "add",
                "--child",
                "LCS-1",
                "--la",
                "Walsall",
                "--aware",
                "17/12/2025",
                "--nature",
                "serius-harm",
                "--abuse",
                "known",
            ],
            "'serius-harm' is not a nature; did you mean 'serious-harm'?",
        ),
        (
            [
                "incident",
                "add",
                "--child",
                "LCS-1",
                "--la",
                "Walsall",
                "--aware",
                "17/12/2025",
                "--nature",
                "death",
                "--abuse",
                "suspeced",
            ],
            "'suspeced' is not a value for abuse or neglect; did you mean 'suspected'?",
        ),
        (["list", "--format", "jsn"], "'jsn' is not a format; did you mean 'json'?"),
        (["report", "--format", "markdwn"], "'markdwn' is not a format; did you mean 'markdown'?"),
        (["child", "describe", "SI-2025-001", "LCS-1", "--age-band", "1-6"], "'1-6' is not an age band"),
    ],
)
def test_every_fixed_choice_refused_in_words_for_people(cli, args, message):

    add_incident(cli, "17/12/2025")
    refused = cli.refused(*args)
    assert message in refused
    assert "Value error" not in refused and "Invalid value" not in refused


def test_every_fixed_choice_is_read_in_any_letter_case(cli):

    ref = add_incident(cli, "17/12/2025", "--nature", "DEATH")
    cli.ok("incident", "notify", ref, "--on", "23/12/2025")
    cli.ok("review", "decide", ref, "--outcome", "LCSPR", "--on", "14/01/2026", "--reason", "r")
    cli.ok("lcspr", "check", ref, "--on", "16/01/2026", "--rag", "Amber")
    assert cli.ok("list", "--format", "JSON").stdout.startswith("[")


@pytest.mark.parametrize(
    "args, message",
    [
        (["upcoming", "--within", "abc"], "error: --within: 'abc' is not a whole number from 0 to 260\n"),
        (["upcoming", "--within", "999"], "error: --within: '999' is not a whole number from 0 to 260\n"),
        (["workdays", "add", "17/12/2025", "five"], "error: N: 'five' is not a whole number from -2600 to 2600\n"),
        (["holidays", "--year", "1066"], "error: --year: '1066' is not a whole number from 1970 to 2099\n"),
        (["export", "--format", "ics", "--remind", "-1"], "error: --remind: '-1' is not a whole number from 0 to 60\n"),
    ],
)
def test_a_number_out_of_its_range_is_refused_in_words_for_people(cli, args, message):

    add_incident(cli, "17/12/2025")
    assert cli.refused(*args) == message


def test_a_mistyped_field_or_category_gets_the_nearest(cli):
    ref = add_incident(cli, "17/12/2025")
    assert "'notifed' cannot be corrected; did you mean 'notified'?" in cli.refused(
        "correct", ref, "notifed", "22/12/2025", "--reason", "Typo"
    )
    cli.ok("death", "add", "WS1", "--died", "01/01/2026", "--age", "2 months", "--unexpected", as_of="2026-01-02")
    assert "did you mean 'died'?" in cli.refused("death", "correct", "WS1", "diedd", "02/01/2026", "--reason", "x")
    assert "did you mean 'sudden'?" in cli.refused(
        "death", "stage", "WS1", "reviewed", "--on", "15/01/2026", "--category", "sudeen", "--not-modifiable"
    )


# -- refusals in words, and the years csprcli keeps ------------------------------------------------


def test_a_fixed_choice_is_refused_naming_the_option_and_quoting_only_a_short_start(cli):
    error = cli.refused(
        "incident",
        "add",
        "--child",
        "LCS-1",
        "--la",
        "Walsall",
        "--aware",
        "01/01/2026",
        "--nature",
        "Jane Smith was here and more besides",
        "--abuse",
        "known",
    )
    assert "--nature" in error and "is not a nature" in error
    assert "Value error" not in error and "besides" not in error


def test_a_number_out_of_range_is_refused_in_words(cli):
    error = cli.refused("workdays", "add", "2026-01-01", "--", "-999999999")
    assert "is not a whole number from -2600 to 2600" in error and "Input should" not in error


def test_counting_back_before_the_calendar_kept_is_refused(cli, no_database_named):
    # Fri 2 Jan 1970 less 5 working days: Thu 1 Jan (a bank holiday) is skipped, then 31, 30, 29,
    # 26 (25 Christmas Day) and 24 Dec 1969: before the years kept
    assert "Wed 24 Dec 1969, outside the years csprcli keeps (1970 to 2099)" in cli.refused(
        "workdays", "add", "1970-01-02", "--", "-5"
    )
    assert "Thu 07 Jan 2100, outside the years csprcli keeps" in cli.refused("workdays", "add", "2099-12-30", "5")
    assert cli.ok("workdays", "add", "1970-01-09", "--", "-5").stdout == "Fri 02 Jan 1970\n"


def test_the_years_kept_are_one_fact(cli):
    from csprcli.domain.dates import FIRST_YEAR, LAST_YEAR
    from csprcli.store.store import CALENDAR_YEARS

    error = cli.refused(
        "incident",
        "add",
        "--child",
        "LCS-1",
        "--la",
        "Walsall",
        "--aware",
        "01/01/2120",
        "--nature",
        "death",
        "--abuse",
        "known",
    )
    assert f"{FIRST_YEAR} to {LAST_YEAR}" in error
    assert CALENDAR_YEARS[0] == FIRST_YEAR and CALENDAR_YEARS[1] > LAST_YEAR  # counting runs on past the last
    add_incident(cli, "17/12/2025")
    assert "--year: csprcli reports on the years 1970-71 to 2098-99" in cli.refused("report", "--year", "2109-10")
    assert "--year" in cli.refused("report", "--year", "2099-00")
    cli.ok("report", "--year", "2098-99")
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert f"{FIRST_YEAR} to {LAST_YEAR}" in readme


def test_short_names_lose_only_spaces_and_tabs(cli):
    add_incident(cli, "17/12/2025")
    cli.ok(
        "incident",
        "add",
        "--child",
        "LCS-2",
        "--la",
        " \tWalsall\u0085",
        "--aware",
        "17/12/2025",
        "--nature",
        "death",
        "--abuse",
        "known",
    )
    shown = json.loads(cli.ok("list", "--format", "json").stdout)
    assert [c["la"] for c in shown if c["ref"] == "SI-2025-002"] == ["Walsall\u0085"]


# -- local authorities not on England's list: warned, with the nearest --------------------------


def test_a_local_authority_not_on_englands_list_is_warned_with_the_nearest(cli):
    result = cli.ok(
        "incident",
        "add",
        "--child",
        "LCS-1",
        "--la",
        "Walsal",
        "--home-la",
        "Cardiff",
        "--aware",
        "17/12/2025",
        "--nature",
        "death",
        "--abuse",
        "known",
    )
    assert "SI-2025-001: recorded" in result.stdout
    assert (
        "warning: --la: 'Walsal' is not one of England's local authorities (DfE register); did you mean 'Walsall'?"
        in result.stderr
    )
    assert "warning: --home-la: 'Cardiff' is not one of England's local authorities" in result.stderr
    result = cli.ok("correct", "SI-2025-001", "la", "Walsall", "--reason", "typo")
    assert "warning" not in result.stderr
    result = cli.ok(
        "incident",
        "add",
        "--child",
        "LCS-2",
        "--la",
        "walsall council",
        "--aware",
        "17/12/2025",
        "--nature",
        "death",
        "--abuse",
        "known",
    )
    assert "warning" not in result.stderr


def test_an_import_warns_once_for_each_local_authority_not_on_englands_list(cli, tmp_path):
    path = tmp_path / "old.csv"
    path.write_text(
        "child,la,home_la,aware,nature,abuse\n"
        "LCS-1,Walsal,,03/03/2025,death,known\n"
        "LCS-2,Walsall,Wrexham,04/03/2025,death,known\n"
        "LCS-3,Walsal,,05/03/2025,death,known\n",
        encoding="utf-8",
    )
    result = cli.ok("import", str(path))
    assert "loaded 3 cases" in result.stdout
    assert result.stderr.splitlines() == [
        "warning: column la, rows 2, 4: 'Walsal' is not one of England's local authorities (DfE register); "
        "did you mean 'Walsall'? Kept as typed.",
        "warning: column home_la, row 3: 'Wrexham' is not one of England's local authorities (DfE register). "
        "Kept as typed.",
    ]
