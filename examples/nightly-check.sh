#!/usr/bin/env bash
# The nightly check: print what is overdue and say so by exit status.
#
#   examples/nightly-check.sh            # uses CSPRCLI_DB or the default database
#   0 nothing overdue · 1 something overdue (the list is printed) · 2 the check itself failed
#
# Every line it writes starts with the date and time of the run (2026-03-04 06:00:01), so a log
# of many nights reads as a diary; `csprcli today` reads the last run from nightly-check.log
# beside the database (or CSPRCLI_NIGHTLY_LOG).
#
# It does not rely on PATH (cron's is /usr/bin:/bin): it runs $CSPRCLI if set, else the
# csprcli installed in this clone's .venv, else pipx's ~/.local/bin/csprcli, else the one on
# PATH. From cron, as the user who owns the database (see the README, "The nightly check"):
#   0 6 * * 1-5  CSPRCLI_DB=/srv/lscp/csprcli.db CSPRCLI=/opt/csprcli/.venv/bin/csprcli /opt/csprcli/examples/nightly-check.sh >>/srv/lscp/nightly-check.log 2>&1
set -u
now=$(date '+%Y-%m-%d %H:%M:%S')
stamped() { while IFS= read -r line || [ -n "$line" ]; do printf '%s %s\n' "$now" "$line"; done; }
here=$(cd "$(dirname "$0")" && pwd)
csprcli=${CSPRCLI:-}
if [ -z "$csprcli" ]; then
  for candidate in "$here/../.venv/bin/csprcli" "${HOME:-/nonexistent}/.local/bin/csprcli"; do
    if [ -x "$candidate" ]; then csprcli=$candidate; break; fi
  done
fi
if [ -z "$csprcli" ]; then csprcli=$(command -v csprcli || true); fi
if [ -z "$csprcli" ] || [ ! -x "$csprcli" ]; then
  echo "csprcli nightly check FAILED: csprcli not found; set CSPRCLI to its full path" | stamped >&2
  exit 2
fi
notes=$(mktemp) || exit 2
trap 'rm -f "$notes"' EXIT
report=$("$csprcli" overdue --format csv 2>"$notes")  # the CSV alone; warnings kept apart
status=$?
case $status in
  0) echo "csprcli nightly check: nothing overdue" | stamped
     sed 's/^/note: /' "$notes" | stamped >&2; exit 0 ;;
  1) rows=$(printf '%s\n' "$report" | sed 1d | grep -c .)
     { echo "csprcli nightly check: OVERDUE ($rows)"; printf '%s\n' "$report"; } | stamped
     sed 's/^/note: /' "$notes" | stamped >&2; exit 1 ;;
  *) echo "csprcli nightly check FAILED (exit status $status): $(cat "$notes")" | stamped >&2; exit 2 ;;
esac
