#!/bin/bash
# t123: field case h5 in daemon mode (event MPM, WSGIDaemonProcess), WSGIDestroyInterpreter On:
# the daemon process hangs in Py_EndInterpreter, joining the app's thread, until the Apache parent
# sends SIGKILL at about +3 s. The hang finding (snapshot at 2 s) names the destruction and the
# thread at app.py line 10 in _refresher, and the thread the join waits on; the daemon process is
# killed by SIGKILL from the parent.
. "$(dirname "$0")/lib.sh"
[ -x /usr/sbin/apache2 ] && [ -f /usr/lib/apache2/modules/mod_wsgi.so ] || skip "apache2 or mod_wsgi missing"
[ "$(id -u)" = 0 ] || skip "needs root (Apache's children run as www-data)"
field_case h5 h5_modwsgi_subinterpreter_destroy daemon On
f=$F
grep -q "^with the shim: *Apache exit status 0" "$f" || fail "traced run: $(grep '^with the' "$f")"
h5_hang_checks
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
