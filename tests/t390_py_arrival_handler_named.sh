#!/bin/bash
# t390: an arrival that ran CPython's C-level signal handler names the Python handler set for that
# signal (FIX13 P5, FRESH13b): the timeline's arrival line said "ran the handler python3+0x678ec0",
# and the killed finding's list of signals "ran python3+0x678ec0", though the trace's
# sig_handler_pyfn line names the function signal.signal installed. app.py sets on_term (sets a
# flag and returns), whose main loop then ends and sys.exit() runs; an object's __del__ loops at the
# exit, and the traced bash sends SIGKILL once it prints that it is there (no timing assumed). Now
# both say "ran the Python handler on_term (set at app.py:N)". A C handler keeps its address
# (t8-like cases: other tests).
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
exit 0
