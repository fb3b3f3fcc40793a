#!/bin/bash
# t289: while the hang watchdog borrows a real-time signal (the handler watcher's, at a SIGTERM
# handler that has not returned; capsig, while it snapshots threads), the program reads the action
# the watchdog found there, not the watchdog's handler (issue 14; stop 27 SIG9): sigaction's query
# and the old action of its own sigaction on that signal. What it sets there during the borrow is
# its own afterwards (the watchdog puts back only its own handler, and sends that signal no more):
# its handler runs at a raise. Compared with the run without the shim, every signal, field by
# field; the SIGTERM handler reads once the snapshot is in the trace (a hang_end line; no timing)
# and the borrow is seen from the kernel (stderr "borrowed"): TLSTRACE_HANG_MS=1000 puts the
# watcher's next round 1 s later, so the borrow lasts past the read on a loaded machine too.
# timeout: 300
. "$(dirname "$0")/lib.sh"
build sigtaken sigtaken.c
for v in fresh set; do
	"$BIN/sigtaken" borrow $v >"$W/$v.plain" 2>&1
	[ $? = 0 ] || fail "$v: status without the shim"
	traced $v env TLSTRACE_HANG_MS=1000 "$BIN/sigtaken" borrow $v
	[ $RC = 0 ] || fail "$v: status $RC under the shim: $(tail -3 "$W/$v.err")"
	grep -q " hang_end " "$W/$v.trace" || fail "$v: the premise: no watchdog snapshot"
	grep -q "^borrowed$" "$W/$v.err" || fail "$v: the premise: SIGRTMAX not borrowed when the program read it"
	grep -q "^rt handler runs 1$" "$W/$v.plain" || fail "$v: without the shim: $(tail -2 "$W/$v.plain")"
	diff "$W/$v.plain" "$W/$v.out" >"$W/$v.diff" ||
		{ cat "$W/$v.diff"; fail "$v: what the program read during or after the borrow differs"; }
done
exit 0
