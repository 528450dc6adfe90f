"""What telling the truth about faults costs (issue 20), with public tools only: Python's clock and
sqlite3 module, and GNU time (/usr/bin/time) for peak memory.

    python bench/faults.py CSPRCLI WORK_DIR [SIZES]     # e.g. .venv/bin/csprcli /tmp/faults "1000 100000"

For each size it builds (or reuses) WORK_DIR/db-N.db by importing bench/make_cases.py's N cases, then

  * times SQLite's checks on it, in-process, the median of 5 runs each: the integrity check of the
    whole file (what every write runs first), of every table but the history's (what `overdue`, the
    nightly check, runs), and the quick check (cheaper, but blind to an index that no longer
    matches its table: tests/test_faults.py shows it);
  * measures the peak memory (GNU time's maximum resident set size) of `export --format json` and
    of `undo --yes` of the import (a copy of the database: the import is N incidents and N
    children, 2N history rows).

Prints a markdown table for docs/performance.md and writes WORK_DIR/faults.json.
"""

import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

AS_OF = "2026-03-04"
HERE = Path(__file__).parent


def database(csprcli: str, work: Path, n: int) -> Path:
    db = work / f"db-{n}.db"
    if not db.exists():
        cases = work / f"cases-{n}.csv"
        with open(cases, "w") as out:
            subprocess.run([sys.executable, str(HERE / "make_cases.py"), str(n)], stdout=out, check=True)
        subprocess.run(
            [csprcli, "--db", str(db), "--as-of", AS_OF, "import", str(cases)], check=True, stdout=subprocess.DEVNULL
        )
    return db


def timed(conn: sqlite3.Connection, statements: list[str], runs: int = 5) -> float:
    """The median wall time of running every statement in turn, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for sql in statements:
            conn.execute(sql).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def checks(db: Path) -> dict:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    found = {
        "integrity_check (whole file: before a write)": timed(conn, ["PRAGMA integrity_check(1)"]),
        "integrity_check of every table but the history (overdue)": timed(
            conn, [f'PRAGMA integrity_check("{t}")' for t in tables if t not in ("changes", "history")]
        ),
        "quick_check (whole file; misses an index/table mismatch)": timed(conn, ["PRAGMA quick_check(1)"]),
    }
    conn.close()
    return found


def peak(args: list[str]) -> tuple[float, float]:
    """Peak memory in MiB and wall time in seconds of one process (GNU time)."""
    start = time.perf_counter()
    run = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True
    )
    return int(run.stderr.strip().splitlines()[-1]) / 1024, time.perf_counter() - start


def main() -> None:
    csprcli, work = sys.argv[1], Path(sys.argv[2])
    sizes = [int(n) for n in (sys.argv[3] if len(sys.argv) > 3 else "1000 100000").split()]
    work.mkdir(parents=True, exist_ok=True)
    results = {}
    for n in sizes:
        db = database(csprcli, work, n)
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT count(*) FROM history").fetchone()[0]
        conn.close()
        found = {"cases": n, "history_rows": rows, "size_mib": db.stat().st_size / 2**20, "checks_ms": checks(db)}
        found["export_json"] = peak([csprcli, "--db", str(db), "--as-of", AS_OF, "export", "--format", "json"])
        copy = work / f"undo-{n}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copy(db, copy)
        found["undo_import"] = peak([csprcli, "--db", str(copy), "--as-of", AS_OF, "undo", "--yes"])
        results[n] = found
    (work / "faults.json").write_text(json.dumps(results, indent=1))
    print("| | " + " | ".join(f"{n:,} cases" for n in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    print("| file size (MiB) | " + " | ".join(f"{results[n]['size_mib']:.0f}" for n in sizes) + " |")
    for name in results[sizes[0]]["checks_ms"]:
        print(f"| {name}, ms | " + " | ".join(f"{results[n]['checks_ms'][name]:.1f}" for n in sizes) + " |")
    for key, words in (("export_json", "`export --format json`"), ("undo_import", "`undo --yes` of the import")):
        print(
            f"| {words}: peak MiB (wall s) | "
            + " | ".join(f"{results[n][key][0]:.0f} ({results[n][key][1]:.1f})" for n in sizes)
            + " |"
        )
    print("| history rows undone | " + " | ".join(f"{results[n]['history_rows']:,}" for n in sizes) + " |")


if __name__ == "__main__":
    main()
