#!/bin/bash
# t403: a uWSGI worker gets SIGHUP (a graceful reload) while requests are stuck in the app, until
# the master's --worker-reload-mercy (2 s) ends in SIGKILL. Two ways (uWSGI 2.0 core/uwsgi.c,
# gracefully_kill):
# - threads (--threads 2, two stuck requests): the handler joins the other core thread, which
#   serves a request: a hang in the handler. Its root cause was "thread N joins thread M (uwsgi,
#   started at simple_loop_run), at "stuck_app.py", line N in application, which has not
#   ended" and its fix "tell the thread to stop before joining it ... (in Python: a daemon
#   thread, or join with a timeout)"; now: the reload waits for the request, fixed in uWSGI's
#   terms (--harakiri, --worker-reload-mercy, --no-threads-wait); the killed finding's fix says
#   "it was killed while its SIGHUP handler hung", not "while its teardown hung".
# - single (one core, one stuck request): the handler returns and the worker goes on with the
#   request; the killed finding's fix said "a gentler signal sent before the SIGKILL did not end
#   it and no handler of its ran for it (no arrival line)", though SIGHUP's arrival at
#   gracefully_kill is in the trace; now: the request had not ended when the mercy passed.
# TLSTRACE_HANG_MS 300: snapshots well before the mercy; no time is asserted: the test waits for
# the master's reap of the killed worker. The app: tests/apps/stuck_app.py (a 60 s sleep).
. "$(dirname "$0")/lib.sh"
command -v uwsgi >/dev/null || skip "uwsgi not installed"
export TLSTRACE_HANG_MS=300
for m in threads single; do
	args=(--worker-reload-mercy 2) n=1
	[ $m = threads ] && args+=(--threads 2) && n=2
	UAPP=stuck_app uwsgi_start $m "${args[@]}"
	cpids=()
	for i in $(seq $n); do
		curl -s --max-time 120 "http://127.0.0.1:$PORT/stuck" >/dev/null &
		cpids+=($!)
	done
	wait_for $UPID 30 "$n requests in the app" has_lines "$W/$m.log" $n "stuck request began"
	kill -HUP $UPID
	wait_for $UPID 60 "the master's reap of the killed worker" has_lines "$W/$m.trace" 1 " reap [a-z0-9]+ [0-9]+ signal 9 "
	wait_http $PORT 30 || fail "$m: uWSGI did not answer after the reload"
	uwsgi_stop INT
	kill "${cpids[@]}" 2>/dev/null
	wait "${cpids[@]}"
	"$REPORT" --color=never "$W/$m.trace" >"$W/$m.txt" 2>&1
	if [ $m = threads ]; then
		root=$(grep -A4 "^\[[0-9]*\] error hang" "$W/$m.txt" | grep "root cause:")
		echo "$root" | grep -Eq "root cause: uWSGI's graceful reload or stop of a worker \(its handler gracefully_kill\) waits for each core thread of the worker \(--threads\) to end its request, and thread [0-9]+ joins thread [0-9]+ \(uwsgi, started at simple_loop_run\), at \"[^\"]*/stuck_app.py\", line [0-9]+ in application, still serving a request" ||
			fail "$m: root cause: $root"
		# the mercy as its command line set it (FRESH17: "default 60 s" beside --worker-reload-mercy 3)
		echo "$root" | grep -q "the master ends that wait with SIGKILL when --worker-reload-mercy (2 s in its command line) passes" ||
			fail "$m: the mercy in the root cause: $root"
		fix=$(grep -A4 "^\[[0-9]*\] error hang" "$W/$m.txt" | grep "fix:")
		echo "$fix" | grep -q "fix: *bound the request: .*--harakiri .*--worker-reload-mercy .*--no-threads-wait" || fail "$m: fix: $fix"
		grep -q "a daemon thread, or join with a timeout" "$W/$m.txt" && fail "$m: the generic fix said: $(grep -n 'daemon thread' "$W/$m.txt")"
		# the SIGKILL ended a SIGHUP handler that hung, not a teardown
		kfix=$(grep -A4 "^\[[0-9]*\] error killed" "$W/$m.txt" | grep "fix:")
		echo "$kfix" | grep -q "fix: *it was killed while its SIGHUP handler hung (the hang finding: [0-9.]* s after SIGHUP's arrival, " || fail "$m: killed fix: $kfix"
	else
		fix=$(grep -A4 "^\[[0-9]*\] error killed" "$W/$m.txt" | grep "fix:")
		echo "$fix" | grep -q "fix: *the SIGHUP before it (a graceful reload) ran uWSGI's handler gracefully_kill (uwsgi-core), which lets a worker finish the request .*--worker-reload-mercy (2 s in its command line) passed" ||
			fail "$m: fix: $fix"
		grep -q "no arrival line" "$W/$m.txt" && fail "$m: 'no arrival line' said: $(grep -n 'no arrival line' "$W/$m.txt")"
	fi
done
exit 0
