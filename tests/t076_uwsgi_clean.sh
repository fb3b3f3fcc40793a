#!/bin/bash
# t076: a clean uWSGI run has no finding, on every release (tests/chroot runs it in Debian 13 and
# unstable): the seed app with the fix the report suggests, --skip-atexit-teardown (the worker
# exits without finalizing Python, its tls_obj destroyed by exit()), stopped with SIGINT; the
# master and the worker both load libstdc++ with the extension.
. "$(dirname "$0")/lib.sh"
command -v uwsgi >/dev/null || skip "uwsgi not installed"
uwsgi_run skip INT --skip-atexit-teardown
[ $RC = 0 ] || fail "master exited $RC"
grep -q "^touch [0-9]" "$W/skip.out" || fail "no response from the app"
w=$(uwsgi_worker skip)
[ -n "$w" ] || fail "no worker in the trace"
expect_order skip "$w" "^$w . exit 30$" "^$w . tls_dtor " "^$w . exit_done$"
expect_no_line skip " (py_fin|uad|crash) "
expect_no_findings skip uWSGI
