#!/bin/bash
# t126: field case h3 (tests/cases/h3_uwsgi_app_thread_no_mercy), lazy-apps: the app's non-daemon
# thread keeps each worker's exit() inside Py_Finalize (uwsgi_plugins_atexit) until the master's
# mercy ends it with SIGKILL, at reload (SIGHUP, exit(17)) and at shutdown (SIGINT, exit(30)).
# The report: each worker killed by SIGKILL from the master (uwsgi_master_check_mercy), not "exit
# status 30"; a hang finding in exit > uwsgi_plugins_atexit > Py_Finalize naming the thread at
# app.py in _listen, with the daemon fix and uWSGI's mercy.
. "$(dirname "$0")/lib.sh"
command -v uwsgi >/dev/null || [ -x /usr/bin/uwsgi-core ] || skip "uwsgi missing"
C=$ROOT/tests/cases/h3_uwsgi_app_thread_no_mercy
"$C/run" "$ROOT" "$W/h3" lazy >"$W/h3.txt" 2>&1 || { cat "$W/h3.txt"; fail "run failed"; }
f=$W/h3.txt
grep -q "^with the shim: *master exit status 0" "$f" || fail "traced run: $(grep '^with the' "$f")"
[ "$(grep -Ec '^process [0-9]+ uwsgi-core \(forked from [0-9]+\): killed by SIGKILL' "$f")" -ge 2 ] || fail "workers: $(grep '^process' "$f")"
grep -Eq "was killed by SIGKILL, sent by process [0-9]+ \\(uwsgi-core, its parent\\) with kill\\(\\) from uwsgi_master_check_mercy[^,]*, [0-9.]+ s after its teardown began \\((SIG[A-Z]+'s arrival, then )?exit\\)" "$f" || fail "killed finding"
grep -q "SIGKILL ended the process in: exit(30) > atexit handler uwsgi_plugins_atexit > Py_Finalize" "$f" || fail "shutdown phase"
grep -q "SIGKILL ended the process in: exit(17) > atexit handler uwsgi_plugins_atexit > Py_Finalize" "$f" || fail "reload phase"
[ "$(grep -Ec '^\[[0-9]+\] error hang ' "$f")" -ge 2 ] || fail "hang findings: $(grep -c 'error hang' "$f")"
grep -q "a non-daemon thread is still running: thread [0-9]* \"listener\" (uwsgi), at \"[^\"]*app.py\", line [0-9]* in _listen" "$f" || fail "hang root cause"
grep -q "worker-reload-mercy" "$f" || fail "no uWSGI hint"
! grep -Eq "^process [0-9]+ uwsgi-core \\(forked.*exit status 30" "$f" || fail "a worker shows exit status 30"
# one rule for when each worker's teardown began (the handler's exit() right after the signal's
# arrival): the killed and the hang finding of a worker name the same beginning
! grep -q "after it began (signal," "$f" || fail "hang: began at a signal not named: $(grep 'after it began (signal' "$f")"
# one wording for the two workers' starts, each stopped by a signal whose handler called exit():
# SIGHUP's (reload) and SIGINT's (shutdown) arrival named alike (FRESH11: "(exit)" beside
# "(SIGINT's arrival, then exit)")
[ "$(grep -Ec "^    process [0-9]+ \\(uwsgi-core\\) was killed by SIGKILL.* after its teardown began \\(SIG(HUP|INT)'s arrival, then exit\\)\$" "$f")" = 2 ] ||
	fail "workers' starts: $(grep -o 'after its teardown began ([^)]*)' "$f")"
# uWSGI (the executable) installing its SIGINT handler over libpython's is the host's own choice,
# not a library taking over its signals (s1's kind, t089)
! grep -Eq "^\\[[0-9]+\\] warning signal-handler " "$f" || fail "host's handler flagged: $(grep -A1 'warning signal-handler' "$f")"
# the master: the workers' parent
master=$(sed -n 's/^process [0-9]* uwsgi-core (forked from \([0-9]*\)): killed by SIGKILL.*/\1/p' "$f" | head -1)
# the verdict's lines carry who stopped each worker, with the exit's status, and when the master's
# SIGKILL came (FRESH15b item 6: "SIGHUP's arrival, then exit", no sender, no time)
[ "$(sed -n '/^verdict/,/^$/p' "$f" | grep -Ec "hang: .*after it began \(SIG(HUP|INT)'s arrival from process $master \(uwsgi-core\), then exit\((17|30)\), thread [0-9]+\).*; it was then killed by SIGKILL from process $master \(uwsgi-core\) [0-9.]+ s after its teardown began$")" = 2 ] ||
	fail "verdict: $(sed -n '/^verdict/,/^$/p' "$f")"
for pid in $(sed -n 's/^\[[0-9]*\] error hang  process \([0-9]*\) .*/\1/p' "$f"); do
	k=$(sed -n "s/^    process $pid (.*) was killed by .*after its teardown began (\(.*\))\$/\1/p" "$f")
	h=$(sed -n "s/^    process $pid (.*) was still in its teardown .* after it began (\(.*\), thread [0-9]*).*/\1/p" "$f")
	# (the hang's, the verdict's line, adds the sender and exit's status: FRESH15b item 6)
	hs=$(echo "$h" | sed -E 's/ from process [0-9]+ \(uwsgi-core\)//; s/exit\([0-9]+\)/exit/')
	[ "$hs" = "$k" ] || fail "worker $pid: killed finding says teardown began ($k), hang finding ($h)"
	echo "$h" | grep -Eq "^SIG(HUP|INT)'s arrival from process $master \(uwsgi-core\), then exit\((17|30)\)$" ||
		fail "worker $pid: the hang's beginning does not name the master and the exit's status: $h"
done
# the hook that runs before the join, in uWSGI's terms: uwsgi.atexit, not "the end of the main
# code", which a WSGI application has none of (FRESH16b)
grep -q "fix: make thread [0-9]* (\"listener\") a daemon thread (threading.Thread(daemon=True)), or stop it from a shutdown hook that runs before the join: under uWSGI, a function set as uwsgi.atexit (uWSGI calls it before Py_Finalize)" "$f" ||
	fail "the fix's hook: $(grep -m1 'fix: make thread' "$f")"
# a snapshot the master's SIGKILL cut short is not the finding's (t240): its threads are the last complete one's
! grep -Eq "snapshot [0-9]+ of the hang watchdog, 0 threads" "$f" || fail "a hang finding from a cut snapshot: $(grep -o "snapshot [0-9]* of the hang watchdog, 0 threads.*" "$f" | head -1)"
# the same trace as if TLSTRACE_HANG_MS were above the mercy (its config lines say 5000, its
# snapshots taken out): the fix names uWSGI's setting for the grace period (grace_setting)
awk '$5 ~ /^hang/ && $5 != "hang_arm" { next } $5 == "config" { sub(/hang=[0-9]+/, "hang=5000") } { print }' "$W/h3/trace.log" >"$W/early.trace"
"$REPORT" --color=never "$W/early.trace" >"$W/early.txt" 2>&1
[ "$(grep -cF "fix:        to see what its threads wait on, set TLSTRACE_HANG_MS below the supervisor's grace period (uWSGI's --worker-reload-mercy (--reload-mercy for a whole stop); here TLSTRACE_HANG_MS=" "$W/early.txt")" = 2 ] ||
	fail "early: $(grep 'fix:' "$W/early.txt")"
# times relative to the teardown's start print +0.000, never -0.000
! grep -q 'at -0\.000 s' "$f" || fail "a time printed as -0.000 s: $(grep -o '[^,]*at -0\.000 s' "$f" | head -2)"
exit 0
