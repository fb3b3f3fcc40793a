#!/bin/bash
# t416: a stop signal that reaches a forked child before it installed its own handler runs the
# parent's, inherited through fork; here it does not end the child, which runs on until its
# parent's SIGKILL (HANG15: a uWSGI worker respawned as a stop began ran the master's
# kill_them_all, installed its own end_me 7 ms later, and was killed by the master's mercy
# SIGKILL 60 s after). The killed finding's fix said "ran a handler that did not end the process
# ...: make the handler end it", of a handler the child never meant to have. Now it says the
# signal came before the child's own handler (named, with when), that the parent's inherited
# handler ran, and to block the signals around fork. tests/src/fork_inherited_handler.c.
# harakiri: the worker uWSGI's master killed for harakiri (--harakiri 2, a request stuck in the
# app: tests/apps/stuck_app.py) was no finding, its header "a stop, before any teardown of its
# own" (a parent's SIGKILL reaped before the child's teardown: t388's rule); now an error killed
# finding whose fix names uWSGI's harakiri (trigger_harakiri, the HARAKIRI log line, --harakiri),
# with its value, and how to see the request's code, which a SIGKILL leaves out of the trace.
. "$(dirname "$0")/lib.sh"
build fork_inherited_handler fork_inherited_handler.c
traced t timeout 60 "$BIN/fork_inherited_handler"
[ $RC = 0 ] || fail "status $RC (0: the worker was killed by SIGKILL)"
"$REPORT" --color=never "$W/t.trace" >"$W/report" 2>&1
fix=$(grep -A4 "error killed" "$W/report" | grep "fix:")
echo "$fix" | grep -Eq "fix: *the SIGTERM before it arrived [0-9.]+ ms after this process was forked from process [0-9]+, before it installed its own SIGTERM handler \(worker_stop \(fork_inherited_handler\), [0-9.]+ ms later\): it ran master_stop \(fork_inherited_handler\), the handler inherited from its parent through fork, which did not end this process" ||
	fail "fix: $fix"
echo "$fix" | grep -q "block the termination signals around fork" || fail "fix, what to do: $fix"
echo "$fix" | grep -q "make the handler end it" && fail "the generic fix: $fix"

command -v uwsgi >/dev/null || skip "uwsgi not installed"
UAPP=stuck_app uwsgi_start h --harakiri 2
curl -s --max-time 60 "http://127.0.0.1:$PORT/stuck" >/dev/null &
CPID=$!
wait_for $UPID 60 "the master's reap of the worker killed for harakiri" has_lines "$W/h.trace" 1 " reap [a-z0-9]+ [0-9]+ signal 9 "
wait $CPID
uwsgi_forks 2 # (the worker made again, answering: the stop below is no stop of a worker just forked)
uwsgi_stop INT
"$REPORT" --color=never "$W/h.trace" >"$W/h.txt" 2>&1
w=$(uwsgi_worker h 1)
grep -A1 "error killed  process $w " "$W/h.txt" | grep -q "was killed by SIGKILL, sent by process $UPID (uwsgi-core, its parent) with kill() from trigger_harakiri" ||
	fail "harakiri: no killed finding of worker $w: $(grep "^process $w" "$W/h.txt")"
hfix=$(grep -A4 "error killed  process $w " "$W/h.txt" | grep "fix:")
echo "$hfix" | grep -q "fix: *uWSGI's master killed this worker with SIGKILL for harakiri (trigger_harakiri; .*--harakiri" || fail "harakiri: fix: $hfix"
# (HANG17) the --harakiri it was given, that the request's code is not in the trace (SIGKILL), and
# how to have uWSGI log it (its Python plugin's harakiri hook reads the worker's tracebacker socket)
echo "$hfix" | grep -q "had run longer than --harakiri 2 allows; which code that request was in is not in this trace (a SIGKILL cannot be caught.*--py-tracebacker SOCKET (and --enable-threads)" ||
	fail "harakiri: fix, where the request was: $hfix"
exit 0
