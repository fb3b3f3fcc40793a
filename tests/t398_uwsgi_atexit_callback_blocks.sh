#!/bin/bash
# t398: under uWSGI, a Python atexit callback that blocks (a socket read) keeps the worker's exit()
# inside Py_Finalize (uwsgi_plugins_atexit) until the master's mercy SIGKILL. The hang finding
# names the callback and gives the atexit callback's fix, as under python3's own Py_FinalizeEx
# (FRESH14: "fix: see what the snapshot's threads wait for", though the message named the
# callback: the embedder's Py_Finalize was not taken for a teardown in the atexit callbacks).
. "$(dirname "$0")/lib.sh"
command -v uwsgi >/dev/null || [ -x /usr/bin/uwsgi-core ] || skip "uwsgi missing"
export TLSTRACE_HANG_MS=1000
UAPP=atexit_recv_app uwsgi_start ar --worker-reload-mercy 3 --reload-mercy 3
uwsgi_get
uwsgi_stop INT
"$REPORT" --color=never "$W/ar.trace" >"$W/ar.txt" 2>&1
sed -n '/^verdict/,/^$/p' "$W/ar.txt" >"$W/ar.verdict"
grep -q "inside the atexit callback atexit_recv_app.flush_metrics (atexit_recv_app.py:12)" "$W/ar.verdict" ||
	fail "verdict: $(cat "$W/ar.verdict")"
grep -q "fix: an atexit callback that waits must have a bound.*; under uWSGI the worker's exit() runs Py_Finalize (uwsgi_plugins_atexit), so every reload and stop waits for the callback until the master's mercy" "$W/ar.verdict" ||
	fail "fix: $(grep 'fix:' "$W/ar.verdict")"
grep -q "see what the snapshot's threads wait for" "$W/ar.txt" && fail "the generic fix: $(grep -B3 "see what the snapshot" "$W/ar.txt")"
exit 0
