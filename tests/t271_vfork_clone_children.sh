#!/bin/bash
# t271: children that share the parent's memory (issue 14, the kind of reliability case 11). A
# child made by vfork() or clone(CLONE_VM|CLONE_VFORK) that sets actions before it ends changes
# nothing the shim records for its parent: no sig_handler line of the child's in the parent's
# trace (before, "sig_handler 15 0x1" was written as the parent's), and the parent's handlers
# stay and run. The shim knows such a child may run from its vfork and clone entry points
# (shim/vfork.S, threads.c), so outside them it asks the kernel nothing: a SIG_IGN of a
# termination signal costs the one rt_sigaction it costs without the shim (before: a getpid and
# a second rt_sigaction each; inside a handler that is the window of t122).
. "$(dirname "$0")/lib.sh"
build vfork_clone vfork_clone.c
for m in vfork clone; do
	"$BIN/vfork_clone" $m >"$W/$m.plain" 2>&1
	[ $? = 0 ] || fail "$m: without the shim: status $?"
	traced $m "$BIN/vfork_clone" $m
	[ $RC = 0 ] || fail "$m: status $RC under the shim: $(cat "$W/$m.err")"
	cmp -s "$W/$m.plain" "$W/$m.out" || fail "$m: output differs"
	# the one SIG_IGN line of SIGTERM is the parent's own, after the arrival (the child's came
	# before it, and the parent's own was then dropped as no change)
	[ "$(awk '$5 == "sig_arrive" && $6 == 15 { a = NR } $5 == "sig_handler" && $6 == 15 && $7 == "0x1" { print (a ? "after" : "before") }' "$W/$m.trace" | tr '\n' ' ')" = "after " ] ||
		{ grep ' sig_' "$W/$m.trace"; fail "$m: the child's SIG_IGN is recorded as the parent's"; }
	grep -q ' sig_arrive 15 .* fn ' "$W/$m.trace" || fail "$m: the parent's handler did not take SIGTERM"
done
command -v strace >/dev/null || skip "no strace (the rest holds)"
calls() { # the system calls between the two getpgrp markers, one word each
	strace -qq -o "$W/st.txt" -e trace=getpgrp,getpid,rt_sigaction "$@" vfork >/dev/null 2>&1
	awk '/getpgrp\(/ { n++; next } n == 1 { sub(/\(.*/, "", $1); print $1 }' "$W/st.txt" | sort | uniq -c | tr -s ' \n' ' '
}
plain=$(calls "$BIN/vfork_clone")
shim=$(LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/st.trace calls "$BIN/vfork_clone")
note "without the shim: $plain; with it: $shim"
[ "$plain" = " 2 rt_sigaction " ] || fail "the markers: $plain"
[ "$shim" = "$plain" ] || fail "two SIG_IGN calls under the shim: $shim (without: $plain)"
exit 0
