#!/bin/bash
# t151: gunicorn's graceful timeout (Debian's python3-gunicorn): at SIGTERM the arbiter sends its
# worker SIGTERM; the worker, inside a request that sleeps, does not stop within
# --graceful-timeout 2, and the arbiter sends it SIGKILL and exits, mostly without reaping it. The
# report: the worker killed by SIGKILL (not "unfinished": SIGKILL cannot be caught), sent by the
# arbiter (its pid, "gunicorn", its parent) with kill(), after the arbiter's SIGTERM; JSON
# killed_by is the arbiter.
. "$(dirname "$0")/lib.sh"
$PY -c 'import gunicorn' 2>/dev/null || skip "python3-gunicorn missing"
gunicorn_stuck gk --timeout 30 --graceful-timeout 2
stop_server $GPID TERM gunicorn
gunicorn_stuck_end gk
f=$W/gk.txt
grep -Eq "^process [0-9]+ python3 \\(forked from $GPID\\): killed by SIGKILL" "$f" || fail "worker outcome: $(grep '^process' "$f")"
grep -Eq "was killed by SIGKILL, sent by process $GPID \\(gunicorn \\(python3\\), its parent\\) with kill\\(\\)" "$f" ||
	fail "killed finding: $(grep -A3 'error killed' "$f")"
grep -Eq "signals sent to it .a traced sender's kill, or its own arrival line.: SIGTERM \\(kill\\) from $GPID \\(gunicorn \\(python3\\)\\) at [-+0-9.]+ s, SIGKILL \\(kill\\) from $GPID" "$f" ||
	fail "the arbiter's signals: $(grep -A3 'error killed' "$f")"
grep -Eq "nobody traced reaped it, but SIGKILL cannot be caught|its death is known from its parent.s wait" "$f" || fail "why it is known"
! grep -q "warning unfinished" "$f" || fail "the worker reported unfinished"
$PY - "$W/gk.json" "$GPID" <<'PYEOF' || fail "JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
arb = int(sys.argv[2])
w = [p for p in doc["processes"] if p["ppid"] == arb and p["forked"]]
assert len(w) == 1, doc["processes"]
w = w[0]
assert w["exit_via"] == "signal" and w["signal"] == 9 and w["killed_by"] == arb and not w["crashed"], w
PYEOF
exit 0
