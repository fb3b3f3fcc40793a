#!/bin/bash
# t264: a SIGHUP handler that never returns (tests/src/hup_hang.c, as t251) is named as its phase,
# as a SIGTERM handler's hang names its own: "in the SIGHUP handler (often a reload): h", not
# "running", in the hang finding and the unfinished one, text and JSON; and a finding's times each
# have one named origin: the list of signals received says which, the one its header's time counts
# from ("times from its timeline's first line": the arrival), the hang's message counts from the
# arrival ("after the signal arrived"). The SIGTERM
# variant keeps "in the SIGTERM handler: h".
. "$(dirname "$0")/lib.sh"
H=300
# run NAME SIG: hup_hang_run (lib.sh) with H, and its JSON report
run() {
	hup_hang_run "$1" "$2" $H
	"$REPORT" --json "$W/$1.trace" >"$W/$1.json" 2>/dev/null
}
# phases NAME: each finding's "kind: phase", one a line
phases() { $PY -c 'import json,sys; [print(f["kind"] + ": " + f["phase"]) for f in json.load(open(sys.argv[1]))["findings"]]' "$W/$1.json"; }
run hup 1
[ "$(phases hup | grep -c '^\(hang\|unfinished\): in the SIGHUP handler (often a reload): h (hup_hang)$')" = 2 ] ||
	{ phases hup; fail "hup: the phases are not the SIGHUP handler's"; }
[ "$(grep -c '^    phase:      in the SIGHUP handler (often a reload): h (hup_hang)$' "$W/hup.txt")" = 2 ] ||
	{ grep phase: "$W/hup.txt"; fail "hup: text phases"; }
! grep -q "phase: *running" "$W/hup.txt" || fail "hup: a phase says running"
# (the origin is the finding's own, as its header's time: the timeline's first line, the arrival)
grep -Eq "SIGHUP arrived from process [0-9]+ \([^)]*\) at \+0\.000 s on thread [0-9]+, ran h \(times from its timeline's first line, as this finding's time\)" "$W/hup.txt" ||
	{ grep -io "signals sent to it.*" "$W/hup.txt"; fail "hup: the received signals' times have no named origin"; }
grep -Eq "the SIGHUP handler h \(hup_hang\.c:[0-9]+\) in hup_hang has not returned [0-9.]+ s after the signal arrived" "$W/hup.txt" || fail "hup: the hang's time"
run term 15
phases term | grep -q '^hang: in the SIGTERM handler: h (hup_hang)$' || { phases term; fail "term: phase"; }
true
