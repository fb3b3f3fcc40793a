#!/bin/bash
# t419: a gunicorn worker's worker_exit hook sleeps (tests/apps/gunicorn_exit_hook.py), and the
# arbiter, stopped with SIGTERM, kills the worker with SIGKILL after --graceful-timeout (HANG15).
# The worker's Python handler (Worker.handle_exit) returned and the hook ran after its loop, in
# Arbiter.spawn_worker's finally, before Py_FinalizeEx: no teardown step the shim saw, no
# snapshot; the report said only that the handler "did not end the process" or that it was
# killed in Py_FinalizeEx. Now a long sleep, poll or timed wait of Python's main thread soon after
# the arrival arms the watchdog (why py_after_handler, shim/python.c py_reaction_sleeps): the hang
# names the hook (gconf's worker_exit, its line) with a fix in gunicorn's terms; the verdict's
# Python callback is the hook, not runpy's frames (python3 -m). The arbiter, whose waits after
# its SIGTERM are short (its 1 s select, its 0.1 s sleeps while it waits for the worker), gets no
# watch. TLSTRACE_HANG_MS=300.
# preload: with --preload, an app that starts a non-daemon thread at import
# (tests/apps/stuck_teardown_app.py, STUCK=thread) runs it in the arbiter, whose own Py_FinalizeEx
# then joins it for ever after its SIGTERM (the test kills it after two snapshots). The hang's fix
# said "under gunicorn the arbiter sends a worker still running --graceful-timeout ... a SIGKILL",
# of the arbiter itself; now it says it is the arbiter, that only its supervisor ends it, and
# what --preload does with the thread.
# max-requests: a worker that restarts by itself after --max-requests 1, its atexit callback stuck
# (STUCK=atexit), until the arbiter's worker timeout (--timeout 3) sends SIGABRT, whose handler
# raises SystemExit in the callback. The hang said "it then ended with exit status 0" with a fix
# about the arbiter's SIGKILL after its SIGTERM, which never came; now the SIGABRT, gunicorn's
# worker timeout, is said to have interrupted the callback, and the fix is a restart's.
# gthread: the gthread worker, stopped with a request in the app (tests/apps/stuck_app.py),
# waits in concurrent.futures.wait for it up to --graceful-timeout 6 (TLSTRACE_HANG_MS=1200, so
# that the wait, which begins up to 1 s after the arrival, is within its window and outlasts 4x
# it): the hang said "under gunicorn a worker runs its worker_exit hook" and placed the main
# thread at "<frozen runpy>", line 88 in _run_code; now the gthread worker's wait for the request,
# with the thread serving it.
. "$(dirname "$0")/lib.sh"
$PY -c 'import gunicorn' 2>/dev/null || skip "python3-gunicorn not installed"
export TLSTRACE_HANG_MS=300
gunicorn_run g TERM sync -c "$ROOT/tests/apps/gunicorn_exit_hook.py"
grep -q "worker_exit hook began" "$W/g.log" || fail "the hook did not run: $(cat "$W/g.log")"
"$REPORT" --color=never "$W/g.trace" >"$W/g.txt" 2>&1
worker=$(awk '$5 == "forked" { print $1; exit }' "$W/g.trace")
grep -q " hang_arm py_after_handler " "$W/g.trace" || fail "no py_after_handler arm: $(grep ' hang_arm ' "$W/g.trace")"
[ "$(grep ' hang_arm py_after_handler ' "$W/g.trace" | awk '{ print $1 }' | sort -u)" = "$worker" ] ||
	fail "armed in others than the worker $worker: $(grep ' hang_arm ' "$W/g.trace")"
root=$(grep -A4 "^\[[0-9]*\] error hang  process $worker " "$W/g.txt" | grep "root cause:")
echo "$root" | grep -Eq "root cause: SIGTERM arrived at Python's handler gunicorn.workers.base.Worker.handle_exit .*, and soon after the main thread went on to a wait that did not end: thread $worker \(python3\), at \"[^\"]*/gunicorn_exit_hook.py\", line [0-9]+ in worker_exit, asleep in clock_nanosleep \(time.sleep\); under gunicorn a worker runs its worker_exit hook" ||
	fail "root cause: $root"
