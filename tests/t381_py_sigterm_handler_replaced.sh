#!/bin/bash
# t381: a Python module that replaces the application's SIGTERM handler (issue 15, s1's kind in
# Python; FRESH13 item 5). app.py sets graceful_shutdown (sys.exit) with signal.signal, then
# imports metrics, whose top level sets its own _metrics_term (logs and returns): the SIGTERM
# runs only that one, and the process runs on until the SIGKILL from the same sender. Before: one
# sig_handler line (the second call, the same C handler in python3, was not written), the site
# PyOS_setsig+0x3c, and 0 findings. Now every signal.signal call writes its sig_handler line with
# the Python traceback of the caller (sig_handler_py) and the handler's module and qualified name
# (sig_handler_pyfn), and the report says which handler replaced which, where each was set, that
# the module was imported and where, and the fix in Python's terms. Also: SIG_IGN set on import
# (quiet.py) named by its Python file and line and the handler it replaced; a single handler (a
# bound method, set inside a function) that returns, then the SIGKILL: a finding; a handler that
# calls sys.exit(): none. The sender is a traced bash (its kill lines): SIGTERM once the program
# is ready, SIGKILL once the handler has printed (no timing assumed).
. "$(dirname "$0")/lib.sh"
cat >"$W/app.py" <<'X'
import os, signal, sys, time
mode = sys.argv[1]
open(mode + ".pid", "w").write(str(os.getpid()))
def graceful_shutdown(signum, frame):
    sys.exit(0)
class Server:
    def stop(self, signum, frame):
        print("stop: logged", flush=True)
def install():
    signal.signal(signal.SIGTERM, Server().stop)
if mode == "returns":
    install()
else:
    signal.signal(signal.SIGTERM, graceful_shutdown)
if mode == "replaced":
    import metrics
elif mode == "ignored":
    import quiet
print("ready", flush=True)
while True:
    time.sleep(0.05)
X
cat >"$W/metrics.py" <<'X'
import signal
def _metrics_term(signum, frame):
    print("metrics: flushed", flush=True)
