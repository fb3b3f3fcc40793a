#!/bin/bash
# t158: the sub-interpreter's name outside Apache (h5's kind, any embedder): a program that
# destroys a sub-interpreter carrying mod_wsgi's application_group gets it on its py_end_interp
# line and in its timeline; one that breaks Py_EndInterpreter's rule (no current thread state)
# still dies of Python's fatal error (SIGABRT) as without the shim, and its line has no name.
. "$(dirname "$0")/lib.sh"
command -v python3-config >/dev/null || [ -x /usr/bin/python3-config ] || skip "no python3-config (python3-dev)"
PC=/usr/bin/python3-config
gcc -g -O1 $($PC --includes) -o "$BIN/subinterp_end" "$ROOT/tests/src/subinterp_end.c" $($PC --ldflags --embed) ||
	fail "cannot build subinterp_end"
"$BIN/subinterp_end"; rc_plain=$?
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/ok.log "$BIN/subinterp_end"; rc=$?
[ $rc = 0 ] && [ $rc_plain = 0 ] || fail "exit status $rc (without the shim $rc_plain)"
grep -Eq " py_end_interp 0x[0-9a-f]+ shop.example.com\\|/cart$" "$W/ok.log" || fail "py_end_interp: $(grep py_end_interp "$W/ok.log")"
"$REPORT" --color=never "$W/ok.log" >"$W/ok.txt"
grep -q "Py_EndInterpreter (sub-interpreter 'shop.example.com|/cart', thread state 0x" "$W/ok.txt" || fail "timeline: $(cat "$W/ok.txt")"
("$BIN/subinterp_end" x) 2>/dev/null; rc_plain=$?
(LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/bad.log "$BIN/subinterp_end" x) 2>/dev/null; rc=$?
[ $rc_plain = 134 ] && [ $rc = 134 ] || fail "misuse: status $rc, without the shim $rc_plain (expected 134)"
grep -Eq " py_end_interp 0x[0-9a-f]+$" "$W/bad.log" || fail "misuse: $(grep py_end_interp "$W/bad.log")"
exit 0
