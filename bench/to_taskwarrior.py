"""Turn `csprcli export` CSV (stdin) into Taskwarrior's import format (stdout): the same items,
one task per milestone with a due date, done ones completed.

    csprcli --db cases.db --as-of 2026-03-04 export | python bench/to_taskwarrior.py > tasks.json
"""

import csv
import json
import sys

MILESTONES = [
    "notification",
    "partners-informed",
    "rr-decision",
    "rr-sent",
    "panel-response",
    "progress-check",
    "report-sent",
    "publication",
]


def stamp(iso: str) -> str:
    return iso.replace("-", "") + "T000000Z"


def main() -> None:
    out = sys.stdout
    for row in csv.DictReader(sys.stdin):
        for milestone in MILESTONES:
            due, done = row[f"{milestone}_due"], row[f"{milestone}_done"]
            if not due:
                continue
            task = {
                "description": f"{row['ref']} {milestone}",
                "project": row["ref"].replace("-", ""),
                "due": stamp(due),
                "entry": stamp(row["aware"]),
                "status": "completed" if done else "pending",
            }
            if done:
                task["end"] = stamp(done)
            out.write(json.dumps(task) + "\n")


if __name__ == "__main__":
    main()
