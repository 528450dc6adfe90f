#!/usr/bin/env bash
# csprcli's benchmarks, end to end, with public tools: hyperfine, Taskwarrior, sqlite3, GNU time.
#
#   bash bench/run.sh            # everything; writes docs/performance.md (about half an hour)
#   SIZES="1000 10000" bash bench/run.sh   # smaller sizes only (no peer comparison at 100,000)
#
# Installs what it needs from Debian's packages if it can (as root), builds a fresh virtual
# environment with csprcli installed from this checkout (not editable, so its bytecode is
# compiled as a user's would be), builds databases of 1,000, 10,000 and 100,000 cases through
# csprcli's own import, loads the same milestones into Taskwarrior, and times whole processes:
# several runs after a warm-up, medians. Raw results stay in $BENCH_DIR/results.
set -euo pipefail
# A user's Python: this shell may ask for unbuffered output or no bytecode, which a user's does not
# (unbuffered, each row of a long listing is a write of its own).
unset PYTHONUNBUFFERED PYTHONDONTWRITEBYTECODE
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-/tmp/csprcli-bench}
sizes=${SIZES:-"1000 10000 100000"}
as_of=2026-03-04
rm -rf "$work/results" && mkdir -p "$work/results"
cd "$work"

need=()
for tool in hyperfine task sqlite3; do command -v "$tool" >/dev/null || need+=("$tool"); done
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  pkgs=$(printf '%s\n' "${need[@]}" | sed 's/^task$/taskwarrior/' | tr '\n' ' ')
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $pkgs >/dev/null
  else echo "bench: install $pkgs first (Debian: apt-get install $pkgs)" >&2; exit 2; fi
fi

rm -rf venv && python3 -m venv venv
venv/bin/python -m pip install -q --upgrade pip
venv/bin/python -m pip install -q "$repo"
cs="$work/venv/bin/csprcli"
py="$work/venv/bin/python"
export TASKRC="$work/taskrc"
printf 'data.location=%s/tasks\nconfirmation=off\nverbose=nothing\nhooks=off\n' "$work" > "$TASKRC"

for n in $sizes; do
  "$py" "$repo/bench/make_cases.py" "$n" > "cases-$n.csv"
  rm -f "db-$n.db"*
  "$cs" --db "db-$n.db" --as-of $as_of import "cases-$n.csv" >/dev/null
  "$cs" --db "db-$n.db" --as-of $as_of export --view full | "$py" "$repo/bench/to_taskwarrior.py" > "tasks-$n.json"
done
largest=$(echo $sizes | tr ' ' '\n' | tail -1)
first_ref=$("$cs" --db "db-$largest.db" --as-of $as_of list --format csv | sed -n 2p | cut -d, -f1)

hf() { name=$1; shift; hyperfine -N --warmup 1 --runs "${RUNS:-7}" -i --export-json "results/$name.json" "$@" >/dev/null; }

# start-up: the framework floor beside csprcli
hf help -n hello-help "$py $repo/bench/hello_typer.py --help" -n csprcli-help "$cs --help"
hf small -n hello "$py $repo/bench/hello_typer.py" \
  -n overdue-csv-1000 "$cs --db db-1000.db --as-of $as_of overdue --format csv" \
  -n overdue-table-1000 "$cs --db db-1000.db --as-of $as_of overdue"
# the same, in pairs (A B A B ...), for the ratios the targets are set in
"$py" "$repo/bench/startup.py" "$cs" "$py" "$repo/bench/hello_typer.py" db-1000.db "${PAIRS:-201}" > results/startup.json
# one TAB (case references, milestones, a choice, a command or an option name) beside --version, in pairs
"$py" "$repo/bench/completion.py" "$cs" db-1000.db "${TAB_PAIRS:-41}" > results/completion.json
# the same start-up in instructions (valgrind), steady on a shared machine: a guide, not the targets' measure
if command -v valgrind >/dev/null; then
  "$py" "$repo/bench/instructions.py" "$cs" "$py" "$repo/bench/hello_typer.py" db-1000.db > results/instructions.json
fi

# each read command at each size
for n in $sizes; do
  hf "reads-$n" -n "overdue-csv-$n" "$cs --db db-$n.db --as-of $as_of overdue --format csv" \
    -n "overdue-table-$n" "$cs --db db-$n.db --as-of $as_of overdue" \
    -n "upcoming-$n" "$cs --db db-$n.db --as-of $as_of upcoming --format csv" \
    -n "list-$n" "$cs --db db-$n.db --as-of $as_of list --format csv" \
    -n "show-$n" "$cs --db db-$n.db --as-of $as_of show $first_ref" \
    -n "export-$n" "$cs --db db-$n.db --as-of $as_of export --view full"
done

# the storage floor and the peer tracker, on the same data
n=$largest
overdue_sql="SELECT ref, aware, notified, partners_informed, decided, rr_sent, panel_response_on, report_sent, published FROM incidents"
rm -rf tasks && mkdir tasks && task import "tasks-$n.json" >/dev/null 2>&1 && task overdue >/dev/null 2>&1 || true
hf "peers-$n" -n "csprcli-overdue-csv-$n" "$cs --db db-$n.db --as-of $as_of overdue --format csv" \
  -n "sqlite3-overdue-$n" "sqlite3 -csv db-$n.db '$overdue_sql'" \
  -n "task-overdue-$n" "task overdue" \
  -n "csprcli-export-$n" "$cs --db db-$n.db --as-of $as_of export --view full" \
  -n "sqlite3-export-$n" "sqlite3 -csv -header db-$n.db 'SELECT * FROM incidents'" \
  -n "task-export-$n" "task export"
# the target's ratio, in pairs (41, the fewest the targets are set over): a run of seconds sees the shared machine drift between hyperfine's blocks
"$py" "$repo/bench/pairs.py" "${PEER_PAIRS:-41}" "$cs --db db-$n.db --as-of $as_of overdue --format csv" "task overdue" \
  > "results/overdue-task-$n.json"
RUNS=${LOAD_RUNS:-3} hf "load-$n" \
  --prepare "bash -c 'rm -f $work/load.db $work/load.db-wal $work/load.db-shm; rm -rf $work/tasks; mkdir -p $work/tasks'" \
  -n "csprcli-import-$n" "$cs --db $work/load.db --as-of $as_of import cases-$n.csv" \
  -n "task-import-$n" "task import tasks-$n.json"

# peak memory of every read command at the largest size (GNU time's maximum resident set size)
: > results/memory.tsv
for cmd in "overdue --format csv" "overdue" "upcoming --format csv" "list --format csv" "show $first_ref" "export --view full" "history --format csv"; do
  for run in 1 2 3; do
    /usr/bin/time -f "%M" -o mem.txt "$cs" --db "db-$n.db" --as-of $as_of $cmd >/dev/null 2>&1 || true
    printf '%s\t%s\n' "$cmd" "$(tail -1 mem.txt)" >> results/memory.tsv
  done
done

# what telling the truth about faults costs: SQLite's damage checks at the smallest and largest size,
# and the peak memory of the full export and of undoing the import (bench/faults.py)
"$py" "$repo/bench/faults.py" "$cs" "$work" "$(echo $sizes | tr ' ' '\n' | sed -n '1p;$p' | sort -un | tr '\n' ' ')" > results/faults.md

"$py" "$repo/bench/report.py" "$work/results" "$sizes" > "$repo/docs/performance.md.new"
mv "$repo/docs/performance.md.new" "$repo/docs/performance.md"
echo "bench: wrote docs/performance.md (raw results in $work/results)"
