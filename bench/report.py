"""Write docs/performance.md from the results of bench/run.sh (hyperfine JSON and GNU time)."""

import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

results = Path(sys.argv[1])
sizes = [int(n) for n in sys.argv[2].split()]
largest = sizes[-1]

median: dict[str, float] = {}
spread: dict[str, tuple[float, float]] = {}
for path in sorted(results.glob("*.json")):
    if path.name in ("startup.json", "completion.json", "instructions.json") or path.name.startswith("overdue-task-"):
        continue  # the paired ratios and the instructions, read below
    for r in json.loads(path.read_text())["results"]:
        median[r["command"]] = r["median"]
        spread[r["command"]] = (r["min"], r["max"])

memory: dict[str, list[int]] = {}
for line in (results / "memory.tsv").read_text().splitlines():
    command, kib = line.split("\t")
    if kib.strip().isdigit():
        memory.setdefault(command, []).append(int(kib))


def cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def version(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "?"


def ms(name: str) -> str:
    return f"{median[name] * 1000:,.0f}" if name in median else "-"


def ratio(a: str, b: str) -> float | None:
    return median[a] / median[b] if a in median and b in median else None


out = []
w = out.append
w("# Performance\n")
w(
    f"Measured on {date.today().isoformat()} by `bash bench/run.sh`: {cpu()}, {os.cpu_count()} cores, "
    f"{platform.system()} {platform.release()}, Python {platform.python_version()}; {version(['hyperfine', '--version'])}, "
    f"Taskwarrior {version(['task', '--version'])}, SQLite {version(['sqlite3', '--version']).split()[0]}."
)
w(
    "Whole processes, timed by hyperfine after one warm-up run: the median of the runs (7 by default, RUNS=N; 3 for loading, LOAD_RUNS=N), in milliseconds, "
    "with the fastest and slowest run. The machine is shared and noisy: read the ratios, which are taken from the same "
    "run, rather than the absolute times.\n"
)
w(
    "The data: `bench/make_cases.py` writes N cases (about a third with an overdue milestone, most closed, a few open "
    "and not yet due, as of 2026-03-04); `csprcli import` loads them, so every row passes csprcli's own checks; "
    "Taskwarrior gets the same milestones (one task per milestone with a due date, done ones completed) through "
    "`task import`, converted from `csprcli export` by `bench/to_taskwarrior.py`.\n"
)

w("## Targets\n")
w("| target | measured | limit | met |")
w("|---|---|---|---|")
paired = json.loads((results / "startup.json").read_text()) if (results / "startup.json").exists() else {}


peer_file = results / f"overdue-task-{largest}.json"  # bench/pairs.py
peer_pair = json.loads(peer_file.read_text()) if peer_file.exists() else None


def pair(name: str) -> float | None:
    return paired[name]["ratio"] if name in paired else None


checks = [
    ("`csprcli --help` / hello-world Typer `--help` (in pairs)", pair("help"), 1.1),
    ("`overdue --format csv`, 1,000 cases / hello-world command (in pairs)", pair("overdue-csv-1000"), 1.25),
    ("`overdue` (table), 1,000 cases / hello-world command (in pairs)", pair("overdue-table-1000"), 1.3),
    (
        f"`overdue --format csv`, {largest:,} cases / `task overdue` (in pairs)",
        peer_pair["ratio"],
        0.5,
    )
    if peer_pair
    else (
        f"`overdue --format csv`, {largest:,} cases / `task overdue`",
        ratio(f"csprcli-overdue-csv-{largest}", f"task-overdue-{largest}"),
        0.5,
    ),
    (
        f"`export`, {largest:,} cases / `sqlite3` CSV export",
        ratio(f"csprcli-export-{largest}", f"sqlite3-export-{largest}"),
        4.0,
    ),
    (f"`export`, {largest:,} cases / `task export`", ratio(f"csprcli-export-{largest}", f"task-export-{largest}"), 0.5),
    (f"loading {largest:,} cases / `task import`", ratio(f"csprcli-import-{largest}", f"task-import-{largest}"), 0.3),
]
tabs = json.loads((results / "completion.json").read_text()) if (results / "completion.json").exists() else {}
checks += [(f"one TAB ({name}) / `csprcli --version` (in pairs)", found["ratio"], 1.3) for name, found in tabs.items()]
for label, value, limit in checks:
    shown = f"{value:.2f}" if value is not None else "-"
    w(f"| {label} | {shown} | {limit} | {'yes' if value is not None and value <= limit else '**no**'} |")
peaks = {c: statistics.median(v) / 1024 for c, v in memory.items()}
worst = max(peaks.values()) if peaks else None
w(
    f"| peak memory of every read command, {largest:,} cases | {worst:.0f} MiB (largest) | 100 MiB | "
    f"{'yes' if worst is not None and worst <= 100 else '**no**'} |"
)
fault_figures = results.parent / "faults.json"  # bench/faults.py
if fault_figures.exists():
    found = json.loads(fault_figures.read_text())
    top = found[max(found, key=int)]
    heaviest = max(top["export_json"][0], top["undo_import"][0])
    w(
        f"| peak memory of `export --format json` and of `undo` of an import, {top['history_rows']:,} history rows | "
        f"{heaviest:.0f} MiB (largest) | 200 MiB | {'yes' if heaviest <= 200 else '**no**'} |"
    )
w("")

w("## Start-up and the framework floor\n")
w("| command | median ms | min–max |")
w("|---|---|---|")
for name in ("hello", "hello-help", "csprcli-help", "overdue-csv-1000", "overdue-table-1000"):
    if name in median:
        lo, hi = spread[name]
        w(f"| {name} | {ms(name)} | {lo * 1000:.0f}–{hi * 1000:.0f} |")
w("")

if paired:
    w("The start-up ratios in the targets are taken in pairs by `bench/startup.py` (each csprcli command and the ")
    w("hello-world app run in turn, A B A B ..., timed with Python's own clock; the median of the per-pair ratios), ")
    w("so a busy machine slows both sides of each pair alike:\n")
    w("| pair | csprcli median ms | hello median ms | median ratio | pairs |")
    w("|---|---|---|---|---|")
    for name, found in paired.items():
        w(f"| {name} | {found['csprcli_ms']} | {found['hello_ms']} | {found['ratio']:.2f} | {found['runs']} |")
    w("")

counted = json.loads((results / "instructions.json").read_text()) if (results / "instructions.json").exists() else {}
if counted:
    w("The same start-up counted in instructions by `bench/instructions.py` (valgrind's callgrind: the same count ")
    w("run after run, whatever else the machine does; an instruction is not a second, so this is a steady guide ")
    w("to what a change did, not the target's measure):\n")
    w("| command | instructions (millions) | ratio to the hello app |")
    w("|---|---|---|")
    for name, found in counted.items():
        shown = f"{found['ratio']:.2f}" if "ratio" in found else "-"
        w(f"| {name} | {found['instructions'] / 1e6:,.0f} | {shown} |")
    w("")

if tabs:
    w("A TAB is timed the same way by `bench/completion.py`: the completion request bash's script makes ")
    w("(`_CSPRCLI_COMPLETE=complete_bash`, `COMP_WORDS`, `COMP_CWORD`) beside `csprcli --version`, in pairs:\n")
    w("| TAB | TAB median ms | --version median ms | median ratio | pairs |")
    w("|---|---|---|---|---|")
    for name, found in tabs.items():
        w(f"| {name} | {found['tab_ms']} | {found['version_ms']} | {found['ratio']:.2f} | {found['runs']} |")
    w("")

w("## Every read command at each size\n")
w("| command | " + " | ".join(f"{n:,} cases" for n in sizes) + " |")
w("|---|" + "---|" * len(sizes))
for command in ("overdue-csv", "overdue-table", "upcoming", "list", "show", "export"):
    w(f"| {command} | " + " | ".join(ms(f"{command}-{n}") for n in sizes) + " |")
w("")

w(f"## Against the storage floor and a peer tracker, {largest:,} cases\n")
w("| command | median ms | min–max |")
w("|---|---|---|")
for name in (
    f"csprcli-overdue-csv-{largest}",
    f"sqlite3-overdue-{largest}",
    f"task-overdue-{largest}",
    f"csprcli-export-{largest}",
    f"sqlite3-export-{largest}",
    f"task-export-{largest}",
    f"csprcli-import-{largest}",
    f"task-import-{largest}",
):
    if name in median:
        lo, hi = spread[name]
        w(f"| {name} | {ms(name)} | {lo * 1000:.0f}–{hi * 1000:.0f} |")
w("")
if peer_pair:
    w(
        f"The target's ratio is taken in pairs by `bench/pairs.py` (`overdue --format csv` and `task overdue` run in "
        f"turn, {peer_pair['runs']} pairs): medians {peer_pair['csprcli_ms']:,} and {peer_pair['hello_ms']:,} ms, "
        f"median ratio {peer_pair['ratio']:.2f}.\n"
    )

w(f"## Peak memory, {largest:,} cases\n")
w("| command | median MiB |")
w("|---|---|")
for command, value in peaks.items():
    w(f"| `{command}` | {value:.0f} |")
w("")
faults = results / "faults.md"
if faults.exists():
    w("## Faults: the damage check, the full export and undo\n")
    w("Measured by `bench/faults.py`. Every command that writes first runs SQLite's integrity check of the ")
    w("whole file, and `overdue` (the nightly check) runs it beside its reading (on a second connection, ")
    w("in a thread) on every table but the history's (the changes and their rows, which it does not read), ")
    w("so that a damaged file is refused rather than written to or given the all-clear. SQLite's quick ")
    w("check of the whole file (the history too) costs more than the nightly check's, and does not see an ")
    w("index that no longer matches its table (the damage that made Christmas ")
    w("a working day; `tests/test_faults.py` shows it), so it is not used. The checks are timed ")
    w("in-process, the median of 5; peak memory is GNU time's maximum resident set size of one whole ")
    w("process; the import of N cases is 2N history rows, all reverted by one `undo`.\n")
    w(faults.read_text().rstrip("\n"))
    w("")
analysis = Path(__file__).with_name("analysis.md")
if analysis.exists():
    w(analysis.read_text())
# bench/postgres.sh's section (the server beside SQLite) is its own: kept as it last wrote it
begin, end = "<!-- bench/postgres.sh writes this section -->", "<!-- end of bench/postgres.sh's section -->"
earlier = Path(__file__).parent.parent / "docs" / "performance.md"
text = earlier.read_text(encoding="utf-8") if earlier.exists() else ""
if begin in text and end in text:
    w("")
    w(text[text.index(begin) : text.index(end) + len(end)])
print("\n".join(out))