fix=$(grep -A4 "^\[[0-9]*\] error hang  process $worker " "$W/g.txt" | grep "fix:")
echo "$fix" | grep -q "fix: *a worker's exit work (the worker_exit hook, .*--graceful-timeout" || fail "fix: $fix"
grep -A6 "^\[[0-9]*\] error hang  process $worker " "$W/g.txt" | grep -q "Python callback: gunicorn_exit_hook.worker_exit (gunicorn_exit_hook.py:[0-9]*)$" ||
	fail "Python callback: $(grep -A6 'error hang' "$W/g.txt" | grep 'Python callback')"
grep -A2 "^\[[0-9]*\] error killed  process $worker " "$W/g.txt" | grep -q "killed by SIGKILL" || fail "no killed finding of the worker"

PORT=$(free_port)
STUCK=thread LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/p.trace $PY -m gunicorn --preload --bind 127.0.0.1:$PORT --workers 1 \
	--pythonpath "$ROOT/tests/apps" stuck_teardown_app:application >"$W/p.log" 2>&1 </dev/null &
GP=$!
wait_http $PORT 30 || { kill -9 $GP; cat "$W/p.log"; fail "preload: gunicorn did not come up"; }
kill -TERM $GP
wait_for $GP 60 "the arbiter's 2 snapshots" has_lines "$W/p.trace" 2 "^$GP .* hang_end "
kill -KILL $GP
wait $GP
"$REPORT" --color=never "$W/p.trace" >"$W/p.txt" 2>&1
pfix=$(grep -A5 "^\[[0-9]*\] error hang  process $GP " "$W/p.txt" | grep "fix:")
echo "$pfix" | grep -q "this is gunicorn's arbiter (its master process), not a worker: .*; with --preload the application is imported in the arbiter" ||
	fail "preload: the arbiter's fix: $pfix"
echo "$pfix" | grep -q "sends a worker still running" && fail "preload: a worker's words for the arbiter: $pfix"

PORT=$(free_port)
STUCK=atexit LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/m.trace $PY -m gunicorn --max-requests 1 --timeout 3 --graceful-timeout 1 --bind 127.0.0.1:$PORT \
	--workers 1 --pythonpath "$ROOT/tests/apps" stuck_teardown_app:application >"$W/m.log" 2>&1 </dev/null &
GM=$!
wait_http $PORT 30 || { kill -9 $GM; cat "$W/m.log"; fail "max-requests: gunicorn did not come up"; }
curl -s --max-time 10 "http://127.0.0.1:$PORT/" >/dev/null
first=$(awk -v g=$GM '$5 == "forked" && $6 == g { print $1; exit }' "$W/m.trace")
wait_for $GM 60 "the first worker's end after the arbiter's SIGABRT" has_lines "$W/m.trace" 1 "^$first $first .* exit_done"
stop_server $GM TERM gunicorn
"$REPORT" --color=never "$W/m.trace" >"$W/m.txt" 2>&1
msg=$(grep -A1 "^\[[0-9]*\] warning hang  process $first " "$W/m.txt" | tail -1)
echo "$msg" | grep -q "; SIGABRT from process $GM, gunicorn's arbiter (its worker timeout: .*), then interrupted the atexit callback stuck_teardown_app._never" ||
	fail "max-requests: how the hang ended: $msg"
mfix=$(grep -A5 "^\[[0-9]*\] warning hang  process $first " "$W/m.txt" | grep "fix:")
echo "$mfix" | grep -q "this gunicorn worker ended by itself (no SIGTERM reached it: --max-requests" || fail "max-requests: fix: $mfix"

TLSTRACE_HANG_MS=1200 gunicorn_stuck t --worker-class gthread --threads 2 --graceful-timeout 6
stop_server $GPID TERM gunicorn
gunicorn_stuck_end t
tw=$(awk -v g=$GPID '$5 == "forked" && $6 == g { print $1; exit }' "$W/t.trace")
troot=$(grep -A4 "^\[[0-9]*\] error hang  process $tw " "$W/t.txt" | grep "root cause:")
echo "$troot" | grep -Eq "gunicorn's gthread worker left its loop and waits \(concurrent.futures.wait in ThreadWorker.run, up to --graceful-timeout\) for the requests its threads still serve: thread [0-9]+ \"ThreadPoolExecutor-0_0\" \(python3\), at \"[^\"]*/stuck_app.py\", line [0-9]+ in application" ||
	fail "gthread: root cause: $troot"
grep -q "frozen runpy>\", line 88 in _run_code," "$W/t.txt" && fail "gthread: runpy's frame as the main thread's place: $(grep -n '_run_code,' "$W/t.txt")"
exit 0
