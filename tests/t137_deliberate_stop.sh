#!/bin/bash
# t137: deaths by a signal that are how the program meant to end are no `killed` error (a new
# user's report, U3): the re-raise after cleanup (a SIGTERM at the handler, then SIG_DFL and
# raise: in the handler, with SA_RESETHAND, after the handler returned; Python's os.kill after
# restoring SIG_DFL), a wrapper passing its child's death on (timeout(1)), and a SIGTERM with the
# default action from a traced parent that reaps it before any teardown (multiprocessing's
# Pool.terminate). The process header says how it ended; the report exits 0; the status is the
# program's. Kept as errors: a raise with no arrival before it, a SIGTERM from an untraced sender,
# a parent's SIGTERM mid-teardown, SIGKILL. Also the hang watchdog's start: "at SIGTERM's arrival"
# only when exit() ran inside the handler; a handler that set a flag counts from exit().
. "$(dirname "$0")/lib.sh"
build term_idioms term_idioms.c
ok_stop() { # NAME PATTERN: no finding, exit 0, the child's header matches PATTERN
	$REPORT --no-symbols --color=never "$W/$1.trace" >"$W/$1.txt" 2>&1; rc=$?
	[ $rc = 0 ] || { cat "$W/$1.txt"; fail "$1: report status $rc"; }
	grep -q "error killed" "$W/$1.txt" && fail "$1: a killed error"
	grep -Eq "^process [0-9]+ .*: killed by SIGTERM, $2" "$W/$1.txt" || { grep '^process' "$W/$1.txt"; fail "$1: outcome"; }
}
for m in reraise_in resethand reraise_after; do
	plain_and_traced $m "$BIN/term_idioms" $m
	grep -q "child signal 15" "$W/$m.out" || fail "$m: $(cat "$W/$m.out")"
	ok_stop $m "re-raised after it arrived at its handler from process [0-9]+ \\(term_idioms, traced"
done
plain_and_traced dfl "$BIN/term_idioms" dfl
ok_stop dfl "sent by its parent [0-9]+ \\(term_idioms\\), which reaped it"
# Python: the handler restores SIG_DFL and kills itself
plain_and_traced pyre "$PY" -c '
import os, signal, sys, time
def h(s, f):
    print("cleanup", flush=True); signal.signal(s, signal.SIG_DFL); os.kill(os.getpid(), s)
signal.signal(signal.SIGTERM, h)
if os.fork() == 0:
    os.kill(os.getppid(), signal.SIGTERM); os._exit(0)
time.sleep(10)'
[ $RC = 143 ] || fail "pyre: status $RC"
ok_stop pyre "re-raised after it arrived at its handler from process [0-9]+ \\(python3, traced"
# multiprocessing.Pool.terminate: the workers die by the parent's SIGTERM
plain_and_traced pool "$PY" -c '
import multiprocessing as mp, time
p = mp.Pool(2); p.map(abs, [1, 2]); p.terminate(); p.join(); print("done")'
[ $RC = 0 ] || fail "pool: status $RC"
$REPORT --no-symbols --color=never "$W/pool.trace" >"$W/pool.txt" 2>&1; rc=$?
grep -q "error killed" "$W/pool.txt" && { grep '^process\|killed' "$W/pool.txt"; fail "pool: a killed error"; }
# the same stop crossing the worker's own os._exit (Pool.terminate races the worker's sentinel):
# still a stop; crossing exit() instead (its handlers cut short) stays an error
for how in _exit exit; do
	# (the child's line 1 us before the parent's kill, placed before whichever comes first in the
	# file, the kill line or the child's arrival line: either may be written first)
	"$PY" -c '
import sys
how, child, done = sys.argv[1], None, False
lines = open(sys.argv[2]).readlines()
kill_t = next(int(l.split()[2]) for l in lines if l.split()[4:7] == ["kill", "kill", "15"])
for line in lines:
    f = line.split()
    if f[4] == "forked":
        child = f[0]
    if not done and (f[4:7] == ["kill", "kill", "15"] or (f[0] == child and f[4] == "sig_arrive")):
        print(child, child, kill_t - 1000, "-", how, 0)
        done = True
    sys.stdout.write(line)' $how "$W/dfl.trace" >"$W/dfl$how.trace"
	grep -q " $how 0\$" "$W/dfl$how.trace" || fail "dfl$how: no $how line made"
	$REPORT --no-symbols --color=never "$W/dfl$how.trace" >"$W/dfl$how.txt" 2>&1; rc=$?
	case $how in
	_exit) [ $rc = 0 ] && grep -Eq "^process [0-9]+ .*: killed by SIGTERM, sent by its parent [0-9]+ \(term_idioms\), which reaped it: a stop that crossed its own _exit\(0\)" "$W/dfl$how.txt" ||
		{ cat "$W/dfl$how.txt"; fail "a stop crossing _exit: status $rc"; } ;;
	exit) [ $rc = 1 ] && grep -q "error killed" "$W/dfl$how.txt" || { cat "$W/dfl$how.txt"; fail "a stop crossing exit(): status $rc"; } ;;
	esac
