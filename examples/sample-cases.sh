#!/usr/bin/env bash
# Records a handful of realistic sample cases, each step on the day it happened,
# into the database named by $1 (a new file). Uses csprcli itself, so every date is
# checked by the same rules as an officer's commands.
#
#   examples/sample-cases.sh /tmp/csprcli-sample.db
#   csprcli --db /tmp/csprcli-sample.db --as-of 2026-03-04 overdue
set -euo pipefail
db=${1:?usage: sample-cases.sh NEW-DATABASE-FILE}
if [ -e "$db" ]; then
  echo "sample-cases.sh: $db exists already; give a new file" >&2
  exit 2
fi
csprcli=${CSPRCLI:-csprcli}
say() { echo "sample-cases.sh: $*" >&2; }  # what it is doing, on stderr: each step is a whole csprcli run
say "recording the sample cases in $db, each step on the day it happened (about a minute)"
c() { local day=$1; shift; $csprcli --db "$db" --as-of "$day" "$@" >/dev/null 2>&1 || { echo "sample-cases.sh: failed: $*" >&2; exit 1; }; }

# SI-2025-001: serious harm before Christmas; a local review is under way.
say "recording SI-2025-001"
c 2025-12-17 incident add --child LCS-104233 --la Walsall --aware 17/12/2025 --incident-date 16/12/2025 \
  --nature serious-harm --abuse suspected --summary "Infant, non-accidental head injury suspected"
c 2025-12-17 child describe SI-2025-001 LCS-104233 --age-band under-1 --sex male --ethnicity white --cp-plan never --known
c 2025-12-18 incident inform SI-2025-001 --on 18/12/2025
c 2025-12-23 incident notify SI-2025-001 --on 23/12/2025 --sin-ref SIN-2025-88231
c 2025-12-24 review start SI-2025-001 --on 24/12/2025
c 2026-01-14 review decide SI-2025-001 --outcome lcspr --on 14/01/2026 --reason "Information not shared between health and police"
c 2026-01-16 review submit SI-2025-001 --on 16/01/2026
c 2026-01-30 review response SI-2025-001 --response agrees-lcspr --on 30/01/2026
c 2026-02-02 lcspr reviewer SI-2025-001 --name "Independent reviewer" --on 02/02/2026
c 2026-02-16 lcspr terms SI-2025-001 --on 16/02/2026
c 2026-02-16 lcspr check SI-2025-001 --on 16/02/2026 --rag amber --note "Health chronology late"
c 2026-02-16 lcspr plan SI-2025-001 --publication 13/07/2026
c 2026-02-20 action add SI-2025-001 --recommendation "Audit joint strategy discussions" --agency Police --target 30/06/2026

# SI-2025-002: a death over Christmas, cross-area, no local review; the Panel has not replied.
say "recording SI-2025-002"
c 2025-12-19 incident add --child LCS-220871 --la Walsall --home-la Sandwell --aware 19/12/2025 \
  --nature death --abuse known
c 2025-12-22 incident inform SI-2025-002 --on 22/12/2025
c 2025-12-30 incident notify SI-2025-002 --on 30/12/2025 --sin-ref SIN-2025-88415
c 2026-01-05 review start SI-2025-002 --on 05/01/2026
c 2026-01-20 review decide SI-2025-002 --outcome no-lcspr --on 20/01/2026 --reason "Learning captured by the rapid review"
c 2026-01-22 review submit SI-2025-002 --on 22/01/2026

# SI-2025-003: a looked-after child's death, no abuse or neglect: notification only, made late.
say "recording SI-2025-003"
c 2025-12-22 incident add --child LCS-317702 --la Walsall --aware 22/12/2025 --nature death --abuse none --looked-after
c 2026-01-05 incident notify SI-2025-003 --on 05/01/2026

# SI-2026-001: notified, then found not to meet the criteria.
say "recording SI-2026-001"
c 2026-01-05 incident add --child "Child A" --la Walsall --aware 05/01/2026 --nature serious-harm --abuse suspected
c 2026-01-07 incident inform SI-2026-001 --on 07/01/2026
c 2026-01-09 incident notify SI-2026-001 --on 09/01/2026
c 2026-01-20 review decide SI-2026-001 --outcome criteria-not-met --on 20/01/2026 --reason "No abuse or neglect found"

# SI-2026-002: two siblings; the rapid review's decision is overdue.
say "recording SI-2026-002"
c 2026-01-12 incident add --child LCS-402119 --la Walsall --aware 12/01/2026 --nature serious-harm --abuse known
c 2026-01-12 child add SI-2026-002 --child LCS-402120 --age-band 6-10 --sex female
c 2026-01-14 incident inform SI-2026-002 --on 14/01/2026
c 2026-01-16 incident notify SI-2026-002 --on 16/01/2026
c 2026-01-19 review start SI-2026-002 --on 19/01/2026

# SI-2026-003: not notified: a statutory deadline missed.
say "recording SI-2026-003"
c 2026-01-20 incident add --child LCS-455830 --la Walsall --aware 20/01/2026 --nature death --abuse suspected

# SI-2026-004: decided on a local review and sent; the Panel's reply is due to be chased on Mon 9 Mar.
say "recording SI-2026-004"
c 2026-01-27 incident add --child LCS-461207 --la Walsall --aware 27/01/2026 --nature serious-harm --abuse suspected
c 2026-01-28 incident inform SI-2026-004 --on 28/01/2026
c 2026-02-02 incident notify SI-2026-004 --on 02/02/2026
c 2026-02-03 review start SI-2026-004 --on 03/02/2026
c 2026-02-20 review decide SI-2026-004 --outcome lcspr --on 20/02/2026 --reason "Recurrent theme: exploitation"
c 2026-02-23 review submit SI-2026-004 --on 23/02/2026

# SI-2026-005: new; notification due Mon 9 Mar 2026.
say "recording SI-2026-005"
c 2026-03-02 incident add --child LCS-470015 --la Walsall --aware 02/03/2026 --nature serious-harm --abuse suspected

# The partnership's own Christmas closure later in the year.
say "recording a closure day"
c 2026-03-02 calendar close 29/12/2026 --reason "Christmas closure"

echo "sample cases recorded in $db"
