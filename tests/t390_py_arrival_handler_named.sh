#!/bin/bash
# t390: an arrival that ran CPython's C-level signal handler names the Python handler set for that
# signal (FIX13 P5, FRESH13b): the timeline's arrival line said "ran the handler python3+0x678ec0",
# and the killed finding's list of signals "ran python3+0x678ec0", though the trace's
# sig_handler_pyfn line names the function signal.signal installed. app.py sets on_term (sets a
# flag and returns), whose main loop then ends and sys.exit() runs; an object's __del__ loops at the
# exit, and the traced bash sends SIGKILL once it prints that it is there (no timing assumed). Now
# both say "ran the Python handler on_term (set at app.py:N)". A C handler keeps its address
# (t8-like cases: other tests). A handler given to _signal.signal directly (no sig_handler_pyfn
# line: the shim reads the function from Lib/signal.py's wrapper only) is named by where it was
# set, "ran the Python handler set at direct.py:N in setup", not by CPython's C-level address, and
# the shim writes no sig_handler_pyfn line for it (it named the caller's second local).
. "$(dirname "$0")/lib.sh"
py_flag_del_app
SET=$(grep -n "signal.signal(signal.SIGTERM, on_term)" "$W/app.py" | cut -d: -f1)
# the child of a traced bash: SIGTERM once ready, SIGKILL once in __del__ (safety nets of 30 s)
py_flag_del_run 60000 del
[ "$(cat "$W/rc")" = 137 ] || fail "status $(cat "$W/rc") (137: the SIGKILL)"
grep -q " I sig_handler_pyfn __main__ on_term$" "$W/t.trace" || fail "no sig_handler_pyfn: $(grep ' sig_handler' "$W/t.trace")"
"$REPORT" --color=never "$W/t.trace" >"$W/t.txt" 2>&1
grep -Eq "SIGTERM arrived from pid [0-9]+ \(bash\), ran the Python handler on_term \(set at app.py:$SET\)$" "$W/t.txt" ||
	fail "timeline: $(grep 'SIGTERM arrived' "$W/t.txt")"
grep -q "ran the handler python3" "$W/t.txt" && fail "the address said: $(grep 'ran the handler python3' "$W/t.txt")"
grep -Eq "SIGTERM arrived from process [0-9]+ \(bash[^)]*\) at [-+0-9.]+ s on thread [0-9]+, ran the Python handler on_term \(set at app.py:$SET\)" "$W/t.txt" ||
	fail "killed: $(grep -o 'SIGTERM arrived from process.*' "$W/t.txt")"
grep -Eq ", ran python3\+" "$W/t.txt" && fail "killed: the address said: $(grep -o ', ran python3+[^ ]*' "$W/t.txt")"
cat >"$W/direct.py" <<'PY'
import _signal, os
def unrelated(): pass
def on_term(signum, frame): print("term", flush=True); os._exit(5)
def setup(a, b):
    _signal.signal(_signal.SIGTERM, on_term)
setup(1, unrelated)
os.kill(os.getpid(), _signal.SIGTERM)
PY
traced direct $PY "$W/direct.py"
[ "$RC" = 5 ] || fail "direct: status $RC"
# (the shim read the function from the caller's second local: "unrelated", before it checked the
# frame is signal.py's)
! grep -q " sig_handler_pyfn " "$W/direct.trace" || fail "direct: a sig_handler_pyfn line: $(grep ' sig_handler_pyfn ' "$W/direct.trace")"
"$REPORT" --color=never "$W/direct.trace" >"$W/direct.txt" 2>&1
grep -q "unrelated" "$W/direct.txt" && fail "direct: another function named: $(grep unrelated "$W/direct.txt")"
grep -Eq "SIGTERM arrived from pid [0-9]+, ran the Python handler set at direct.py:5 in setup$" "$W/direct.txt" ||
	fail "direct: $(grep 'SIGTERM arrived' "$W/direct.txt")"
exit 0
