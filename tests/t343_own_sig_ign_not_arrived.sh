#!/bin/bash
# t343: a SIGTERM a traced parent sent to a child that had set SIG_IGN for it itself
# (tests/src/child_ignores_term.c: signal(SIGTERM, SIG_IGN) in ignore_term, then the parent's
# SIGTERM and SIGKILL): a signal-handler finding says it never arrived, that the child's own
# ignore_term set SIG_IGN with signal() (the kernel discards it), and a fix for a program that
# ignores SIGTERM. Before (ATK11): nothing (the rule looked only at inherited masks and
# dispositions); the killed finding listed the SIGTERM as sent with no word that it was ignored.
. "$(dirname "$0")/lib.sh"
build child_ignores_term child_ignores_term.c -- -O0
plain_and_traced ign "$BIN/child_ignores_term"
[ $RC = 0 ] && grep -qx "child: signal 9" "$W/ign.out" || fail "status $RC, $(cat "$W/ign.out")"
"$REPORT" --color=never "$W/ign.trace" >"$W/ign.txt" 2>&1
"$REPORT" --json "$W/ign.trace" >"$W/ign.json" 2>&1
f=$(grep -A4 "^\[[0-9]*\] warning signal-handler" "$W/ign.txt")
echo "$f" | grep -Eq "the SIGTERM that process [0-9]+ \(child_ignores_term\) sent to process [0-9]+ \(child_ignores_term\) never arrived: it ran on until the SIGKILL" ||
	fail "message: $f"
echo "$f" | grep -Eq "root cause: it ignores SIGTERM: ignore_term\+0x[0-9a-f]+ \(child_ignores_term\.c:[0-9]+\) in child_ignores_term set SIG_IGN for it with signal\(\) on thread [0-9]+, [0-9.]+ s before the SIGTERM was sent; the kernel discards an ignored signal" ||
	fail "root cause: $f"
echo "$f" | grep -q "fix: *a process that ignores SIGTERM can be stopped only by SIGKILL" || fail "fix: $f"
$PY -c 'import json, sys; d = json.load(open(sys.argv[1])); assert any(f["kind"] == "signal-handler" and "never arrived" in f["message"] for f in d["findings"])' "$W/ign.json" ||
	fail "--json"
exit 0
