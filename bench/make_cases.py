"""Write N realistic cases as a CSV in csprcli's import layout, to stdout.

About a third have an overdue milestone, most are closed, a few are open and not yet due,
as of 2026-03-04. Seeded, so every run builds the same data.

    python bench/make_cases.py 100000 > cases-100000.csv
"""

import csv
import random
import sys
from datetime import date, timedelta

AS_OF = date(2026, 3, 4)
COLUMNS = [
    "child",
    "la",
    "aware",
    "nature",
    "abuse",
    "looked_after",
    "notified",
    "partners_informed",
    "rr_started",
    "decided",
    "outcome",
    "reason",
    "rr_sent",
    "panel_response",
    "panel_response_on",
    "reviewer_appointed",
    "tor_agreed",
    "planned_publication",
    "report_sent",
    "published",
    "publication_type",
    "publication_rationale",
]


def case(rng: random.Random, n: int) -> dict:
    kind = rng.choices(["closed", "overdue", "open"], weights=[62, 33, 5])[0]
    if kind == "open":
        aware = AS_OF - timedelta(days=rng.randint(0, 1))
    else:
        aware = date(2016, 1, 4) + timedelta(days=rng.randint(0, (date(2025, 12, 1) - date(2016, 1, 4)).days))
    row = {
        "child": f"LCS-{100000 + n}",
        "la": rng.choice(["Walsall", "Wolverhampton", "Dudley", "Sandwell"]),
        "aware": aware.strftime("%d/%m/%Y"),
        "nature": rng.choice(["death", "serious-harm", "serious-harm"]),
        "abuse": rng.choice(["known", "suspected"]),
        "looked_after": "no",
    }
    if kind == "open":
        return row
    if kind == "closed" and rng.random() < 0.05:  # a looked-after child's death, no abuse or neglect
        row |= {"nature": "death", "abuse": "none", "looked_after": "yes", "notified": _d(aware, rng, 1, 6)}
        return row
    notified = aware + timedelta(days=rng.randint(1, 6))
    row |= {"notified": notified.isoformat(), "partners_informed": (aware + timedelta(days=1)).isoformat()}
    stage = rng.choice(["notification", "decision", "sending", "panel", "publication"]) if kind == "overdue" else None
    if stage == "notification":
        return {k: v for k, v in row.items() if k not in ("notified", "partners_informed")}
    row["rr_started"] = (notified + timedelta(days=1)).isoformat()
    if stage == "decision":
        return row
    decided = notified + timedelta(days=rng.randint(12, 24))
    lcspr = stage == "publication" or (kind == "closed" and rng.random() < 0.2)
    outcome = "lcspr" if lcspr else rng.choice(["no-lcspr", "no-lcspr", "alternative-review", "criteria-not-met"])
    row |= {"decided": decided.isoformat(), "outcome": outcome, "reason": "Recorded for the benchmark"}
    if outcome == "criteria-not-met":
        return row
    if stage == "sending":
        return row
    sent = decided + timedelta(days=rng.randint(0, 3))
    row["rr_sent"] = sent.isoformat()
    if stage == "panel":
        return row
    row |= {
        "panel_response": "agrees-lcspr" if lcspr else "accepts-no-lcspr",
        "panel_response_on": (sent + timedelta(days=rng.randint(5, 16))).isoformat(),
    }
    if not lcspr:
        return row
    row |= {
        "reviewer_appointed": (decided + timedelta(days=20)).isoformat(),
        "tor_agreed": (decided + timedelta(days=35)).isoformat(),
    }
    if stage == "publication":
        return row
    planned = decided + timedelta(days=rng.randint(150, 200))
    if planned >= AS_OF:  # still under way
        return row
    row |= {
        "planned_publication": planned.isoformat(),
        "report_sent": (planned - timedelta(days=14)).isoformat(),
        "published": planned.isoformat(),
        "publication_type": "full",
        "publication_rationale": "Benchmark",
    }
    return row


def _d(start: date, rng: random.Random, low: int, high: int) -> str:
    return (start + timedelta(days=rng.randint(low, high))).isoformat()


def main() -> None:
    count = int(sys.argv[1])
    rng = random.Random(20261126)
    writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for n in range(count):
        writer.writerow(case(rng, n))


if __name__ == "__main__":
    main()
