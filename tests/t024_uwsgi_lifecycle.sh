#!/bin/bash
# t024: uWSGI's other ways to end a worker, each with the seed app: SIGTERM to the master (a
# brutal reload: workers killed, master re-execs, new worker), SIGHUP (graceful reload), a
# --max-requests respawn (--min-worker-lifetime 0). Every worker that ends shows the same
# teardown order (exit, its TLS destructor, uwsgi_plugins_atexit, Py_Finalize, use of tls_obj,
# SIGSEGV, exit 1) and the report finds it; the re-exec'd master is one pid, two programs. Then
# the fix the report suggests, --skip-atexit-teardown: the worker exits without finalizing
# Python, nothing crashes, no finding.
. "$(dirname "$0")/lib.sh"
command -v uwsgi >/dev/null || skip "uwsgi not installed"
atexit=$(symoff "$(readlink -f "$(command -v uwsgi)")" uwsgi_plugins_atexit)
ext='seedext\.cpython-[^ ]*\.so'

check_worker() { # NAME PID EXIT-STATUS
	local w=$2
	expect_order "$1" "$w" \
		"^$w I exit $3$" \
		"^$w I tls_dtor [0-9]+ 0x[0-9a-f]+ $ext" "^$w I tls_dtor_end " \
		"^$w I atexit_run [0-9]+ uwsgi(-core)?\\+$atexit$" \
		"^$w I py_fin Py_Finalize$" \
		"^$w A uad [0-9]+ 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ tls_obj " \
		"^$w A crash 11 " "^$w A crash_end chain$" \
		"^$w A exit 1$"
}
# every worker that served a request (registered tls_obj) ended the same way; returns how many
check_workers() { # NAME
	local w n=0
	for w in $(awk '$4 == "tls_reg" && $11 == "tls_obj" { print $1 }' "$W/$1.norm" | sort -u); do
		check_worker "$1" "$w" "[0-9]+"
		n=$((n + 1))
	done
	[ $n -ge 2 ] || fail "$1: expected at least 2 workers that served requests, got $n"
	NWORKERS=$n
}
check_report() { # NAME NWORKERS
	$REPORT --json "$W/$1.trace" >"$W/$1.json"; [ $? = 1 ] || fail "$1: report found nothing"
	$PY - "$W/$1.json" "$2" <<'PYEOF' || fail "$1: report"
import json, sys
doc = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
f = doc["findings"]
uad = {x["pid"] for x in f if x["kind"] == "use-after-destroy" and x["tls"]["symbol"] == "tls_obj"}
crash = {x["pid"] for x in f if x["kind"] == "crash" and x["signal"] == 11}
assert len(uad) == n and uad == crash, (uad, crash)
workers = [p for p in doc["processes"] if p["forked"]]
assert all(p["exit"] == 1 and p["crashed"] for p in workers if p["pid"] in uad), workers
PYEOF
}

# SIGTERM: brutal reload, then SIGINT
uwsgi_start term
uwsgi_get
kill -TERM $UPID
uwsgi_forks 2
uwsgi_get
uwsgi_stop INT
[ $RC = 0 ] || fail "SIGTERM: master exited $RC"
normalize term
check_workers term
[ "$(awk -v m=$UPID '$1 == m && $4 == "tlstrace"' "$W/term.norm" | wc -l)" = 2 ] || fail "SIGTERM: the master's re-exec is not two programs"
$REPORT "$W/term.trace" | grep -q -E "^process $UPID uwsgi(-core)?: replaced by exec" || fail "SIGTERM: the report does not show the exec"
check_report term $NWORKERS

# SIGHUP: graceful reload, then SIGINT
uwsgi_start hup
uwsgi_get
kill -HUP $UPID
uwsgi_forks 2
uwsgi_get
uwsgi_stop INT
[ $RC = 0 ] || fail "SIGHUP: master exited $RC"
check_workers hup
check_report hup $NWORKERS

# --max-requests respawn
uwsgi_start maxreq --max-requests 2 --min-worker-lifetime 0
uwsgi_get
uwsgi_get
uwsgi_forks 2
uwsgi_get
uwsgi_stop INT
[ $RC = 0 ] || fail "max-requests: master exited $RC"
check_workers maxreq
grep -q "max requests reached\|goodbye" "$W/maxreq.log" || note "uWSGI did not log the respawn reason"
check_report maxreq $NWORKERS

# the suggested fix
uwsgi_run skip INT --skip-atexit-teardown
[ $RC = 0 ] || fail "skip-atexit-teardown: master exited $RC"
w=$(uwsgi_worker skip)
expect_order skip "$w" "^$w I exit 30$" "^$w I tls_dtor " "^$w I exit_done$"
expect_no_line skip " (py_fin|uad|crash) "
$REPORT "$W/skip.trace" >"$W/skip.report"; [ $? = 0 ] || { cat "$W/skip.report"; fail "skip-atexit-teardown: the report still has findings"; }
