#!/bin/bash
# t090: a supervisor under the shim forks and execs a child that hangs in an atexit handler with
# SIGTERM ignored; it sends SIGTERM, then SIGKILL, and reaps it. The child's trace stops inside
# the handler; the report takes the parent's reap as its outcome: killed by SIGKILL, sent by the
# parent with kill() from supervise, in "main returned 0 > atexit handler stuck_handler", with the
# SIGTERM before it; alike with both in one trace file and with the child's in a file of its own
# (the forked half of the child is "replaced by exec", not unfinished).
. "$(dirname "$0")/lib.sh"
build signals signals.c -- -pthread
plain_and_traced sup "$BIN/signals" supervise
grep -q "^child: signal 9$" "$W/sup.out" || fail "the child's status: $(cat "$W/sup.out")"
P=$(pids sup '^tlstrace$' | head -1)
expect_order sup "$P" "kill kill 15 [0-9]+ - 0 0 - - signals\\+0x" "kill kill 9 [0-9]+ - 0 0 - - signals\\+0x" \
	"reap waitpid [0-9]+ signal 9 0 0$"
one() { # NAME FILES...
	local name=$1
	shift
	$REPORT --color=never "$@" >"$W/$name.txt" 2>&1
	$REPORT --json "$@" >"$W/$name.json" 2>/dev/null
	f=$W/$name.txt
	grep -Eq "^process [0-9]+ signals: killed by SIGKILL \\(sent by another process\\)" "$f" || { cat "$f"; fail "$name: outcome"; }
	grep -Eq "^process [0-9]+ signals \\(forked from $P\\): replaced by exec" "$f" || fail "$name: the forked half"
	grep -Eq "was killed by SIGKILL, sent by process $P \\(signals, its parent\\) with kill\\(\\) from (supervise|main|stop_child)" "$f" ||
		fail "$name: sender: $(grep 'was killed' "$f")"
	grep -q "phase: *main returned 0 > atexit handler stuck_handler" "$f" || fail "$name: phase: $(grep 'phase:' "$f")"
	grep -q "SIGTERM (kill) from $P (signals) at +" "$f" || fail "$name: the SIGTERM before"
	! grep -Eq "^\\[[0-9]+\\] [a-z]+ unfinished" "$f" || fail "$name: unfinished"
	$PY - "$W/$name.json" "$P" <<'PYEOF' || fail "$name: JSON"
import json, sys
doc, parent = json.load(open(sys.argv[1])), int(sys.argv[2])
child = [p for p in doc["processes"] if p["signal"] == 9]
assert len(child) == 1 and child[0]["reaped_by"] == parent and child[0]["killed_by"] == parent, doc["processes"]
PYEOF
}
one onefile "$W/sup.trace"
rm -f "$W/parent.trace" "$W/child.trace"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/parent.trace "$BIN/signals" supervise "$W/child.trace" >/dev/null 2>&1
P=$(awk '$5 == "tlstrace" { print $1; exit }' "$W/parent.trace")
one twofiles "$W/child.trace" "$W/parent.trace"
exit 0
