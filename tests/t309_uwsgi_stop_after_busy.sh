#!/bin/bash
# t309: a uWSGI worker is stopped only once it is no longer busy with the request the case sent
# (uwsgi_get waits for it: tests/lib/uwsgi_idle.sh), so its stop runs the Python atexit hooks and
# Py_Finalize and the seed bug shows (the use-after-destroy of tls_obj). An after-request hook that
# sleeps keeps the worker busy for 1 s after curl has its response, as a loaded machine once did
# by chance in make demo: before, the SIGINT came in that window, uWSGI skipped the atexit hooks
# ("if busy do not run atexit hooks"), the worker exited 30 and the report had nothing.
. "$(dirname "$0")/lib.sh"
command -v uwsgi >/dev/null || skip "uwsgi not installed"
command -v curl >/dev/null || skip "curl not installed"
build uwsgi_slow_hook.so uwsgi_slow_hook.c -- -shared -fPIC
uwsgi_run run INT --dlopen "$BIN/uwsgi_slow_hook.so" --after-request-hook slow_after_request
grep -q 'added "slow_after_request' "$W/run.log" || fail "uWSGI did not take the hook: $(cat "$W/run.log")"
grep -Eq "^touch [0-9]+ pid [0-9]+$" "$W/run.out" || fail "no response: $(cat "$W/run.out")"
worker=$(uwsgi_worker run)
[ -n "$worker" ] || fail "no worker in the trace"
grep -Eq "^$worker [0-9]+ [0-9]+ . py_fin " "$W/run.trace" ||
	fail "the worker did not run Py_Finalize: stopped while busy (uWSGI skipped its atexit hooks): $(grep "^$worker " "$W/run.trace" | tail -5)"
expect_order run "$worker" "^$worker . uad [0-9]+ 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ tls_obj "
exit 0
