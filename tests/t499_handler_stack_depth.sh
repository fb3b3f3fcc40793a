#!/bin/bash
# t499: a program's termination-signal handler runs where it would without the shim (issue 14,
# HOSTILE18 item 1): its first local's distance below its own signal stack's top (SA_ONSTACK) or,
# on a thread, below the raiser's frame. The shim's handler called the program's from below its
# own frame: 224-256 bytes lower (SIGTERM, SIGUSR1; SA_SIGINFO or not; main thread and a thread).
# Now termentry.S calls it 16 bytes below the kernel's frame (the return address and the ABI's
# alignment). Main's own stack is left out: the environment (LD_PRELOAD) moves its frames.
. "$(dirname "$0")/lib.sh"
build handler_depth handler_depth.c -- -pthread -O1
"$BIN/handler_depth" >"$W/plain.txt" || fail "plain run: exit $?"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/d.trace "$BIN/handler_depth" >"$W/shim.txt" || fail "traced run: exit $?"
[ "$(wc -l <"$W/shim.txt")" = 16 ] || fail "$(cat "$W/shim.txt")"
paste "$W/plain.txt" "$W/shim.txt" | awk '!($1 == "main" && $3 == "stack") {
	d = $10 - $5; print $1, $2, $3, $4, d
	if (d > 16 || d < -16) bad = 1 } END { exit bad }' >"$W/diff.txt" ||
	fail "the handler runs more than 16 bytes lower with the shim: $(grep -v ' -\?1\?[06]$' "$W/diff.txt" | head -3)"
echo ok
