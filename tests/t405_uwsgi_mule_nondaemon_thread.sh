#!/bin/bash
# t405: a uWSGI mule (--mule=mule_poller.py) whose script started a non-daemon thread: at the stop
# (SIGINT to the master) the mule's end_me calls exit(), whose uwsgi_plugins_atexit runs Py_Finalize,
# whose threading._shutdown joins that thread until the master's --mule-reload-mercy ends in
# SIGKILL. The mule's Python stack has its script's <module> frame outside threading._shutdown (the
# signal cut into its time.sleep): the report took it for a callback of the program's and said
# "thread N joins thread M "mule-poller" ..., which has not ended" with the fix "tell the thread to
# stop before joining it"; now it is Python's join of a non-daemon thread (h3's words), with the
# mule's mercy, --mule-reload-mercy, in the fix, with the value its command line gave. TLSTRACE_HANG_MS 300; no time is asserted.
. "$(dirname "$0")/lib.sh"
command -v uwsgi >/dev/null || skip "uwsgi not installed"
export TLSTRACE_HANG_MS=300
UAPP=stuck_app uwsgi_start mule --mule="$ROOT/tests/apps/mule_poller.py" --mule-reload-mercy 2
wait_for $UPID 30 "the mule's thread" has_lines "$W/mule.log" 1 "mule ready"
uwsgi_stop INT
[ $RC = 0 ] || fail "uWSGI: status $RC"
"$REPORT" --color=never "$W/mule.trace" >"$W/mule.txt" 2>&1
grep -q "NO MERCY" "$W/mule.log" || fail "the master did not kill the mule: $(tail "$W/mule.log")"
root=$(grep -A4 "^\[[0-9]*\] error hang" "$W/mule.txt" | grep "root cause:")
echo "$root" | grep -Eq "root cause: Python joins every non-daemon thread \(threading._shutdown, in Py_FinalizeEx\) before it runs the atexit callbacks; a non-daemon thread is still running: thread [0-9]+ \"mule-poller\" " ||
	fail "root cause: $root"
fix=$(grep -A4 "^\[[0-9]*\] error hang" "$W/mule.txt" | grep "fix:")
echo "$fix" | grep -q "fix: *make thread [0-9]* (\"mule-poller\") a daemon thread .*under uWSGI a mule's exit() runs Py_Finalize (uwsgi_plugins_atexit), .*--mule-reload-mercy (2 s in its command line)" ||
	fail "fix: $fix"
exit 0
