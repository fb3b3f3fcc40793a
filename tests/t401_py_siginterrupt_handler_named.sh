#!/bin/bash
# t401: signal.siginterrupt(SIGTERM, False) after signal.signal(SIGTERM, on_term), as gunicorn's
# worker does (gunicorn/workers/base.py, Worker.init_signals), sets that handler's flags again with
# sigaction (CPython's signal_siginterrupt_impl), a Python installation that names no function: the
# report took it for the last setting and said "ran the handler python3+0x678ec0" at the arrival
# (a gunicorn worker stopped by its arbiter: the handler was Worker.handle_exit). Now the arrival
# names on_term and where signal.signal set it; the siginterrupt line replaces nothing.
. "$(dirname "$0")/lib.sh"
cat >"$W/app.py" <<'PY'
import os, signal, sys
def on_term(signum, frame):
    sys.exit(3)
signal.signal(signal.SIGTERM, on_term)
signal.siginterrupt(signal.SIGTERM, False)
os.kill(os.getpid(), signal.SIGTERM)
PY
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/t.trace "$PY" "$W/app.py" >"$W/out" 2>&1
rc=$?
[ $rc = 3 ] || fail "status $rc, not 3: $(cat "$W/out")"
grep -q " sig_handler 15 .* sigaction " "$W/t.trace" || fail "no siginterrupt line: $(grep ' sig_handler 15' "$W/t.trace")"
"$REPORT" --color=never "$W/t.trace" >"$W/t.txt" 2>&1
grep -Eq "SIGTERM arrived from pid [0-9]+, ran the Python handler on_term \(set at app.py:4\)$" "$W/t.txt" ||
	fail "timeline: $(grep 'SIGTERM arrived' "$W/t.txt")"
grep -q "^0 findings" "$W/t.txt" || fail "findings: $(cat "$W/t.txt")"
exit 0
