#!/bin/bash
# t320: a teardown that hangs inside a named routine of the program's says which one in the hang
# finding's message, so in the verdict (the line a person on call reads first): its symbol, the
# file:line where its thread is in it, and its module, as the root cause names it:
# - a C atexit handler (tests/src/atexit_sleep.c: wait_forever) sleeping in a loop;
# - a static object's destructor (tests/src/dtor_hang.cc static: Sink::~Sink() of main::log_sink);
# - the main thread's thread_local's destructor (dtor_hang.cc tls: TlsSink::~TlsSink() of tls_sink);
# - a destructor function (dtor_hang.cc fini: close_sink, DT_FINI_ARRAY, run by _dl_fini), named
#   from the frame ld.so called (the root cause said "did not get further" before);
# - a Python atexit callback (flush, sleeping in a loop);
# - an atexit handler (join_worker) joining a thread whose exit runs a destructor that never
#   returns (tests/src/join_dtor_hang.cc: its pthread key's free_buf, its thread_local's
#   ~Conn): the root cause says the joined thread is inside that destructor, and the fix (the
#   verdict's) names it (before: "which has not ended", and "tell the thread to stop").
# Before: the verdict said "(exit(), thread N)" or "(Py_FinalizeEx, thread N)" and no routine.
# TLSTRACE_HANG_MS=300; SIGKILL once two snapshots are in the trace.
. "$(dirname "$0")/lib.sh"
build atexit_sleep atexit_sleep.c -- -O1
build dtor_hang dtor_hang.cc -- -O1
build join_dtor_hang join_dtor_hang.cc -- -O1 -pthread
H=300
verdict() { grep -A1 "^verdict" "$W/$1.txt" | tail -1; }
root() { grep -A4 "^\[[0-9]*\] error hang" "$W/$1.txt" | grep "root cause:"; }
run() { # NAME CMD...
	local n=$1
	bg_ready "$@"
	wait_for $PID 60 "2 complete snapshots of $n" has_lines "$W/$n.trace" 2 ' hang_end '
	kill_report $n
	[ $RC = 137 ] || fail "$n: status $RC"
}
# check NAME WORDS (an ERE): the verdict says the teardown is inside WORDS, the root cause too
check() {
	verdict $1 | grep -Eq "was still in its teardown [0-9.]+ s after it began \(.*, thread [0-9]+\), inside $2(, [^:]*)?: snapshot" ||
		fail "$1: verdict: $(verdict $1)"
	root $1 | grep -Eq "root cause: $2 does not return" || fail "$1: root cause: $(root $1)"
}

run atexit "$BIN/atexit_sleep"
check atexit "the atexit handler wait_forever \(atexit_sleep\.c:6\) in atexit_sleep"
run static "$BIN/dtor_hang" static
check static "the static destructor of main::log_sink, Sink::~Sink\(\) \(dtor_hang\.cc:[0-9]+\) in dtor_hang"
grep -A2 "^verdict" "$W/static.txt" | grep -q "fix: a static object's destructor must return promptly" || fail "static: the verdict's fix"
run tls "$BIN/dtor_hang" tls
check tls "the TLS destructor of tls_sink, TlsSink::~TlsSink\(\) \(dtor_hang\.cc:[0-9]+\) in dtor_hang"
run fini "$BIN/dtor_hang" fini
check fini "the destructor function close_sink\(\) \(dtor_hang\.cc:[0-9]+\) in dtor_hang \(DT_FINI_ARRAY, run by _dl_fini\)"

for m in key tls; do
	run join$m "$BIN/join_dtor_hang" $m
	check_verdict=$(verdict join$m)
	case $m in
	key) d="the destructor of pthread key [0-9]+, free_buf\(void\*\) \(join_dtor_hang\.cc:[0-9]+\) in join_dtor_hang" ;;
	tls) d="the TLS destructor of conn, Conn::~Conn\(\) \(join_dtor_hang\.cc:[0-9]+\) in join_dtor_hang" ;;
	esac
	# (and what it waits on, in the verdict's one line: FRESH14)
	echo "$check_verdict" | grep -Eq "inside the atexit handler join_worker\(\) \(join_dtor_hang\.cc:[0-9]+\) in join_dtor_hang, waiting on the join of thread [0-9]+: snapshot" ||
		fail "join$m: verdict: $check_verdict"
	root join$m | grep -Eq "root cause: the atexit handler join_worker\(\) .* joins thread [0-9]+ .*, which has not ended: that thread is in its exit, inside $d, which does not return" ||
		fail "join$m: root cause: $(root join$m)"
	grep -A2 "^verdict" "$W/join$m.txt" | grep -Eq "fix: $d must return promptly" || fail "join$m: verdict's fix: $(grep -A2 '^verdict' "$W/join$m.txt")"
done

cat >"$W/pyflush.py" <<'PYEOF'
import atexit, time
def flush():
    while True:
        time.sleep(0.05)
atexit.register(flush)
print("ready", flush=True)
PYEOF
run pyflush $PY "$W/pyflush.py"
verdict pyflush | grep -Eq "\(Py_FinalizeEx, thread [0-9]+\), inside the atexit callback pyflush\.flush \(pyflush\.py:4\), asleep in clock_nanosleep \(time\.sleep\): snapshot" ||
	fail "pyflush: verdict: $(verdict pyflush)"
exit 0
