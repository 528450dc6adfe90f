"""The time of one TAB against `csprcli --version`, measured in pairs as bench/startup.py does.

    python bench/completion.py CSPRCLI DB [RUNS]

Each TAB is a whole process, as the shell runs it: the completion variables Typer's bash script
sets (_CSPRCLI_COMPLETE=complete_bash, COMP_WORDS, COMP_CWORD), with CSPRCLI_DB naming the
database. Prints, for each kind of TAB, the medians and the median of the per-pair ratios as JSON.
"""

import json
import os
import statistics
import subprocess
import sys
import time

TABS = {
    "command-name": "csprcli ov",
    "case-ref": "csprcli show SI-",
    "milestone": "csprcli explain SI-2026-000001 ",
    "death-category": "csprcli death stage WS1 reviewed --category ",
    "option-name": "csprcli overdue --",
}


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    csprcli, db = sys.argv[1:3]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 31
    plain = dict(os.environ, CSPRCLI_DB=db)
    found = {}
    for name, line in TABS.items():
        words = line.split(" ")
        tab = dict(plain, _CSPRCLI_COMPLETE="complete_bash", COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
        timed([csprcli], tab), timed([csprcli, "--version"], plain)  # warm-up
        tabs, versions = [], []
        for _ in range(runs):
            tabs.append(timed([csprcli], tab))
            versions.append(timed([csprcli, "--version"], plain))
        found[name] = {
            "tab_ms": round(1000 * statistics.median(tabs)),
            "version_ms": round(1000 * statistics.median(versions)),
            "ratio": round(statistics.median(t / v for t, v in zip(tabs, versions)), 3),
            "runs": runs,
        }
    print(json.dumps(found, indent=1))


if __name__ == "__main__":
    main()
