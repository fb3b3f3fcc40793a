#!/bin/bash
# t143: a SIGABRT or SIGSEGV another process sends (kill) to a program that leaves it at SIG_DFL is
# a received signal, not a crash: the report's finding is `killed` ("killed by SIGABRT, sent by
# process N (termsig ...)"), with the backtrace of the thread that took it, and no `crash`
# finding and no fault address; the program dies by the signal as without the shim. The
# process's own abort() stays a crash (t011, t034).
. "$(dirname "$0")/lib.sh"
ulimit -S -c 0
build termsig termsig.c -- -pthread
for s in ABRT SEGV; do
	plain_and_traced "dfl_$s" "$BIN/termsig" dfl $s
	"$REPORT" "$W/dfl_$s.trace" >"$W/dfl_$s.report" 2>&1
	[ $? = 1 ] || fail "$s: the report's exit status"
	grep -Eq "^\[1\] error killed " "$W/dfl_$s.report" || { cat "$W/dfl_$s.report"; fail "$s: no killed finding"; }
	grep -Eq "was killed by SIG$s, sent by process [0-9]+ \(termsig" "$W/dfl_$s.report" ||
		{ cat "$W/dfl_$s.report"; fail "$s: the sender"; }
	! grep -Eq "error crash |SIG$s \(.*\) at 0x" "$W/dfl_$s.report" || { cat "$W/dfl_$s.report"; fail "$s: reported as a crash"; }
	"$REPORT" --json "$W/dfl_$s.trace" >"$W/dfl_$s.json" 2>/dev/null
	$PY - "$W/dfl_$s.json" "$s" <<'PYEOF' || fail "$s: JSON"
import json, sys
d = json.load(open(sys.argv[1]))
kinds = [f["kind"] for f in d["findings"]]
assert kinds == ["killed"], kinds
f = d["findings"][0]
assert f["signal"] == {"ABRT": 6, "SEGV": 11}[sys.argv[2]], f["signal"]
bt = f.get("backtrace") or []
assert any("main" in (fr.get("function") or "") or "termsig" in json.dumps(fr) for fr in bt), bt
PYEOF
done
