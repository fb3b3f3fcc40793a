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
field_case h5 h5_modwsgi_subinterpreter_destroy embedded On
f=$F
# Apache's parent sends a killpg and a kill 0.1-1.4 ms apart; until just_die sets SIG_IGN the
# second SIGTERM runs just_die on the app's thread too, and the child then crashes or exits
# instead of hanging. The race exists without the shim (docs/design.md, t122's runs); the shim's
# arrival path widens it, which is not mended (issue 15's note). Such a run is tried once more,
# and said.
if ! grep -q "AH00046: child process [0-9]* still did not exit, sending a SIGKILL" <(sed -n '/^with the shim/,/^==/p' "$f") &&
	awk '$5 == "sig_arrive" && $6 == 15 && !(($1, $2) in t) { t[$1, $2] = 1; if (++n[$1] >= 2) f = 1 } END { exit !f }' "$W/h5/trace.log"; then
	note "the second SIGTERM ran just_die on another thread (the double-arrival race): once more"
	rm -rf "$W/h5"
	field_case h5 h5_modwsgi_subinterpreter_destroy embedded On
	f=$F
fi
grep -q "^without the shim: Apache exit status 0.*still did not exit\\|^without the shim: Apache exit status 0" "$f" || fail "plain run: $(grep '^without' "$f")"
grep -q "AH00046: child process [0-9]* still did not exit, sending a SIGKILL" <(sed -n '/^with the shim/,/^==/p' "$f") || fail "traced run: no SIGKILL from Apache"
h5_hang_checks
# the verdict's line: who sent the SIGTERM that began it, the parent's further SIGTERMs and its
# SIGKILL with when (FRESH15b item 6); the SIGTERMs counted as seen (HANG17: "4 more times" where
# Apache's log has 3): the one its reclaim of children sends ms after its killpg, unlogged, which
# the child had taken already from the killpg, apart from the 3 its log shows; that one is not seen
# in every run (a run on the merged head had none, cause not known): then "3 more times", as the log says
sed -n '/^verdict/,/^$/p' "$f" | grep -Eq "hang: .*after it began \(SIGTERM's arrival from process ([0-9]+) \(apache2\), then Py_EndInterpreter, thread [0-9]+\).*; it was then sent SIGTERM (4 more times by kill\(\) \(1 of them [0-9.]+ ms after the killpg\(SIGTERM\) of its group whose own delivery began its teardown, not in Apache's log; 3 from [0-9.]+ s to [0-9.]+ s after it, its log's \"still did not exit, sending a SIGTERM\"\)|3 more times), then killed by SIGKILL from process \1 \(apache2\) [0-9.]+ s after its teardown began$" ||
	fail "verdict: $(sed -n '/^verdict/,/^$/p' "$f")"
grep -Eq "^process [0-9]+ apache2 \\(forked from [0-9]+\\): killed by SIGKILL" "$f" || fail "child outcome: $(grep '^process' "$f")"
# (Apache prefork's parent first signals its own process group, killpg, which the child is in: HANG16)
grep -Eq "Signals sent to it: SIGTERM \\(kill(pg)?\\) from [0-9]+ \\(apache2\\).*SIGTERM.*SIGTERM.*SIGTERM.*SIGKILL" "$f" || fail "the parent's signals"
grep -q "File \"/usr/lib/python3.11/threading.py\", line [0-9]* in _shutdown" "$f" || fail "no Python stack of the destroying thread"
grep -Eq "#[0-9]+ +Py_EndInterpreter\\+0x[0-9a-f]+ in libpython3.11.so" "$f" || fail "no native frame in Py_EndInterpreter"
# the SIGTERM's arrival (sig_arrive): from the Apache parent, it ran the child's shutdown handler
grep -Eq "SIGTERM arrived from process [0-9]+ \\(apache2, traced; uid 0\\) at [-+0-9.]+ s on thread [0-9]+, ran mod_mpm_prefork\\.so" "$f" ||
	fail "the SIGTERM's arrival: $(grep -o 'SIGTERM arrived[^,]*,[^,]*,[^,]*' "$f" | head -3)"
# the verdict's one line: the join it waits on, and the fix in mod_wsgi's terms too (FRESH14: the
# verdict had the fix's first clause only)
v=$(sed -n '/^verdict/,/^$/p' "$f")
echo "$v" | grep -Eq "waiting on the join of thread [0-9]+ \"refresher\"" || fail "verdict: $v"
echo "$v" | grep -q "fix: .*; under mod_wsgi, \`WSGIDestroyInterpreter Off\`" || fail "verdict's fix: $v"
# not an atexit callback: Py_EndInterpreter (and mod_wsgi's shutdown) run those after the join;
# threading._register_atexit's run before it (FRESH16b P1)
echo "$v" | grep -q "fix: .*stop it from a threading._register_atexit callback" || fail "verdict's fix, the hook: $v"
exit 0
