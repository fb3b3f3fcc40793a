#!/bin/bash
# t006: the seed extension under uWSGI (Debian's uwsgi-core + python3 plugin), master + 1 worker,
# stopped with SIGINT: the worker's trace shows exit(30), then its TLS destructor for tls_obj, then
# the atexit handler uwsgi_plugins_atexit, and inside it Py_Finalize; the master exits 0.
. "$(dirname "$0")/lib.sh"
command -v uwsgi >/dev/null || skip "uwsgi not installed"
uwsgi_run run INT
[ "$RC" = 0 ] || fail "uWSGI master exited $RC"
grep -q "^touch [0-9]" "$W/run.out" || fail "no response from the app"
worker=$(uwsgi_worker run)
[ -n "$worker" ] || fail "no worker in the trace"
atexit=$(symoff "$(readlink -f "$(command -v uwsgi)")" uwsgi_plugins_atexit)
seq=$(awk -v w="$worker" '$1 == w && $4 == "tls_reg" && $11 == "tls_obj" { print $5 }' "$W/run.norm")
[ -n "$seq" ] || fail "worker registered no tls_obj"
expect_order run "$worker" \
	"^$worker I tls_reg $seq .* tls_obj 0x0 16 -$" \
	"^$worker I exit 30$" \
	"^$worker I tls_dtor $seq " "^$worker I tls_dtor_end $seq$" \
	"^$worker I atexit_run [0-9]+ uwsgi(-core)?\\+$atexit$" \
	"^$worker I py_fin Py_Finalize$"
