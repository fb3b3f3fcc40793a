#!/bin/bash
# t123: field case h5 in daemon mode (event MPM, WSGIDaemonProcess), WSGIDestroyInterpreter On:
# the daemon process hangs in Py_EndInterpreter, joining the app's thread, until the Apache parent
# sends SIGKILL at about +3 s. The hang finding (snapshot at 2 s) names the destruction and the
# thread at app.py line 10 in _refresher, and the thread the join waits on; the daemon process is
# killed by SIGKILL from the parent. The destruction waits for the mod_wsgi thread that imported
# threading in the sub-interpreter, whatever the app's thread does (mod_wsgi 4.9.1's release notes):
# the fix, in the verdict too, is WSGIDestroyInterpreter Off alone, and the verdict's join is the
# thread its fix is about (FRESH15b item 1: it waited on that thread, its fix made "refresher" a
# daemon thread). threading._shutdown's set has no order: the trace again with the join of the
# app's thread first (its hang_pylock line's holder) says the same fix.
. "$(dirname "$0")/lib.sh"
[ -x /usr/sbin/apache2 ] && [ -f /usr/lib/apache2/modules/mod_wsgi.so ] || skip "apache2 or mod_wsgi missing"
[ "$(id -u)" = 0 ] || skip "needs root (Apache's children run as www-data)"
field_case h5 h5_modwsgi_subinterpreter_destroy daemon On
f=$F
grep -q "^with the shim: *Apache exit status 0" "$f" || fail "traced run: $(grep '^with the' "$f")"
h5_hang_checks daemon
# the other order: the main thread's join on the app's thread ("refresher"), the importer after it
tr=$W/h5/trace.log
main=$(awk '$5 == "hang_pylock" && $7 == "join" { print $6; exit }' "$tr")
ref=$(awk '$5 == "hang_thread" && $NF == "refresher" { print $6; exit }' "$tr")
[ -n "$main" ] && [ -n "$ref" ] || fail "no join or no refresher in the snapshot"
awk -v m="$main" -v r="$ref" '$5 == "hang_pylock" && $6 == m && $7 == "join" { $9 = r } { print }' "$tr" >"$W/swapped.trace"
$REPORT --color=never "$W/swapped.trace" >"$W/swapped.txt" 2>&1
h5_daemon_checks "$W/swapped.txt"
grep -q "and the join waits (after the thread it waits on now) for thread" "$W/swapped.txt" || fail "swapped: $(grep 'root cause' "$W/swapped.txt")"
# the SIGTERM's arrival (sig_arrive): from the Apache parent, it ran the child's shutdown handler
grep -Eq "SIGTERM arrived from process [0-9]+ \\(apache2, traced; uid 0\\) at [-+0-9.]+ s on thread [0-9]+, ran mod_wsgi\\.so" "$f" ||
	fail "the SIGTERM's arrival: $(grep -o 'SIGTERM arrived[^,]*,[^,]*,[^,]*' "$f" | head -3)"
$PY - "$W/h5/report.json" <<'PYEOF' || fail "JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
hang = [f for f in doc["findings"] if f["kind"] == "hang"]
assert len(hang) == 1, [f["kind"] for f in doc["findings"]]
me = [t for t in hang[0]["threads"] if t["tid"] == hang[0]["tid"]][0]
# a join (the shim's hang_pylock): of the app's thread, or of the thread that imported threading
# in the sub-interpreter (its _main_thread, a mod_wsgi thread): _shutdown's set gives either first
assert me["waits_on"] and me["waits_on"]["kind"] == "join" and me["waits_on"]["holder_in_process"], me
assert any(l.endswith("[sub-interpreter]") for l in me["python_traceback"]), me["python_traceback"]
PYEOF
exit 0