done
# timeout passing its child's SIGTERM on (the child's own death stays as it is); its duration
# ends (timeout_expire) once the child's handler is set ("ready"; was: a fixed 0.3 s)
rm -f "$W/tmo.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/tmo.trace timeout -s TERM 60 "$PY" -c '
import os, signal, time
signal.signal(signal.SIGTERM, lambda s, f: (signal.signal(s, signal.SIG_DFL), os.kill(os.getpid(), s)))
print("ready", flush=True)
time.sleep(60)' >"$W/tmo.out" 2>"$W/tmo.err" &
t=$!
wait_for $t 30 "ready from timeout's child" has_lines "$W/tmo.out" 1 '^ready$' || fail "tmo: ended: $(cat "$W/tmo.err")"
timeout_expire $t
wait $t
$REPORT --no-symbols --color=never "$W/tmo.trace" >"$W/tmo.txt" 2>&1
grep -Eq "^process [0-9]+ timeout: (exit status 124|killed by SIGTERM, raised again after its child)" "$W/tmo.txt" || { grep '^process' "$W/tmo.txt"; fail "timeout: outcome"; }
grep -q "error killed" "$W/tmo.txt" && { grep '^process\|killed' "$W/tmo.txt"; fail "timeout: a killed error"; }
traced tmo2 "$PY" -c '
import os, signal, subprocess, sys, time
p = subprocess.Popen(["timeout", "60", sys.executable, "-c", "import time; time.sleep(100)"])
# until timeout waits for its command (wait4 61, rt_sigsuspend 130) and that runs python: was
# 0.5 s; a signal earlier meets timeout still in fork (it then exits 143) or its child not yet
# exec-ed (it has the handlers of timeout)
for _ in range(3000):
    try:
        c = open(f"/proc/{p.pid}/task/{p.pid}/children").read().split()
        w = open(f"/proc/{p.pid}/syscall").read().split()[0] in ("61", "130")
        if w and c and open(f"/proc/{c[0]}/comm").read().startswith("python"):
            break
    except OSError:
        pass
    time.sleep(0.02)
p.send_signal(signal.SIGTERM); print(p.wait())'
$REPORT --no-symbols --color=never "$W/tmo2.trace" >"$W/tmo2.txt" 2>&1
grep -Eq "^process [0-9]+ timeout( \(forked from [0-9]+\))?: killed by SIGTERM, (raised again after its child|re-raised after)" "$W/tmo2.txt" ||
	{ grep '^process' "$W/tmo2.txt"; fail "timeout passing SIGTERM on: outcome"; }

# still errors: a raise with no arrival, a SIGTERM from an untraced sender, SIGKILL
plain_and_traced self "$PY" -c 'import os, signal; os.kill(os.getpid(), signal.SIGTERM)'
$REPORT --no-symbols "$W/self.trace" >"$W/self.txt" 2>&1; rc=$?
[ $rc = 1 ] && grep -q "error killed" "$W/self.txt" || fail "a plain raise(SIGTERM): status $rc"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/untraced.trace "$PY" -c "import time; print(1, flush=True); time.sleep(10)" >"$W/untraced.out" &
pid=$!
wait_for $pid 30 "its first line" has_lines "$W/untraced.out" 1 '^1$' || fail "untraced: ended"
kill -TERM $pid; wait $pid 2>/dev/null
$REPORT --no-symbols "$W/untraced.trace" >"$W/untraced.txt" 2>&1; rc=$?
[ $rc = 1 ] && grep -q "error killed" "$W/untraced.txt" || { cat "$W/untraced.txt"; fail "an untraced sender's SIGTERM: status $rc"; }

# where the teardown began: in the handler, or from main after a flag
traced flag "$BIN/term_idioms" flag
traced inh "$BIN/term_idioms" exit_in_handler
grep -Eq "hang_arm (signal|exit_in)" "$W/flag.trace" && fail "flag: hang_arm signal"
grep -q " hang_arm exit " "$W/flag.trace" || fail "flag: $(grep hang_arm "$W/flag.trace")"
grep -q " hang_arm signal " "$W/inh.trace" || fail "exit in the handler: $(grep hang_arm "$W/inh.trace")"
$REPORT --no-symbols "$W/inh.trace" 2>/dev/null | grep -q "teardown began at SIGTERM's arrival (its handler" || fail "exit in the handler: words"
exit 0