signal.signal(signal.SIGTERM, _metrics_term)
X
cat >"$W/quiet.py" <<'X'
import signal
signal.signal(signal.SIGTERM, signal.SIG_IGN)
X
# every app.py still running at the end (a safety net failed: a stuck run) ends, by its pid
end_apps() {
	local f p
	for f in "$W"/*.pid; do
		[ -e "$f" ] || continue
		p=$(cat "$f")
		grep -q "app.py" "/proc/$p/cmdline" 2>/dev/null && kill -KILL "$p" 2>/dev/null
	done
}
trap end_apps EXIT
ln() { grep -n -- "$2" "$W/$1" | head -1 | cut -d: -f1; }
SET=$(ln app.py "signal.signal(signal.SIGTERM, graceful_shutdown)")
IMP=$(ln app.py "import metrics")
IMPQ=$(ln app.py "import quiet")
INST=$(ln app.py "    signal.signal(signal.SIGTERM, Server().stop)")

# run MODE WAIT: app.py MODE as the child of a traced bash that sends SIGTERM once it is ready,
# then (WAIT not empty) SIGKILL once its output has WAIT (-: at once); RC the child's status. A safety net of
# 30 s for each wait.
run() {
	local m=$1
	rm -f "$W/$m.trace" "$W/$m.out"
	TLSTRACE_HANG_MS=60000 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$m.trace bash -c '
		cd "$1" || exit
		"$4" app.py "$2" >"$2.out" 2>&1 &
		p=$!
		n=0
		until grep -q ready "$1/$2.out" 2>/dev/null; do sleep 0.02; n=$((n + 1)); [ $n -lt 1500 ] || break; done
		kill -TERM $p
		n=0
		if [ -n "$3" ]; then
			[ "$3" = - ] || until grep -q "$3" "$1/$2.out"; do sleep 0.02; n=$((n + 1)); [ $n -lt 1500 ] || break; done
			kill -KILL $p
		else # (it ends by itself; a safety net of 30 s)
			while kill -0 $p 2>/dev/null; do sleep 0.02; n=$((n + 1)); [ $n -lt 1500 ] || kill -KILL $p; done
		fi
		wait $p
		echo $? >"$1/$2.rc"' run "$W" "$m" "$2" "$PY" >/dev/null 2>&1
	RC=$(cat "$W/$m.rc")
	"$REPORT" --color=never "$W/$m.trace" >"$W/$m.txt" 2>&1
}

run replaced "metrics: flushed"
[ "$RC" = 137 ] || fail "replaced: status $RC (137: the SIGKILL)"
[ "$(grep -c ' I sig_handler 15 ' "$W/replaced.trace")" = 2 ] || fail "replaced: not 2 sig_handler lines: $(grep ' sig_handler' "$W/replaced.trace")"
grep -q " I sig_handler_py %20%20File%20\"[^ ]*/metrics.py\",%20line%204%20in%20<module>$" "$W/replaced.trace" ||
	fail "replaced: no traceback line of metrics.py: $(grep ' sig_handler_py ' "$W/replaced.trace")"
grep -q " I sig_handler_pyfn metrics _metrics_term$" "$W/replaced.trace" || fail "replaced: no sig_handler_pyfn: $(grep ' sig_handler' "$W/replaced.trace")"
grep -q " I sig_handler_pyfn __main__ graceful_shutdown$" "$W/replaced.trace" || fail "replaced: no sig_handler_pyfn of graceful_shutdown"
grep -q "^\[[0-9]\] error signal-handler " "$W/replaced.txt" || fail "replaced: no finding: $(cat "$W/replaced.txt")"
grep -Fq "the SIGTERM handler graceful_shutdown, set at app.py:$SET (in <module>), was replaced by metrics._metrics_term, set at metrics.py:4 (module metrics, imported at app.py:$IMP); the SIGTERM from process " "$W/replaced.txt" ||
	fail "replaced: message: $(grep -A1 '^\[1\]' "$W/replaced.txt")"
grep -Eq "ran that one, on thread [0-9]+; it ran on until the SIGKILL [0-9.]+ s later from the same sender" "$W/replaced.txt" ||
	fail "replaced: no SIGKILL said: $(grep -A1 '^\[1\]' "$W/replaced.txt")"
grep -Fq "fix:        set signal handlers in the application's main module only, after its imports; a library must not install a handler for SIGTERM, or must chain to the previous one it got from signal.signal's return value" "$W/replaced.txt" ||
	fail "replaced: fix: $(grep 'fix:' "$W/replaced.txt")"
grep -q "PyOS_setsig" "$W/replaced.txt" && grep -A4 '^\[1\]' "$W/replaced.txt" | grep -q PyOS_setsig && fail "replaced: the C site named"

# SIG_IGN on import: the SIGTERM is discarded (no arrival to wait for), SIGKILL at once
run ignored -
[ "$RC" = 137 ] || fail "ignored: status $RC"
grep -q "^\[[0-9]\] error signal-handler " "$W/ignored.txt" || fail "ignored: no finding: $(cat "$W/ignored.txt")"
# (an error, as a replaced handler with that outcome, and the phase it was in when sent: it was
# a warning with "phase: ?" before FIX13a)
grep -A2 "^\[[0-9]\] error signal-handler " "$W/ignored.txt" | grep -q "^    phase: *running$" ||
	fail "ignored: phase: $(grep 'phase:' "$W/ignored.txt")"
grep -Fq "root cause: it ignores SIGTERM: signal.signal(SIGTERM, SIG_IGN) at quiet.py:2 (module quiet, imported at app.py:$IMPQ), on thread " "$W/ignored.txt" ||
	fail "ignored: root cause: $(grep 'root cause' "$W/ignored.txt")"
grep -Fq "before the SIGTERM was sent, replaced graceful_shutdown, set at app.py:$SET (in <module>) (a process has one handler per signal)" "$W/ignored.txt" ||
	fail "ignored: the replaced handler: $(grep 'root cause' "$W/ignored.txt")"
grep -q "PyOS_setsig" "$W/ignored.txt" && fail "ignored: the C site named: $(grep PyOS_setsig "$W/ignored.txt")"
grep -Fq "a library must not install a handler for SIGTERM (SIG_IGN included), or must chain to the previous one" "$W/ignored.txt" ||
	fail "ignored: fix: $(grep 'fix:' "$W/ignored.txt")"

grep -Eq "SIGTERM handler metrics._metrics_term installed by signal.signal at metrics.py:4 \(module metrics, imported at app.py:$IMP\)$" "$W/replaced.txt" ||
	fail "replaced: timeline: $(grep 'SIGTERM handler' "$W/replaced.txt")"
grep -Eq "SIGTERM handler graceful_shutdown installed by signal.signal at app.py:$SET \(in <module>\)$" "$W/replaced.txt" ||
	fail "replaced: timeline: $(grep 'SIGTERM handler' "$W/replaced.txt")"

# one handler, a bound method set inside a function, that logs and returns, under timeout -k
# (FRESH13's run): the SIGTERM the test sends to timeout is passed on, and the SIGKILL 1 s
# later is the stop timeout was told to make, which the outcome gives no finding
m=returns
rm -f "$W/$m.trace" "$W/$m.out"
(cd "$W" && exec env TLSTRACE_HANG_MS=60000 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$m.trace timeout -k 1 600 $PY app.py returns >"$W/$m.out" 2>&1) &
PID=$!
wait_for $PID 30 "ready from $m" has_lines "$W/$m.out" 1 ready
kill -TERM $PID
wait $PID
RC=$?
"$REPORT" --color=never "$W/$m.trace" >"$W/$m.txt" 2>&1
[ "$RC" = 137 ] || fail "returns: status $RC"
grep -q " I sig_handler_pyfn __main__ Server.stop$" "$W/returns.trace" || fail "returns: no sig_handler_pyfn: $(grep ' sig_handler' "$W/returns.trace")"
grep -q "^\[[0-9]\] error signal-handler " "$W/returns.txt" || fail "returns: no finding: $(cat "$W/returns.txt")"
grep -Eq "the SIGTERM from process [0-9]+ \(timeout, its parent\) ran the Python handler Server.stop, set at app.py:$INST \(in install\), on thread [0-9]+, and the process did not end by it; it ran on until the SIGKILL [0-9.]+ s later from the same sender" "$W/returns.txt" ||
	fail "returns: message: $(grep -A1 '^\[1\]' "$W/returns.txt")"
grep -Fq "The handler returned, or ran on in pure Python; a pure-Python shutdown calls nothing the shim sees" "$W/returns.txt" ||
	fail "returns: root cause: $(grep 'root cause' "$W/returns.txt")"
grep -q "^1 finding" "$W/returns.txt" || fail "returns: $(tail -1 "$W/returns.txt")"

# the handler that ends the process: no finding
run exits ""
[ "$RC" = 0 ] || fail "exits: status $RC"
grep -q "signal-handler" "$W/exits.txt" && fail "exits: a finding: $(grep -A2 'signal-handler' "$W/exits.txt")"
exit 0
