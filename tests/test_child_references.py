"""A child is named by the partnership's pseudonymous reference: a reference that holds a date
(of birth, in any common spelling) is refused without echoing it; real IDs are still accepted."""

import pytest

from conftest import add_incident


@pytest.mark.parametrize(
    "child",
    [
        "Child 14.03.2015",
        "J Smith 14th March 2015",
        "JS 20150314",
        "JS 14032015",
        "JS 14 03 2015",
        "March 14, 2015 JS",
        "JS 14-Mar-2015",
        "JS 2015 03 14",
        "1st Jan 2016 A",
    ],
)
def test_a_child_reference_holding_a_date_is_refused(cli, child, db_path):
    error = cli.refused(
        "incident",
        "add",
        "--child",
        child,
        "--la",
        "Walsall",
        "--aware",
        "01/01/2026",
        "--nature",
        "serious-harm",
        "--abuse",
        "known",
    )
    assert "date" in error and child not in error
    assert not db_path.exists()


@pytest.mark.parametrize("child", ["LCS-104233", "Child A", "WS1234", "LCS-20159999", "ID 12345678", "Child B2"])
def test_real_child_ids_are_still_accepted(cli, child):
    add_incident(cli, "17/12/2025", "--child", child) if False else cli.ok(
        "incident",
        "add",
        "--child",
        child,
        "--la",
        "Walsall",
        "--aware",
        "17/12/2025",
        "--nature",
        "serious-harm",
        "--abuse",
        "known",
    )
