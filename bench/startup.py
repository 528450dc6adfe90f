"""Start-up ratios against the framework floor, measured in pairs so a busy machine cannot bias them.

    python bench/startup.py CSPRCLI PYTHON HELLO DB [RUNS]

Runs each csprcli command and its hello-world counterpart in turn (A B A B ...), whole processes,
timed with Python's own clock (time.perf_counter around subprocess.run, output discarded), and
prints, for each pair, the medians and the median of the per-pair ratios as JSON. A pair run
back to back sees the same machine, which is what makes the ratio steady when the machine is
shared; hyperfine's sequential blocks (bench/run.sh) give the absolute times.
"""

import json
import statistics
import subprocess
import sys
import time


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def paired(a: list[str], b: list[str], runs: int) -> dict:
    timed(a), timed(b)  # warm-up
    times_a, times_b = [], []
    for _ in range(runs):
        times_a.append(timed(a))
        times_b.append(timed(b))
    ratios = [x / y for x, y in zip(times_a, times_b)]
    return {
        "csprcli_ms": round(1000 * statistics.median(times_a)),
        "hello_ms": round(1000 * statistics.median(times_b)),
        "ratio": round(statistics.median(ratios), 3),
        "runs": runs,
    }


def main() -> None:
    csprcli, python, hello, db = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 31
    common = [csprcli, "--db", db, "--as-of", "2026-03-04"]
    found = {
        "help": paired([csprcli, "--help"], [python, hello, "--help"], runs),
        "overdue-csv-1000": paired([*common, "overdue", "--format", "csv"], [python, hello], runs),
        "overdue-table-1000": paired([*common, "overdue"], [python, hello], runs),
    }
    print(json.dumps(found, indent=1))


if __name__ == "__main__":
    main()
