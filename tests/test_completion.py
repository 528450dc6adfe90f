"""Shell completion that knows the register, driven as the shells drive it: csprcli run with
_CSPRCLI_COMPLETE and the words typed so far (bash: COMP_WORDS and COMP_CWORD; zsh and fish:
_TYPER_COMPLETE_ARGS), answering on stdout."""

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from csprcli.cli import app
from conftest import add_incident


def complete(line: str, db=None, shell: str = "bash", **env) -> list[str]:
    """What a TAB at the end of `line` offers (bash, unless `shell` says otherwise)."""
    words = line.split(" ")
    variables = {"_CSPRCLI_COMPLETE": f"complete_{shell}", **env}
    if shell == "bash":
        variables |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        variables |= {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    if db is not None:
        variables["CSPRCLI_DB"] = str(db)
    result = CliRunner().invoke(app, [], env=variables, prog_name="csprcli")
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result.stdout.splitlines()


@pytest.fixture
def register(cli, db_path):
    add_incident(cli, "17/12/2025")  # SI-2025-001
    add_incident(cli, "18/12/2025")  # SI-2025-002
    add_incident(cli, "05/01/2026", as_of="2026-01-29")  # SI-2026-001
    cli.ok("incident", "notify", "SI-2025-001", "--on", "23/12/2025")
    cli.ok("review", "decide", "SI-2025-001", "--outcome", "lcspr", "--on", "14/01/2026", "--reason", "Themes")
    for target in ("30/06/2026", "30/09/2026"):
        cli.ok("action", "add", "SI-2025-001", "--recommendation", "Audit", "--agency", "Police", "--target", target)
    cli.ok("action", "done", "SI-2025-001", "1", "--on", "28/01/2026", "--evidence", "Report")
    cli.ok("death", "add", "WS1234", "--died", "02/01/2026", "--age", "3 months", "--unexpected", as_of="2026-01-29")
    cli.ok("death", "add", "WV88", "--died", "03/01/2026", "--age", "2y", "--expected", as_of="2026-01-29")
    return db_path


def test_case_references_complete_from_the_database(register):
    assert complete("csprcli show SI-2025", register) == ["SI-2025-001", "SI-2025-002"]
    assert complete("csprcli show SI-", register) == ["SI-2025-001", "SI-2025-002", "SI-2026-001"]
    assert complete("csprcli incident notify --on 1/1/2026 SI-2026", register) == ["SI-2026-001"]
    assert complete("csprcli show XX", register) == []


def test_death_references_complete_from_the_database(register):
    assert complete("csprcli death show W", register) == ["WS1234", "WV88"]
    assert complete("csprcli death stage WS", register) == ["WS1234"]


def test_milestones_after_explain_ref(register):
    offered = complete("csprcli explain SI-2025-001 ", register)
    assert offered[:3] == ["notification", "partners-informed", "rr-decision"]
    assert {"publication", "progress-check", "action-1", "action-2"} <= set(offered)
    assert complete("csprcli explain SI-2025-001 rr-", register) == ["rr-decision", "rr-sent"]
    assert "action-1" not in complete("csprcli explain SI-2025-002 ", register)  # that case has no action


def test_action_numbers_and_revisable_targets(register):
    assert complete("csprcli action done SI-2025-001 ", register) == ["2"]  # action 1 is done
    assert complete("csprcli revise SI-2025-001 ", register) == ["publication", "action-2"]


def test_death_category_choices_and_other_choices(register):
    assert complete("csprcli death stage WS1234 reviewed --category ", register) == [
        "abuse", "suicide", "trauma", "malignancy", "acute", "chronic", "congenital", "perinatal", "infection", "sudden"
    ]  # fmt: skip
    assert complete("csprcli death stage WS1234 reviewed --category=s", register) == [
        "--category=suicide",
        "--category=sudden",
    ]
    assert complete("csprcli review decide SI-2025-001 --outcome no", register) == ["no-lcspr"]
    assert complete("csprcli death stage WS1234 ", register) == [
        "notified",
        "jar",
        "information",
        "meeting",
        "reviewed",
    ]


def test_commands_and_options_complete_without_a_database(tmp_path):
    missing = tmp_path / "nothing-here.db"
    assert complete("csprcli ov", missing) == ["overdue"]
    assert complete("csprcli lcspr p", missing) == ["plan", "publish", "pause"]
    assert {"--format", "--quiet", "--original", "--db", "--as-of"} <= set(complete("csprcli overdue --", missing))
    assert complete("csprcli show SI-", missing) == []
    assert not missing.exists()  # a TAB never creates the database


def test_the_database_named_on_the_line_is_the_one_read(register, tmp_path):
    other = tmp_path / "other.db"
    assert complete(f"csprcli --db {other} show SI-", register) == []
    assert complete(f"csprcli show --db {register} SI-2026", tmp_path / "none.db") == ["SI-2026-001"]


def test_zsh_and_fish_get_their_own_forms(register):
    zsh = complete("csprcli sh", register, shell="zsh")
    assert zsh == [
        '_arguments \'*: :(("show":"A case and each of its milestones\\\\: due, done, and where it stands."))\''
    ]
    assert complete("csprcli show SI-2026", register, shell="fish") == ["SI-2026-001"]


def test_a_tab_imports_only_what_it_needs(register):
    """No pydantic (Typer's value coercion), Rich, sqlite-utils, holidays or the services: a TAB
    reads names with sqlite3 alone."""
    program = (
        "import os, sys\n"
        "os.environ.update(_CSPRCLI_COMPLETE='complete_bash', COMP_WORDS='csprcli show SI-', COMP_CWORD='2')\n"
        "sys.argv = ['csprcli']\n"
        "from csprcli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ['pydantic', 'rich', 'sqlite_utils', 'holidays', 'csprcli.services.incidents',"
        " 'csprcli.services.cases', 'csprcli.store.store']\n"
        "print([m for m in heavy if m in sys.modules], file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          env={"CSPRCLI_DB": str(register), "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert done.stdout.split() == ["SI-2025-001", "SI-2025-002", "SI-2026-001"]
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr


def install(*args: str, home, shell: str = "/bin/bash"):
    return CliRunner().invoke(app, list(args), env={"HOME": str(home), "SHELL": shell}, prog_name="csprcli")


def test_install_completion_installs_the_shell_asked_for(tmp_path):
    result = install("--install-completion", "zsh", home=tmp_path)  # typed in bash
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / ".zfunc" / "_csprcli").exists() and not (tmp_path / ".bash_completions").exists()
    assert "zsh completion installed" in result.stdout and "this terminal runs bash" in result.stdout
    result = install("--install-completion", home=tmp_path)
    assert result.exit_code == 0 and (tmp_path / ".bash_completions" / "csprcli.sh").exists()
    assert "_CSPRCLI_COMPLETE=complete_bash" in (tmp_path / ".bash_completions" / "csprcli.sh").read_text()


def test_install_completion_refuses_a_shell_it_cannot_complete_in(tmp_path):
    result = install("--install-completion", "tcsh", home=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == "error: 'tcsh' is not a shell csprcli can complete in; name bash, zsh or fish\n"
    result = install("--install-completion", home=tmp_path, shell="/bin/ksh")
    assert result.exit_code == 2 and "cannot tell which shell this is (SHELL is ksh)" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_show_completion_prints_the_script_asked_for(tmp_path):
    result = install("--show-completion", "fish", home=tmp_path)
    assert result.exit_code == 0 and result.stdout.startswith("complete --command csprcli")
    assert list(tmp_path.iterdir()) == []
