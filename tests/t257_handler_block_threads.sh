#!/bin/bash
# t257: a C termination handler that blocks before it sets the signal's next action, in a process
# whose other thread may take the signal (issue 15): its watcher is put off from the arrival
# (t122), and no point in the handler makes it; another thread that passes one of the shim's
# cold paths while the handler blocks makes it (watchdog.c, hw_put_off_take). The handler locks
# a mutex a worker holds forever (mutex), or prints to stdout, whose lock a worker holds (stdio):
# with a thread that starts a short-lived thread every 20 ms (+churn), polls waitpid with
# WNOHANG (+reap) or only sleeps 20 ms at a time (+nap: nanosleep, interposed since stop 27,
# shim/sleeps.c; no snapshot before), snapshots timed from the arrival with the handler's frames; with the other
# threads all blocked themselves (no +), no thread runs the shim's code: no snapshot, said so
# here as in t235. SIGKILL ends each, status 137: once two snapshots are complete, or (no
# snapshot expected) after 3x TLSTRACE_HANG_MS=300. A handler left by siglongjmp leaves no record
# behind: a second SIGTERM 400 ms later, whose handler locks the mutex, is watched from its own
# arrival (jump+churn). stdio: stdout's lock is named with its holder, the worker (hang_stdio).
. "$(dirname "$0")/lib.sh"
build handler_block handler_block.c -- -pthread -O1
HH_PROG=handler_block
H=300
handler_hang_none mutex stdio
for m in mutex+churn stdio+churn mutex+reap mutex+nap stdio+nap; do
	handler_hang_run $m
	handler_hang_checks $m
	grep -q "waits on mutex" "$W/$m.hang" || [ "${m%+*}" = stdio ] || { cat "$W/$m.hang"; fail "$m: the mutex is not named"; }
	# stdout's lock, flockfile'd by the worker: its owner from the lock (hang_stdio), not a
	# pointer read as a mutex's owner tid ("owned by thread 1774655168, ... forked" before)
	[ "${m%+*}" != stdio ] || grep -Eq "root cause: thread [0-9]+ waits for the stream lock of stdout \(0x[0-9a-f]+\) held by thread [0-9]+ \(handler_block, started at holder\)" "$W/$m.hang" ||
		{ grep 'root cause' "$W/$m.hang"; fail "$m: stdout's lock and its holder are not named"; }
done
handler_hang_run jump+churn
[ "$(grep -c ' sig_arrive 15 ' "$W/jump+churn.trace")" = 2 ] || fail "jump+churn: not two arrivals"
handler_hang_checks jump+churn
exit 0
