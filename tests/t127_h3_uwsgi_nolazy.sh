#!/bin/bash
# t127: field case h3 without lazy-apps: the app's thread runs in the master; each worker, forked
# from it, has the thread's Python state but not the thread, and its exit()'s Py_Finalize waits
# for it until the master's SIGKILL. The hang finding says the joined thread does not exist in
# the worker (forked while it ran in the master) and how to avoid it (--lazy-apps, postfork).
. "$(dirname "$0")/lib.sh"
command -v uwsgi >/dev/null || [ -x /usr/bin/uwsgi-core ] || skip "uwsgi missing"
C=$ROOT/tests/cases/h3_uwsgi_app_thread_no_mercy
"$C/run" "$ROOT" "$W/h3" nolazy >"$W/h3.txt" 2>&1 || { cat "$W/h3.txt"; fail "run failed"; }
f=$W/h3.txt
[ "$(grep -Ec '^process [0-9]+ uwsgi-core \(forked from [0-9]+\): killed by SIGKILL' "$f")" -ge 2 ] || fail "workers: $(grep '^process' "$f")"
[ "$(grep -Ec '^\[[0-9]+\] error hang ' "$f")" -ge 2 ] || fail "hang findings: $(grep -c 'error hang' "$f")"
grep -q "but this process has no other thread: it was forked from process [0-9]* while a non-daemon Python thread ran there" "$f" ||
	fail "hang root cause: $(grep -A4 'error hang' "$f" | head -5)"
grep -q "lazy-apps" "$f" || fail "no fix"
# the verdict's join names the master's thread the fork did not copy, not "a thread not in the
# snapshot" (FRESH16b P2)
sed -n '/^verdict/,/^$/p' "$f" | grep -Eq "waiting on the join of thread [0-9]+ (\"[a-z]+\" )?of its parent [0-9]+ \(uwsgi-core\), which was running when this process was forked: fork copied its thread state, not the thread" ||
	fail "verdict: $(sed -n '/^verdict/,/^$/p' "$f")"
exit 0
