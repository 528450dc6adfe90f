"""The lifecycle scenarios (test_lifecycle_scenarios.py) and the hand-worked yearly figures
(test_hand_worked.py) again, each test on a fresh register on the PostgreSQL server: the same
tests, collected a second time here, with CSPRCLI_DB pointed at the server. Those about the SQLite
file itself (they take `db_path` or `no_database_named`) stay there only.
"""

import inspect

import pytest

import pg_server
import test_hand_worked
import test_lifecycle_scenarios

SQLITE_ONLY = {"db_path", "no_database_named"}  # tests of the file (its bytes, the default place)
NOT_OF_THE_FILE = {"test_the_same_child_and_aware_date_twice_is_refused_unless_allowed"}  # takes db_path, unused

for _module in (test_lifecycle_scenarios, test_hand_worked):
    for _name, _test in vars(_module).items():
        if not (_name.startswith("test_") and callable(_test)):
            continue
        if _name in NOT_OF_THE_FILE or not SQLITE_ONLY & set(inspect.signature(_test).parameters):
            globals()[_name] = _test


@pytest.fixture(autouse=True)
def _on_the_server(_isolated, monkeypatch):
    """Every test here on a fresh register on the server (after conftest's _isolated, which names a file)."""
    name, url = pg_server.fresh_database()
    monkeypatch.setenv("CSPRCLI_DB", url)
    yield
    pg_server.drop(name)
