#!/bin/bash
# t369: python3 (3.11) whose object's __del__ loops or blocks while Python finalizes, after the
# atexit callbacks (the garbage collection and the modules' teardown: the state F), the process
# stopped by a signal (issue 15, PYDEL13):
# - a Python SIGTERM handler that sets a flag and returns (main then calls sys.exit()), one that
#   calls sys.exit() itself, SIGINT's KeyboardInterrupt caught (then sys.exit()) or not: the
#   __del__ (through a method it calls) spins in pure Python, calling nothing the shim
#   interposes. The handler watcher, kept past the Python handler's return, finds python3's own
#   Py_FinalizeEx on the main thread's stack at its deadlines; the runtime finalizing, its lines
#   say py_fin_late (`hang_arm py_fin_late`, `hang N MS py_fin_late`), as the watchdog's own
#   (a wait seen there) does. Before: py_fin_stack, and the report named the __del__ "the atexit
#   callback" with an atexit callback's fix.
# - a __del__ that blocks on a threading.Lock its own thread holds (the watchdog's py_fin_late, at
#   the wait: as before).
# In each, the traceback names frames by their qualified names (co_qualname: "Conn.__del__",
# "Conn.close"; 3.11's own dumper writes co_name, "__del__"), and the report's hang finding says
# the __del__ of Conn, where Python ran it (after the atexit callbacks), and a __del__'s fix.
# SIGKILL once the snapshots are there (waited for as lines of the trace), as a supervisor's. A
# handler that puts SIG_DFL back: the second SIGTERM's snapshot at the kill says py_fin_late.
# Not seen (docs/design.md): the same loop with no signal: python3 makes no call the shim sees.
. "$(dirname "$0")/lib.sh"
H=300
cat >"$W/del_loop.py" <<'X'
import signal, sys, threading, time
mode = sys.argv[1]
held = threading.Lock()
held.acquire()
class Conn:
    def close(self):
        n = 0
        while True:
            n += 1
    def __del__(self):
        if mode == "lock":
            held.acquire()
        self.close()
conn = Conn()
stop = False
def on_term(s, f):
    global stop
    stop = True
    if mode == "exit":
        sys.exit(0)
    if mode == "dfl":
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
signal.signal(signal.SIGTERM, on_term)
# (a background job of a non-interactive shell starts with SIGINT ignored: Python's own handler)
signal.signal(signal.SIGINT, signal.default_int_handler)
print("ready", flush=True)
try:
    while not stop:
        time.sleep(0.05)
except KeyboardInterrupt:
    if mode == "int_caught":
        sys.exit(0)
    raise
sys.exit(0)
X
for m in flag exit int_caught int_uncaught lock; do
	sig=TERM why=py_fin_late
	case $m in int_*) sig=INT ;; esac
	bg_ready $m $PY "$W/del_loop.py" $m
	kill -$sig $PID
	wait_for $PID 60 "3 complete snapshots of $m" has_lines "$W/$m.trace" 3 ' hang_end '
	kill_report $m
	[ $RC = 137 ] || fail "$m: status $RC (137: the SIGKILL that ended it)"
	grep -Eq " F hang_arm $why $H$" "$W/$m.trace" || fail "$m: no hang_arm $why: $(grep ' hang' "$W/$m.trace")"
	! grep -q " hang_arm py_fin_stack " "$W/$m.trace" || fail "$m: py_fin_stack: $(grep ' hang_arm' "$W/$m.trace")"
	for r in 1 2 3; do
		grep -Eq " F hang $r [0-9]+ $why [0-9]+$" "$W/$m.trace" || fail "$m: no snapshot $r of $why: $(grep ' hang ' "$W/$m.trace")"
	done
	grep -Eq " hang_py $PID %20%20File%20\"[^ ]*/del_loop.py\",%20line%20(11|12|13)%20in%20Conn.__del__$" "$W/$m.trace" ||
		fail "$m: no frame named Conn.__del__: $(grep ' hang_py ' "$W/$m.trace")"
	if [ $m != lock ]; then
		grep -Eq " hang_py $PID %20%20File%20\"[^ ]*/del_loop.py\",%20line%20(8|9)%20in%20Conn.close$" "$W/$m.trace" ||
			fail "$m: no frame named Conn.close: $(grep ' hang_py ' "$W/$m.trace")"
	fi
	hang_message_has "$W/$m.txt" "inside the __del__ of Conn, del_loop\.Conn\.__del__ \(del_loop\.py:1[123]\)"
	grep -q "root cause: the __del__ of Conn, del_loop.Conn.__del__ (del_loop.py:1[123]).* does not return: Python ran it in Py_FinalizeEx after the atexit callbacks" "$W/$m.txt" ||
		fail "$m: root cause: $(grep 'root cause' "$W/$m.txt")"
	grep -q "fix: *a __del__ method must not block or loop: .*(a module's globals may already be None there).*weakref.finalize" "$W/$m.txt" ||
		fail "$m: fix: $(grep 'fix:' "$W/$m.txt")"
	grep -q "atexit callback [a-z_.]*__del__\|inside the atexit callback" "$W/$m.txt" && fail "$m: named an atexit callback: $(grep -m1 'atexit callback' "$W/$m.txt")"
	if [ $m != lock ]; then
		s=SIGTERM
		[ $sig = INT ] && s=SIGINT
		grep -q "Py_FinalizeEx's module teardown, after the atexit callbacks, seen on the main thread's stack after the $s handler returned: hang watchdog armed, looks at $H ms, x2, x4 after the signal's arrival" "$W/$m.txt" ||
			fail "$m: timeline: $(sed -n '/^process/,/^findings/p' "$W/$m.txt")"
		hang_message_has "$W/$m.txt" "still in its teardown [0-9.]* s after $s's arrival \(python3's own Py_FinalizeEx in its module teardown, after the atexit callbacks"
	fi
done
# SIG_DFL put back by the handler: a second SIGTERM once the watcher wrote a snapshot ends it
# (143), after the snapshot at the kill, worded py_fin_late too, and the killed finding names the
# __del__ by its qualified name
second_term_run dfl $PY "$W/del_loop.py" dfl
[ $RC = 143 ] || fail "dfl: status $RC (143: SIGTERM)"
grep -Eq " F kill_snap 15 -1 py_fin_late $PID$" "$W/dfl.trace" || fail "dfl: no kill_snap py_fin_late: $(grep ' kill_snap\| hang' "$W/dfl.trace")"
"$REPORT" --color=never "$W/dfl.trace" >"$W/dfl.txt" 2>&1
grep -A1 "^\[[0-9]*\] error killed" "$W/dfl.txt" | grep -q "killed in the Python code del_loop\.Conn\.__del__ (del_loop\.py:13), via del_loop\.Conn\.close (del_loop\.py:[89]) (after the atexit callbacks)" ||
	fail "dfl: killed: $(grep -A1 'error killed' "$W/dfl.txt")"
exit 0
