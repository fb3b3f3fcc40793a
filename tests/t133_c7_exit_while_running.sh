#!/bin/bash
# t133: field case c7 (tests/cases/c7_thread_running_during_exit): a logger's thread keeps polling
# a static map while main returns; exit() destroys the map under it: SIGABRT on that thread, with
# and without the shim. The report has an exit-while-running finding: the thread, what it ran
# (Logger::link_to_db's lambda), that it failed in get_db_id after the static destructor
# ~unordered_map of g_db_info ran on the exiting thread, that get_db_id refers to g_db_info; the
# phase is exit()'s static destructors, not "running"; the crash is caused by it; the verdict
# line carries the whole message (it was cut at 400 bytes, mid-word).
. "$(dirname "$0")/lib.sh"
C=$ROOT/tests/cases/c7_thread_running_during_exit
# The race is the program's own: without the shim it has once died by SIGSEGV (the map read
# while freed) rather than the exception's SIGABRT (1 run in ~200). The case runs again, at most
# twice more, only when the run without the shim lost that race; every check below holds for
# the run taken.
for try in 1 2 3; do
	"$C/run" "$ROOT" "$W/c7" >"$W/c7.txt" 2>&1 || { cat "$W/c7.txt"; fail "run failed"; }
	grep -q "^without the shim: killed by SIGABRT" "$W/c7.txt" && break
	echo "try $try: plain run $(grep '^without' "$W/c7.txt"); again"
done
f=$W/c7.txt
grep -q "^without the shim: killed by SIGABRT" "$f" || fail "plain run: $(grep '^without' "$f")"
grep -q "^with the shim: *killed by SIGABRT" "$f" || fail "traced run: $(grep '^with the' "$f")"
grep -Eq "^\[[0-9]+\] error exit-while-running " "$f" || { cat "$f"; fail "no exit-while-running finding"; }
grep -Eq "thread [0-9]+ \(running Logger::link_to_db\(\)::\{lambda\(\)#1\}::operator\(\)\(\) const \(daemon.cc:[0-9]+\) in daemon\) was still running while thread [0-9]+ ran exit\(\), and failed in get_db_id\(.*\) in daemon [0-9.]+ ms after static destructor std::unordered_map<...>::~unordered_map\(\) of g_db_info began" "$f" ||
	fail "message: $(grep 'was still running while' "$f" | head -1)"
grep -q "went on using g_db_info (get_db_id(.*) refers to it in its code) after its destructor ran" "$f" || fail "root cause: $(grep 'root cause' "$f")"
grep -A1 "^verdict" "$f" | grep -Eq "exit-while-running: .* of g_db_info began on thread [0-9]+ \(that destructor had finished: the object was gone\); then crashed with SIGABRT$" ||
	fail "verdict cut or wrong: $(grep -A1 '^verdict' "$f" | tail -1 | tail -c 120)" # the message whole, never cut
! grep -q "phase: *running$" "$f" || fail "a phase says running"
grep -Eq "phase: *main returned 0 > static destructor .* \(thread [0-9]+, exiting\); thread [0-9]+ was still running" "$f" || fail "phase"
$PY - "$W/c7/report.json" <<'PYEOF' || fail "JSON"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
x = next(x for x in f if x["kind"] == "exit-while-running")
crash = next(x for x in f if x["kind"] == "crash")
assert f[crash["caused_by"]]["kind"] == "exit-while-running", crash
assert "g_db_info" in x["root_cause"], x
PYEOF
exit 0
