#!/bin/bash
# t151: gunicorn's graceful timeout (Debian's python3-gunicorn): at SIGTERM the arbiter sends its
# worker SIGTERM; the worker, inside a request that sleeps, does not stop within
# --graceful-timeout 2, and the arbiter sends it SIGKILL and exits, mostly without reaping it. The
# report: the worker killed by SIGKILL (not "unfinished": SIGKILL cannot be caught), sent by the
# arbiter (its pid, "gunicorn", its parent) with kill(), after the arbiter's SIGTERM; JSON
# killed_by is the arbiter. The finding says where the request was and the fix names
# --graceful-timeout.
. "$(dirname "$0")/lib.sh"
$PY -c 'import gunicorn' 2>/dev/null || skip "python3-gunicorn missing"
gunicorn_stuck gk --timeout 30 --graceful-timeout 2
stop_server $GPID TERM gunicorn
gunicorn_stuck_end gk
f=$W/gk.txt
grep -Eq "^process [0-9]+ python3 \\(forked from $GPID\\): killed by SIGKILL" "$f" || fail "worker outcome: $(grep '^process' "$f")"
grep -Eq "was killed by SIGKILL, sent by process $GPID \\(gunicorn \\(python3\\), its parent\\) with kill\\(\\)" "$f" ||
	fail "killed finding: $(grep -A3 'error killed' "$f")"
grep -Eq "Signals sent to it: SIGTERM \\(kill\\) from $GPID \\(gunicorn \\(python3\\)\\) at [-+0-9.]+ s, SIGKILL \\(kill\\) from $GPID" "$f" ||
	fail "the arbiter's signals: $(grep -A3 'error killed' "$f")"
grep -Eq "nobody traced reaped it, but SIGKILL cannot be caught|its parent.s wait tells how it died" "$f" || fail "why it is known"
! grep -q "warning unfinished" "$f" || fail "the worker reported unfinished"
# where the request was when the arbiter's SIGTERM came (the shim's sig_where lines, HANG17) and
# the fix in gunicorn's terms, not "make the handler end the process", wrong for a graceful stop
# (FRESH17 item 1)
k=$(grep -A5 "error killed" "$f")
echo "$k" | grep -q "root cause: .*gunicorn's graceful stop sends each worker SIGTERM, .*--graceful-timeout (2 s in its command line): this worker's request had not ended; when the SIGTERM arrived the request was at stuck_app.py:11 in application" ||
	fail "root cause: $(echo "$k" | grep 'root cause')"
echo "$k" | grep -q "fix: *make requests end within gunicorn's --graceful-timeout (2 s in its command line): bound what the request waits for" ||
	fail "fix: $(echo "$k" | grep 'fix:')"
grep -A1 "^verdict" "$f" | grep -q "in the Python code at stuck_app.application (stuck_app.py:11)" || fail "verdict: $(grep -A2 '^verdict' "$f")"
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
