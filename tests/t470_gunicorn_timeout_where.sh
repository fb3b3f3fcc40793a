#!/bin/bash
# t470: gunicorn's worker timeout (Debian's python3-gunicorn) while a request sleeps in
# tests/apps/stuck_app.py: the arbiter sends the worker SIGABRT, gunicorn's Worker.handle_abort
# exits it (status 1; or the arbiter's next check kills it first). The report has a
# request-timeout finding on the worker: the arbiter named as such with its pid, the --timeout it
# was given, where the request was when the SIGABRT arrived (the shim's sig_where lines, written
# after the handler returned: the Python frame stuck_app.py:11 in application, and the C call
# under time.sleep, clock_nanosleep), and the fix in gunicorn's terms (--timeout; not
# --graceful-timeout). HANG17: before, "0 findings" where the worker exited 1.
. "$(dirname "$0")/lib.sh"
$PY -c 'import gunicorn' 2>/dev/null || skip "python3-gunicorn missing"
gunicorn_timed_out gw --timeout 2
f=$W/gw.txt
wpid=$WPID
grep -q " sig_where 6 $GPID " "$W/gw.trace" || fail "no sig_where line for the SIGABRT"
grep -q " sig_where_py .*stuck_app.py\",%20line%2011%20in%20application" "$W/gw.trace" || fail "no sig_where_py line at the request"
fd=$(grep -A5 "^\[[0-9]*\] error request-timeout  process $wpid " "$f")
[ -n "$fd" ] || fail "no request-timeout finding: $(sed -n '/^findings/,$p' "$f")"
echo "$fd" | grep -q "process $wpid (gunicorn (python3)) was stopped by gunicorn's worker timeout: its arbiter, process $GPID (gunicorn arbiter), sent it SIGABRT because the request it was serving had run longer than --timeout 2; the request was at stuck_app.py:11 in application, inside the C call clock_nanosleep .* when it arrived, and " ||
	fail "message: $fd"
echo "$fd" | grep -Eq "when it arrived, and (the worker then exited with status 1|the arbiter then killed the worker with SIGKILL)" ||
	fail "message's end: $fd"
echo "$fd" | grep -q "root cause: .*\"WORKER TIMEOUT (pid:$wpid)\".*Worker.handle_abort" || fail "root cause: $fd"
echo "$fd" | grep -q "fix: .*move the long work off the request.*raise gunicorn's --timeout.*--graceful-timeout is another knob" || fail "fix: $fd"
$PY - "$W/gw.json" "$wpid" <<'PYEOF' || fail "JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
fs = [f for f in doc["findings"] if f["pid"] == int(sys.argv[2]) and f["kind"] == "request-timeout"]
assert len(fs) == 1, doc["findings"]
assert any("stuck_app.py" in l for l in fs[0]["python_traceback"]), fs[0]
PYEOF
exit 0
