# tests/lib/pylock.sh - t296-t298: a Python teardown that hangs on a lock (tests/apps/py_lock_waits.py).
# pylock_run MODE: the program under the shim (TLSTRACE_HANG_MS=300) until its three snapshots are
# in the trace (polled; at most 20 s), then SIGKILLed by pid; writes $W/MODE.trace, MODE.txt (the
# report), MODE.json, MODE.tids (ROLE TID lines) and sets the tids MAIN, WORKER, HOLDER, WAITER.
pylock_run() {
	local m=$1 pid i
	rm -f "$W/$m.trace" "$W/$m.tids"
	TLSTRACE_HANG_MS=300 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$m.trace $PY "$ROOT/tests/apps/py_lock_waits.py" "$m" "$W/$m.tids" \
		>"$W/$m.out" 2>&1 &
	pid=$!
	for i in $(seq 1000); do
		[ "$(grep -c ' hang_end ' "$W/$m.trace" 2>/dev/null)" -ge 3 ] && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.02
	done
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	grep -q '^ready$' "$W/$m.tids" 2>/dev/null || fail "$m: the program did not get ready: $(cat "$W/$m.out")"
	[ "$(grep -c ' hang_end ' "$W/$m.trace")" -ge 3 ] || fail "$m: not three snapshots"
	"$REPORT" --color=never "$W/$m.trace" >"$W/$m.txt" 2>&1
	"$REPORT" --json "$W/$m.trace" >"$W/$m.json" 2>/dev/null
	MAIN=$(awk '$1 == "main" { print $2 }' "$W/$m.tids")
	WORKER=$(awk '$1 == "worker" { print $2 }' "$W/$m.tids")
	HOLDER=$(awk '$1 == "holder" { print $2 }' "$W/$m.tids")
	WAITER=$(awk '$1 == "waiter" { print $2 }' "$W/$m.tids")
}

# pyname NAME: a grep pattern of a Python thread's words in the report: 3.11 and 3.13 read its
# threading.Thread's name ("NAME" (python3)), 3.14 gives it to the OS thread ((NAME) in a
# sentence, "NAME" (NAME) in the snapshot's thread line)
pyname() { printf '%s' "\(\"$1\" (python3[^)]*)\|\"$1\" ($1[^)]*)\|($1[^)]*)\)"; }

# pylock_waits MODE TID KIND HOLDER: in the last snapshot's JSON, thread TID waits on KIND held by
# HOLDER ("" for none)
pylock_waits() {
	$PY - "$W/$1.json" "$2" "$3" "$4" <<'PYEOF' || fail "$1: JSON waits_on of thread $2 (not $3 held by ${4:-nobody})"
import json, sys
doc = json.load(open(sys.argv[1]))
tid, kind, holder = int(sys.argv[2]), sys.argv[3], int(sys.argv[4]) if sys.argv[4] else None
hang = [f for f in doc["findings"] if f["kind"] == "hang"][0]
w = [t for t in hang["threads"] if t["tid"] == tid][0]["waits_on"]
assert w and w["kind"] == kind and w["holder"] == holder, w
assert holder is None or w["holder_in_process"], w
PYEOF
}

# pylock_traced MODE TID KIND HOLDER: the trace has the shim's hang_pylock line for thread TID:
# KIND held by HOLDER ("-": none)
pylock_traced() {
	grep -q " hang_pylock $2 $3 0x[0-9a-f]* $4\$" "$W/$1.trace" ||
		fail "$1: no hang_pylock line for thread $2 ($3, holder $4): $(grep hang_pylock "$W/$1.trace" | head -3)"
}
