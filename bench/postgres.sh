#!/usr/bin/env bash
# The same register on a PostgreSQL server beside SQLite, with public tools (hyperfine): the
# morning's `overdue --format csv` and a single write (`incident add`) at 1,000 and 100,000 cases.
#
#   bash bench/postgres.sh             # writes its section of docs/performance.md (about 10 minutes)
#   SIZES=1000 bash bench/postgres.sh  # the smaller size only
#
# A throwaway server (.ci/postgres.sh: Debian's postgresql, run as an unprivileged user, on a
# loopback port, stopped at the end); csprcli installed from this checkout into a fresh virtual
# environment; each register built through csprcli's own import of bench/make_cases.py's cases,
# the same file into both engines. Medians of several runs after a warm-up.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-/tmp/csprcli-bench-pg}
sizes=${SIZES:-"1000 100000"}
runs=${RUNS:-10}
as_of=2026-03-04
command -v hyperfine >/dev/null || { [ "$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
rm -rf "$work" && mkdir -p "$work/results"
cd "$repo"
. .ci/postgres.sh  # CSPRCLI_TEST_POSTGRES: the server's URL (with its throwaway password)
server=${CSPRCLI_TEST_POSTGRES%/postgres}
cd "$work"
python3 -m venv venv
venv/bin/python -m pip install -q --upgrade pip
venv/bin/python -m pip install -q "$repo"
cs="$work/venv/bin/csprcli"
add="incident add --child LCS-900001 --la Walsall --aware 02/03/2026 --nature serious-harm --abuse suspected --allow-duplicate"

for n in $sizes; do
  venv/bin/python "$repo/bench/make_cases.py" "$n" > "cases-$n.csv"
  "$cs" --db "db-$n.db" --as-of $as_of import "cases-$n.csv" >/dev/null
  psql -q "$CSPRCLI_TEST_POSTGRES" -c "CREATE DATABASE bench_$n"
  /usr/bin/time -f "%e" -o "results/import-pg-$n.txt" "$cs" --db "$server/bench_$n" --as-of $as_of import "cases-$n.csv" >/dev/null
  psql -q "$server/bench_$n" -c "VACUUM ANALYZE"
  hyperfine -N --warmup 2 --runs "$runs" -i --export-json "results/overdue-$n.json" \
    -n "sqlite" "$cs --db db-$n.db --as-of $as_of overdue --format csv" \
    -n "postgresql" "$cs --db $server/bench_$n --as-of $as_of overdue --format csv" >/dev/null
  hyperfine -N --warmup 1 --runs "$runs" --export-json "results/write-$n.json" \
    -n "sqlite" "$cs --db db-$n.db --as-of $as_of $add" \
    -n "postgresql" "$cs --db $server/bench_$n --as-of $as_of $add" >/dev/null
done

venv/bin/python - "$work/results" "$sizes" "$repo/docs/performance.md" <<'EOF'
import json, os, platform, subprocess, sys
from pathlib import Path

results, sizes, doc = Path(sys.argv[1]), sys.argv[2].split(), Path(sys.argv[3])
def median(name, engine):
    found = json.loads((results / name).read_text())["results"]
    return next(r["median"] for r in found if r["command"] == engine) * 1000
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
version = subprocess.run(["postgres", "--version"], capture_output=True, text=True).stdout.split()
server = version[2] if len(version) > 2 else "?"
import sqlite3
lines = [
    "<!-- bench/postgres.sh writes this section -->",
    "## On a PostgreSQL server beside SQLite",
    "",
    f"`bash bench/postgres.sh` on {cpu}, {os.cpu_count()} cores (shared with other work), Linux {platform.release()}; "
    f"PostgreSQL {server} on the same machine over loopback TCP (a throwaway server, `fsync=off`), SQLite "
    f"{sqlite3.sqlite_version}, Python {platform.python_version()}. Medians of whole processes (hyperfine, "
    "after a warm-up), milliseconds; the same cases imported into both.",
    "",
    "| cases | `overdue --format csv`, SQLite | on the server | a write (`incident add`), SQLite | on the server | import on the server (s) |",
    "|---:|---:|---:|---:|---:|---:|",
]
for n in sizes:
    imported = (results / f"import-pg-{n}.txt").read_text().split()[-1]
    lines.append(
        f"| {int(n):,} | {median(f'overdue-{n}.json', 'sqlite'):.0f} | {median(f'overdue-{n}.json', 'postgresql'):.0f} "
        f"| {median(f'write-{n}.json', 'sqlite'):.0f} | {median(f'write-{n}.json', 'postgresql'):.0f} | {float(imported):.0f} |"
    )
lines += [
    "",
    "Where the time goes on the server: importing psycopg (from about 0.1 s to a third of a second here,",
    "with the machine's load, `python -X importtime`: psycopg imports its whole package, errors and adapters included),",
    "then the connection (tens of milliseconds: TCP and SCRAM authentication); the queries themselves",
    "take a few tens of milliseconds at 1,000 cases (cProfile). A write on SQLite first runs SQLite's",
    "integrity check of the whole file (a damaged file is never written to), which grows with the",
    "file; a server keeps its own pages whole. Reading on the server, every row crosses a socket and",
    "psycopg builds it before csprcli does; its rows come whole (a client-side cursor), not one at a",
    "time as SQLite's do. <!-- end of bench/postgres.sh's section -->",
]
text = doc.read_text(encoding="utf-8")
start = text.find("<!-- bench/postgres.sh writes this section -->")
end = text.find("<!-- end of bench/postgres.sh's section -->")
section = "\n".join(lines) + "\n"
if start >= 0 and end >= 0:
    text = text[:start] + section + text[end + len("<!-- end of bench/postgres.sh's section -->") + 1 :]
else:
    text = text.rstrip("\n") + "\n\n" + section
doc.write_text(text, encoding="utf-8")
print("bench: wrote the PostgreSQL section of docs/performance.md", file=sys.stderr)
EOF
