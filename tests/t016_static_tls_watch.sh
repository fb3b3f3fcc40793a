#!/bin/bash
# t016: static TLS (the executable's thread_local, no __tls_get_addr call) read through a stale
# pointer from an atexit handler:
# - default: nothing is changed, the program ends as without the shim;
# - TLSTRACE_WATCH=poison: the destroyed object is overwritten with the poison pattern, the
#   dereference faults at 0xffffd5d5..., poison_hit names `conn`, the report has the
#   use-after-destroy;
# - TLSTRACE_WATCH=hw / auto: hardware breakpoints are probed when the first thread_local is
#   destroyed; where they count nothing (this project's VMs) the shim says so in a `watch off` line
#   and watches nothing, the program ending as without the shim (t165); where they work, the
#   access is reported and the program continues.
. "$(dirname "$0")/lib.sh"
ulimit -c 0
build static_tls static_tls.cc
plain default "$BIN/static_tls"; PLAIN_RC=$RC
traced default "$BIN/static_tls"; TRACED_RC=$RC
same_outcome default
[ $RC = 0 ] || fail "default mode changed the outcome: $RC"
expect_no_line default " (poison|poison_hit|watch|crash) "

TLSTRACE_WATCH=poison traced poison "$BIN/static_tls"
[ $RC = 139 ] || fail "poison: expected the stale dereference to fault (139), got $RC"
expect_line poison " watch poison requested$"
expect_line poison " poison [0-9]+ 0x[0-9a-f]+ 8$"
expect_line poison " poison_hit [0-9]+ 0x[0-9a-f]+ conn 0xffffd5d5[0-9a-f]{4}0004 static_tls\\+0x"
$REPORT --json "$W/poison.trace" >"$W/poison.json"; [ $? = 1 ] || fail "poison: report found nothing"
$PY -c '
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
u = next(x for x in f if x["kind"] == "use-after-destroy")
assert u["tls"]["symbol"] == "conn" and "atexit handler" in u["phase"], u
' "$W/poison.json" || fail "poison: report"

for mode in hw auto; do
	TLSTRACE_WATCH=$mode traced $mode "$BIN/static_tls"
	if grep -q " watch hw " "$W/$mode.trace"; then
		note "$mode: hardware breakpoints work on this machine"
		[ $RC = 0 ] || fail "$mode: hw mode must let the program continue, got $RC"
		expect_line $mode " poison_hit [0-9]+ 0x[0-9a-f]+ conn "
	else
		expect_line $mode " watch off breakpoint%20events%20do%20not%20fire%20here%20\\(count%200\\)$|watch off perf_event_open"
		[ $RC = 0 ] || fail "$mode: with breakpoints not firing, nothing is watched: expected exit 0, got $RC"
		expect_no_line $mode " (poison|poison_hit) "
	fi
done
