"""Instructions, not seconds: each command's whole process counted by valgrind's callgrind, which
gives the same count run after run whatever else the machine is doing (a shared machine swings
wall-clock times by 2 or 3 times; the count moves by less than 0.1%).

    python bench/instructions.py CSPRCLI PYTHON HELLO DB

Prints, as JSON, the instructions of the hello-world Typer app and of csprcli's commands on DB
(1,000 cases, as bench/startup.py), and each command's ratio to the hello app's. An instruction
is not a second (start-up reads many files; a cache miss costs more than an instruction), so these
ratios are a steady guide to what a change did, and bench/startup.py's paired timings stay the
figures the targets are set in.
Needs valgrind (Debian: apt-get install valgrind); about a minute a command.
"""

import json
import re
import subprocess
import sys


def instructions(command: list[str]) -> int:
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if not found:
        sys.exit(f"instructions: valgrind gave no count for {' '.join(command)}")
    return int(found.group(1))


def main() -> None:
    csprcli, python, hello, db = sys.argv[1:5]
    common = ["--db", db, "--as-of", "2026-03-04"]
    floors = {"": instructions([python, hello]), "--help": instructions([python, hello, "--help"])}
    found: dict[str, dict] = {"hello": {"instructions": floors[""]}, "hello --help": {"instructions": floors["--help"]}}
    for name, args, floor in (
        ("help", ["--help"], floors["--help"]),
        ("overdue-csv-1000", [*common, "overdue", "--format", "csv"], floors[""]),
        ("overdue-table-1000", [*common, "overdue"], floors[""]),
    ):
        count = instructions([csprcli, *args])
        found[name] = {"instructions": count, "ratio": round(count / floor, 3)}
    print(json.dumps(found, indent=1))


if __name__ == "__main__":
    main()
