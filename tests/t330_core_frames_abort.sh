#!/bin/bash
# t330: a process that dies of SIGABRT (abort() in a thread) or SIGQUIT (raise) with the default
# action leaves a core whose top frames are the program's (glibc's raise, abort, the program's
# function), as without the shim: the shim's handler re-sends the signal blocked and returns,
# so it is delivered at the interrupted pc (crash.c die_with). Before, it was unblocked inside
# the handler: the core's top frames were the shim's (sys6, shim_syscall, die_with).
. "$(dirname "$0")/lib.sh"
command -v gdb >/dev/null || skip "gdb not installed"
case $(cat /proc/sys/kernel/core_pattern) in "|"*) skip "cores go to a program: $(cat /proc/sys/kernel/core_pattern)" ;; esac
build abort_core abort_core.c -- -pthread
ulimit -c unlimited
# top frames of the crashing thread in DIR's core, one function name a line
frames() { gdb -q -batch -ex 'bt 6' "$BIN/abort_core" "$1"/core* 2>/dev/null | sed -n 's/^#[0-9]* *\(0x[0-9a-f]* in \)\{0,1\}\([^ ]*\) .*/\2/p' | head -5; }
for mode in abort quit; do
	for run in plain shim; do
		rm -rf "$W/$mode.$run"
		mkdir -p "$W/$mode.$run"
		if [ $run = plain ]; then
			(cd "$W/$mode.$run" && exec "$BIN/abort_core" $mode) 2>/dev/null
		else
			(cd "$W/$mode.$run" && LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$mode.trace exec "$BIN/abort_core" $mode) 2>"$W/$mode.err"
		fi
		echo $? >"$W/$mode.$run.status"
	done
	ls "$W/$mode.plain"/core* >/dev/null 2>&1 || skip "no core file written without the shim (core_pattern $(cat /proc/sys/kernel/core_pattern))"
	[ "$(cat "$W/$mode.plain.status")" = "$(cat "$W/$mode.shim.status")" ] ||
		fail "$mode: status $(cat "$W/$mode.plain.status") without the shim, $(cat "$W/$mode.shim.status") with it"
	ls "$W/$mode.shim"/core* >/dev/null 2>&1 || fail "$mode: no core under the shim"
	frames "$W/$mode.plain" >"$W/$mode.plain.frames"
	frames "$W/$mode.shim" >"$W/$mode.shim.frames"
	[ -s "$W/$mode.plain.frames" ] || fail "$mode: gdb read no frames from the core without the shim"
	diff "$W/$mode.plain.frames" "$W/$mode.shim.frames" >"$W/$mode.diff" ||
		fail "$mode: the core's top frames differ: $(cat "$W/$mode.diff")"
done
grep -q 'SIGABRT' "$W/abort.err" || fail "no crash report for the abort: $(cat "$W/abort.err")"
exit 0
