#!/bin/bash
# t371: gunicorn's sync worker after its graceful SIGTERM (the arbiter's, on its own SIGTERM):
# the worker's Python handler sets `alive = False` and returns, the worker leaves its loop and
# raises SystemExit, and python3's Py_FinalizeEx frees the application module's objects: one
# whose __del__ loops (a pool's, in pure Python) keeps the worker alive until the arbiter's
# graceful timeout ends it with SIGKILL. The worker's handler watcher sees Py_FinalizeEx on its
# main thread's stack after the handler returned, past the atexit callbacks (`hang_arm
# py_fin_late`), and the report's hang finding names the __del__ of Pool (issue 15, PYDEL13;
# before: py_fin_stack, and "the atexit callback del_app.__del__"). The arbiter and the worker
# end by SIGKILL to their pids once the snapshots are there (no wait on the graceful timeout).
. "$(dirname "$0")/lib.sh"
$PY -c 'import gunicorn' 2>/dev/null || skip "python3-gunicorn not installed"
H=300
mkdir -p "$W/app"
cat >"$W/app/del_app.py" <<'X'
class Pool:
    def drain(self):
        n = 0
        while True:
            n += 1
    def __del__(self):
        self.drain()
pool = Pool()
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
X
PORT=$(free_port)
TLSTRACE_HANG_MS=$H LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/g.trace $PY -m gunicorn --bind 127.0.0.1:$PORT --workers 1 \
	--graceful-timeout 120 --pythonpath "$W/app" del_app:application >"$W/g.log" 2>&1 </dev/null &
G=$!
wait_http $PORT 30 || { kill -9 $G; cat "$W/g.log"; fail "gunicorn did not come up"; }
curl -s --max-time 10 "http://127.0.0.1:$PORT/" >"$W/g.out"
kill -TERM $G
wait_for $G 60 "3 complete snapshots of the worker" has_lines "$W/g.trace" 3 ' hang_end '
WPID=$(awk '$5 == "hang_arm" { print $1; exit }' "$W/g.trace")
[ -n "$WPID" ] && [ "$WPID" != $G ] || { kill -9 $G; fail "no worker's hang_arm: $(grep ' hang' "$W/g.trace")"; }
kill -KILL $WPID $G 2>/dev/null
wait $G
"$REPORT" --color=never "$W/g.trace" >"$W/g.txt" 2>&1
grep -Eq "^$WPID $WPID [0-9]+ F hang_arm py_fin_late $H$" "$W/g.trace" || fail "no hang_arm py_fin_late: $(grep ' hang' "$W/g.trace")"
grep -Eq "^$WPID [0-9]+ [0-9]+ F hang 3 [0-9]+ py_fin_late $WPID$" "$W/g.trace" || fail "no snapshot 3 of py_fin_late"
grep -Eq " hang_py $WPID %20%20File%20\"[^ ]*/del_app.py\",%20line%207%20in%20Pool.__del__$" "$W/g.trace" ||
	fail "no frame named Pool.__del__: $(grep ' hang_py ' "$W/g.trace")"
hang_message_has "$W/g.txt" "still in its teardown [0-9.]* s after SIGTERM's arrival \(python3's own Py_FinalizeEx in its module teardown, after the atexit callbacks, .*inside the __del__ of Pool, del_app\.Pool\.__del__ \(del_app\.py:7\), via del_app\.Pool\.drain \(del_app\.py:[45]\)"
grep -q "atexit callback del_app" "$W/g.txt" && fail "named an atexit callback: $(grep -m1 'atexit callback del_app' "$W/g.txt")"
grep -q "fix: *a __del__ method must not block or loop" "$W/g.txt" || fail "fix: $(grep 'fix:' "$W/g.txt")"
exit 0
