"""Start-up ratios against the framework floor, measured in pairs so a busy machine cannot bias them.

    python bench/startup.py CSPRCLI PYTHON HELLO DB [RUNS]

Runs each csprcli command and its hello-world counterpart in turn (A B A B ...), whole processes,
timed with Python's own clock (time.perf_counter around subprocess.run, output discarded), the
three comparisons' pairs interleaved, and prints, for each pair, the medians and the median of the
per-pair ratios as JSON. A pair run back to back sees the same machine, which is what makes the
ratio steady when the machine is shared; hyperfine's sequential blocks (bench/run.sh) give the
absolute times.
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
    return interleaved({"": (a, b)}, runs)[""]


def interleaved(comparisons: dict[str, tuple[list[str], list[str]]], runs: int) -> dict:
    """Each comparison's pairs taken in turn with the others' (A1 B1 A2 B2 A3 B3, A1 B1 ...), so every
    ratio is spread over the same stretch of time: the shared machine's state drifts over minutes,
    and a block of one comparison's pairs would see only its own part of the drift."""
    for a, b in comparisons.values():
        timed(a), timed(b)  # warm-up
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in comparisons}
    for _ in range(runs):
        for name, (a, b) in comparisons.items():
            times[name][0].append(timed(a))
            times[name][1].append(timed(b))
    found = {}
    for name, (times_a, times_b) in times.items():
        ratios = [x / y for x, y in zip(times_a, times_b)]
        found[name] = {
            "csprcli_ms": round(1000 * statistics.median(times_a)),
            "hello_ms": round(1000 * statistics.median(times_b)),
            "ratio": round(statistics.median(ratios), 3),
            "runs": runs,
        }
    return found


def main() -> None:
    csprcli, python, hello, db = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 31
    common = [csprcli, "--db", db, "--as-of", "2026-03-04"]
    comparisons = {
        "help": ([csprcli, "--help"], [python, hello, "--help"]),
        "overdue-csv-1000": ([*common, "overdue", "--format", "csv"], [python, hello]),
        "overdue-table-1000": ([*common, "overdue"], [python, hello]),
    }
    print(json.dumps(interleaved(comparisons, runs), indent=1))


if __name__ == "__main__":
    main()
