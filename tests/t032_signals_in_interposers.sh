#!/bin/bash
# t032: signals delivered while the shim is inside its interposers (a 50 us SIGALRM whose handler
# calls interposed functions itself, during dlopen/dlclose, key, thread, atexit and fork loops),
# then exit(7) from a SIGUSR1 handler in the middle of interposed calls, as uWSGI does: no
# deadlock (bounded), status 7 as without the shim, every line of the trace whole, the exit
# recorded.
. "$(dirname "$0")/lib.sh"
build sigstorm sigstorm.cc -- -O1 -pthread -ldl
build plugin_quiet.so plugin.cc -- -shared -fPIC -DQUIET
plain run "$BIN/sigstorm" "$BIN/plugin_quiet.so"; PLAIN_RC=$RC
traced run "$BIN/sigstorm" "$BIN/plugin_quiet.so"; TRACED_RC=$RC
same_outcome run
[ $RC = 7 ] || fail "expected exit status 7, got $RC"
main=$(pids run '^tlstrace$')
expect_line run "^$main $main . exit 7$"
expect_line run "^$main $main . exit_done$"
[ "$(awk '$4 == "forked"' "$W/run.norm" | wc -l)" = 6 ] || fail "expected 6 forked children"
$REPORT --no-symbols "$W/run.trace" >/dev/null 2>"$W/report.err"
[ ! -s "$W/report.err" ] || { head "$W/report.err"; fail "the report found bad lines"; }
