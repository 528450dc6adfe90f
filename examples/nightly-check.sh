#!/usr/bin/env bash
# The nightly check: print what is overdue and say so by exit status.
#
#   examples/nightly-check.sh            # uses CSPRCLI_DB or the default database
#   0 nothing overdue · 1 something overdue (the list is printed) · 2 the check itself failed
#
# From cron, e.g. at 06:00 every weekday, mailing the output when there is any:
#   0 6 * * 1-5  CSPRCLI_DB=/srv/lscp/csprcli.db /opt/csprcli/examples/nightly-check.sh
set -u
csprcli=${CSPRCLI:-csprcli}
report=$($csprcli overdue --format csv 2>&1)
status=$?
case $status in
  0) echo "csprcli nightly check: nothing overdue"; exit 0 ;;
  1) echo "csprcli nightly check: OVERDUE"; echo "$report"; exit 1 ;;
  *) echo "csprcli nightly check FAILED (exit status $status): $report" >&2; exit 2 ;;
esac
