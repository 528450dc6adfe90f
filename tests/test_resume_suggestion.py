"""Resuming a paused review suggests a revised publication target: the target in force plus the days
paused that no revision has covered yet (issue 19). Dates counted by hand."""

from test_lifecycle_scenarios import to_local_review

PAUSE = ["--reason", "Criminal trial", "--agreed-by", "Partnership chair"]


def test_a_revision_made_during_the_pause_is_not_counted_twice(cli):
    ref = to_local_review(cli, "LCS-190010")  # decided Mon 19 Jan 2026: publication due Sun 19 Jul 2026
    cli.ok("lcspr", "pause", ref, "--on", "01/06/2026", *PAUSE, as_of="2026-06-01")
    # During the pause, on Mon 15 Jun 2026, the partners revise the target to Mon 30 Nov 2026: that
    # revision absorbs the 14 days paused so far (1 Jun to 15 Jun).
    cli.ok(
        "revise",
        ref,
        "publication",
        "--to",
        "30/11/2026",
        "--reason",
        "Trial listed",
        "--agreed-by",
        "Chair",
        as_of="2026-06-15",
    )
    out = cli.ok("lcspr", "resume", ref, "--on", "01/07/2026", as_of="2026-07-01").stdout
    # Paused Mon 1 Jun to Wed 1 Jul: 30 days; since the revision, 15 Jun to 1 Jul: 16 days.
    # Mon 30 Nov 2026 + 16 days: Wed 16 Dec 2026 (not Wed 30 Dec, which counts the 14 days twice).
    assert (
        f"{ref}: suggested revised target Wed 16 Dec 2026 (Mon 30 Nov 2026 plus the 16 days paused since the "
        "revision recorded Mon 15 Jun 2026; the 14 days paused before it are in that revision); once agreed, "
        "record it with:\n"
    ) in out
    assert f'csprcli revise {ref} publication --to 16/12/2026 --reason "Paused 16 days"' in out


def test_a_revision_made_before_the_pause_leaves_the_whole_pause_to_add(cli):
    ref = to_local_review(cli, "LCS-190011")
    cli.ok(
        "revise",
        ref,
        "publication",
        "--to",
        "30/09/2026",
        "--reason",
        "Inquest",
        "--agreed-by",
        "Chair",
        as_of="2026-05-01",
    )
    cli.ok("lcspr", "pause", ref, "--on", "01/06/2026", *PAUSE, as_of="2026-06-01")
    out = cli.ok("lcspr", "resume", ref, "--on", "01/07/2026", as_of="2026-07-01").stdout
    # Wed 30 Sep 2026 + 30 days paused: Fri 30 Oct 2026.
    assert f"{ref}: suggested revised target Fri 30 Oct 2026 (Wed 30 Sep 2026 plus the 30 days paused); " in out
