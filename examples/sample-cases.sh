#!/usr/bin/env bash
# Records a handful of realistic sample cases, each step on the day it happened,
# into the database named by $1 (a new file). Uses csprcli itself, so every date is
# checked by the same rules as an officer's commands.
#
#   examples/sample-cases.sh /tmp/csprcli-sample.db
#   csprcli --db /tmp/csprcli-sample.db --as-of 2026-01-29 overdue
set -euo pipefail
db=${1:?usage: sample-cases.sh NEW-DATABASE-FILE}
if [ -e "$db" ]; then
  echo "sample-cases.sh: $db exists already; give a new file" >&2
  exit 2
fi
csprcli=${CSPRCLI:-csprcli}
c() { local day=$1; shift; $csprcli --db "$db" --as-of "$day" "$@" >/dev/null 2>&1 || { echo "sample-cases.sh: failed: $*" >&2; exit 1; }; }

# SI-2025-001: serious harm before Christmas; every clock met.
c 2025-12-17 incident add --child LCS-104233 --la Walsall --aware 17/12/2025 --incident-date 16/12/2025 \
  --nature serious-harm --abuse suspected --summary "Infant, non-accidental head injury suspected"
c 2025-12-18 incident inform SI-2025-001 --on 18/12/2025
c 2025-12-23 incident notify SI-2025-001 --on 23/12/2025 --sin-ref SIN-2025-88231
c 2025-12-24 review start SI-2025-001 --on 24/12/2025
c 2026-01-14 review decide SI-2025-001 --outcome lcspr --on 14/01/2026 --reason "Information not shared between health and police"
c 2026-01-16 review submit SI-2025-001 --on 16/01/2026

# SI-2025-002: a death over Christmas, cross-area; decided, not yet sent to the Panel.
c 2025-12-19 incident add --child LCS-220871 --la Walsall --home-la Sandwell --aware 19/12/2025 \
  --nature death --abuse known
c 2025-12-22 incident inform SI-2025-002 --on 22/12/2025
c 2025-12-30 incident notify SI-2025-002 --on 30/12/2025 --sin-ref SIN-2025-88415
c 2026-01-05 review start SI-2025-002 --on 05/01/2026
c 2026-01-20 review decide SI-2025-002 --outcome no-lcspr --on 20/01/2026 --reason "Learning captured by the rapid review"

# SI-2025-003: a looked-after child's death, no abuse or neglect: notification only, made late.
c 2025-12-22 incident add --child LCS-317702 --la Walsall --aware 22/12/2025 --nature death --abuse none --looked-after
c 2026-01-05 incident notify SI-2025-003 --on 05/01/2026

# SI-2026-001: notified, then found not to meet the criteria.
c 2026-01-05 incident add --child "Child A" --la Walsall --aware 05/01/2026 --nature serious-harm --abuse suspected
c 2026-01-07 incident inform SI-2026-001 --on 07/01/2026
c 2026-01-09 incident notify SI-2026-001 --on 09/01/2026
c 2026-01-20 review decide SI-2026-001 --outcome criteria-not-met --on 20/01/2026 --reason "No abuse or neglect found"

# SI-2026-002: rapid review under way, decision due Fri 6 Feb 2026.
c 2026-01-12 incident add --child LCS-402119 --la Walsall --aware 12/01/2026 --nature serious-harm --abuse known
c 2026-01-14 incident inform SI-2026-002 --on 14/01/2026
c 2026-01-16 incident notify SI-2026-002 --on 16/01/2026
c 2026-01-19 review start SI-2026-002 --on 19/01/2026

# SI-2026-003: not yet notified: overdue.
c 2026-01-20 incident add --child LCS-455830 --la Walsall --aware 20/01/2026 --nature death --abuse suspected

# SI-2026-004: new; notification due Tue 3 Feb 2026.
c 2026-01-27 incident add --child LCS-461207 --la Walsall --aware 27/01/2026 --nature serious-harm --abuse suspected
c 2026-01-28 incident inform SI-2026-004 --on 28/01/2026

# The partnership's own Christmas closure later in the year.
c 2026-01-29 calendar close 29/12/2026 --reason "Christmas closure"

echo "sample cases recorded in $db"
