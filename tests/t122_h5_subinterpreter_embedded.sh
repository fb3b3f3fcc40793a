#!/bin/bash
# t122: field case h5 (tests/cases/h5_modwsgi_subinterpreter_destroy), embedded mode (prefork),
# WSGIDestroyInterpreter On: at Apache stop the child destroys the app's sub-interpreter, which
# joins the app's non-daemon thread "refresher" forever; Apache sends three more SIGTERMs and a
# SIGKILL at about +9 s. The report: Py_EndInterpreter traced (mod_wsgi imports it) and not
# returning; a hang finding naming the sub-interpreter's destruction, the thread at app.py line 10
# in _refresher, the WSGIDestroyInterpreter Off hint; the child killed by SIGKILL from the Apache
# parent, after its SIGTERMs, not "outcome not recorded".
. "$(dirname "$0")/lib.sh"
[ -x /usr/sbin/apache2 ] && [ -f /usr/lib/apache2/modules/mod_wsgi.so ] || skip "apache2 or mod_wsgi missing"
[ "$(id -u)" = 0 ] || skip "needs root (Apache's children run as www-data)"
C=$ROOT/tests/cases/h5_modwsgi_subinterpreter_destroy
"$C/run" "$ROOT" "$W/h5" embedded On >"$W/h5.txt" 2>&1 || { cat "$W/h5.txt"; fail "run failed"; }
f=$W/h5.txt
grep -q "^without the shim: Apache exit status 0.*still did not exit\\|^without the shim: Apache exit status 0" "$f" || fail "plain run: $(grep '^without' "$f")"
grep -q "AH00046: child process [0-9]* still did not exit, sending a SIGKILL" <(sed -n '/^with the shim/,/^==/p' "$f") || fail "traced run: no SIGKILL from Apache"
grep -Eq "Py_EndInterpreter \\(sub-interpreter, thread state 0x[0-9a-f]+\\) +\\[did not return\\]" "$f" || fail "no Py_EndInterpreter in the timeline"
grep -Eq "^process [0-9]+ apache2 \\(forked from [0-9]+\\): killed by SIGKILL" "$f" || fail "child outcome: $(grep '^process' "$f")"
grep -Eq "was killed by SIGKILL, sent by process [0-9]+ \\(apache2\\).* after its teardown began \\(Py_EndInterpreter\\)" "$f" || fail "killed finding"
grep -Eq "signals sent to it by traced processes: SIGTERM \\(kill\\) from [0-9]+ \\(apache2\\).*SIGTERM.*SIGTERM.*SIGTERM.*SIGKILL" "$f" || fail "the parent's signals"
grep -Eq "^\\[[0-9]+\\] error hang " "$f" || { cat "$f"; fail "no hang finding"; }
grep -q "root cause: destroying a sub-interpreter (Py_EndInterpreter) first joins its non-daemon threads (threading._shutdown), and its thread is still running: thread [0-9]* (apache2), at \"[^\"]*app.py\", line 10 in _refresher" "$f" ||
	fail "hang root cause: $(grep -A4 'error hang' "$f")"
grep -q "WSGIDestroyInterpreter Off" "$f" || fail "no hint"
grep -q "File \"/usr/lib/python3.11/threading.py\", line [0-9]* in _shutdown" "$f" || fail "no Python stack of the destroying thread"
grep -Eq "#[0-9]+ +Py_EndInterpreter\\+0x[0-9a-f]+ in libpython3.11.so" "$f" || fail "no native frame in Py_EndInterpreter"
# the SIGTERM's arrival (sig_arrive): from the Apache parent, it ran the child's shutdown handler
grep -Eq "SIGTERM arrived from process [0-9]+ \\(apache2, traced; uid 0\\) at [-+0-9.]+ s on thread [0-9]+, ran mod_mpm_prefork\\.so" "$f" ||
	fail "the SIGTERM's arrival: $(grep -o 'SIGTERM arrived[^,]*,[^,]*,[^,]*' "$f" | head -3)"
exit 0
