#!/bin/bash
# t418: Apache (event MPM) with mod_wsgi in embedded mode, an app whose atexit callback never
# returns (tests/apps/stuck_teardown_app.py, STUCK=atexit), stopped with SIGTERM: the child's
# teardown begins at SIGTERM's arrival and its handler's cleanups call Py_Finalize
# (wsgi_python_child_cleanup), which runs the callback until the parent's SIGKILL (HANG15; also
# with apache2 -k graceful-stop). The hang's root cause said "the thread that began the teardown,
# ..., did not get further" and its fix "see what the snapshot's threads wait for", where the
# daemon mode's (its handler calls Py_Finalize: why py_fin) named the atexit callback: the rule
# took Python's finalization only from the watchdog's why, and here it is "signal" with
# Py_Finalize open on the hung thread. Now both name the callback and give its fix.
# graceful: the prefork MPM stopped with SIGWINCH (apachectl -k graceful-stop) under
# GracefulShutdownTimeout 2: the child's SIGUSR1 handler sets SIGTERM and SIGHUP to SIG_IGN and
# its exit hangs in the callback; the parent's killpg(SIGTERM) after the timeout is ignored and the
# parent ends without reaping: the child is left running (apache_run kills it). Its unfinished
# finding's fix said only that it was orphaned; now that its parent's group SIGTERM never reached
# it (ignored since its SIGUSR1 handler) and what prefork's graceful stop does.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "Apache's children run as www-data: needs root"
[ -e /usr/lib/apache2/modules/mod_wsgi.so ] || skip "libapache2-mod-wsgi-py3 not installed"
export STUCK=atexit TLSTRACE_HANG_MS=500
UAPP=stuck_teardown_app apache_run a event
"$REPORT" --color=never "$W/a.trace" >"$W/a.txt" 2>&1
grep -Eq "^\[[0-9]+\] error hang" "$W/a.txt" || fail "no hang finding: $(cat "$W/a.txt")"
grep -A3 "error hang" "$W/a.txt" | grep -q "it began (SIGTERM's arrival, then Py_Finalize" ||
	fail "not the case tested (a teardown begun at SIGTERM's arrival): $(grep -A1 'error hang' "$W/a.txt")"
root=$(grep -A4 "^\[[0-9]*\] error hang" "$W/a.txt" | grep "root cause:")
echo "$root" | grep -Eq "root cause: an atexit callback \(\"[^\"]*/stuck_teardown_app.py\", line [0-9]+ in _never\) does not return" ||
	fail "root cause: $root"
fix=$(grep -A4 "^\[[0-9]*\] error hang" "$W/a.txt" | grep "fix:")
echo "$fix" | grep -q "fix: *an atexit callback that waits must have a bound" || fail "fix: $fix"

APACHE_STOP=graceful-stop UAPP=stuck_teardown_app apache_run g prefork
"$REPORT" --color=never "$W/g.trace" >"$W/g.txt" 2>&1
gfix=$(grep -A5 "^\[[0-9]*\] warning unfinished" "$W/g.txt" | grep "fix:")
echo "$gfix" | grep -Eq "fix: *its parent's SIGTERM to its process group \(killpg from [^)]*\) never reached it: it had set SIGTERM to SIG_IGN [0-9.]+ s before \(after SIGUSR1's arrival, in that handler\); under Apache's prefork MPM a graceful stop" ||
	fail "graceful: the orphan's fix: $gfix"
exit 0
