#!/bin/bash
# t212: uWSGI's master polls waitpid(-1, WNOHANG) in every loop of its life (issue 15): serving
# 200 requests adds no line to the trace (no wait_poll line, none of any kind: counted before and
# after), and the master killed by pid (SIGKILL) at the end is not said to be polling. Its stop
# (SIGINT: it sends SIGINT to the worker and polls) writes one wait_poll line naming the worker,
# which the worker's reap closes.
. "$(dirname "$0")/lib.sh"
command -v uwsgi >/dev/null || skip "uwsgi not installed"
command -v curl >/dev/null || skip "curl not installed"

uwsgi_start serve
uwsgi_get
sleep 0.5
a=$(wc -l <"$W/serve.trace")
for i in $(seq 1 200); do uwsgi_get; done
sleep 0.5
b=$(wc -l <"$W/serve.trace")
[ "$(grep -c '^touch' "$W/serve.out")" -ge 200 ] || fail "serve: the app did not answer: $(head -3 "$W/serve.out")"
[ "$a" = "$b" ] || fail "serve: $((b - a)) lines written while serving 200 requests: $(tail -n $((b - a)) "$W/serve.trace" | head)"
! grep -q " wait_poll " "$W/serve.trace" || fail "serve: a wait_poll line while serving: $(grep wait_poll "$W/serve.trace")"
note "lines before and after 200 requests: $a $b"
w=$(awk '$5 == "forked" && $6 == '"$UPID"' { print $1; exit }' "$W/serve.trace")
[ -n "$w" ] || fail "serve: no worker in the trace"
kill -9 $UPID
wait $UPID 2>/dev/null
for i in $(seq 1 50); do kill -0 "$w" 2>/dev/null || break; sleep 0.1; done
kill -9 "$w" 2>/dev/null
"$REPORT" --color=never "$W/serve.trace" >"$W/serve.txt"
! grep -q "polling" "$W/serve.txt" || fail "serve: the killed master is said to be polling: $(grep polling "$W/serve.txt")"

# a stop: SIGINT to the worker, one poll line for it, closed by its reap
# (the worker's stop runs Py_Finalize, and the app's first atexit callback waits until the
# master's poll line is written: it is never gone by the master's next poll; before, that was
# left to Py_Finalize taking longer than the 0.2 ms to that poll: a busy machine once missed it)
UAPP=polled_app uwsgi_run stop INT
w=$(uwsgi_worker stop)
[ -n "$w" ] || fail "stop: no worker"
[ "$(grep -c " wait_poll " "$W/stop.trace")" = 1 ] || fail "stop: $(grep -c " wait_poll " "$W/stop.trace") wait_poll lines, expected 1"
expect_order stop "$UPID" "kill kill 2 $w " "wait_poll waitpid -1 0x1 kill $w:2$" "reap waitpid $w "
"$REPORT" --color=never "$W/stop.trace" >"$W/stop.txt"
! grep -q "no later wait call of this thread ended it" "$W/stop.txt" || fail "stop: $(grep 'no later wait call of this thread ended it' "$W/stop.txt")"
exit 0
