#!/bin/bash
# t101: tlstrace-report's strict options: --version names the release and the trace format (one
# source: VERSION); --chrome - writes only the Chrome JSON; --json --chrome - is refused; --pid N
# and --diff FILE:N with a pid not in the trace exit 2 with a message; an unreadable input writes
# nothing on stdout, nor does an unwritable --chrome FILE; --help lists every long option the program accepts; the wrapper's --version.
. "$(dirname "$0")/lib.sh"
G=$ROOT/tests/golden
v=$(cat "$ROOT/VERSION")
fv=$(sed -n 's/^#define TLSTRACE_FORMAT_VERSION \([0-9]*\).*/\1/p' "$ROOT/shim/format.h")
[ "$($REPORT --version)" = "tlstrace-report $v (trace format $fv)" ] || fail "--version: $($REPORT --version)"
[ "$("$ROOT/tlstrace" --version)" = "tlstrace $v" ] || fail "wrapper --version: $("$ROOT/tlstrace" --version)"
$REPORT --no-symbols --chrome - "$G/uwsgi_seed.trace" >"$W/c.json"
$PY -c 'import json,sys; json.load(open(sys.argv[1]))["traceEvents"]' "$W/c.json" || fail "--chrome - is not JSON alone"
$REPORT --json --chrome - "$G/uwsgi_seed.trace" >"$W/jc.out" 2>"$W/jc.err"; rc=$?
[ $rc = 2 ] && [ ! -s "$W/jc.out" ] && grep -q "stdout" "$W/jc.err" || fail "--json --chrome -: status $rc"
$REPORT --pid 1 "$G/uwsgi_seed.trace" >"$W/p.out" 2>"$W/p.err"; rc=$?
[ $rc = 2 ] && [ ! -s "$W/p.out" ] && grep -q "process 1 is not in" "$W/p.err" || fail "--pid 1: status $rc"
$REPORT --diff "$G/uwsgi_seed.trace:1" "$G/python3_seed.trace" >"$W/d.out" 2>"$W/d.err"; rc=$?
[ $rc = 2 ] && [ ! -s "$W/d.out" ] && grep -q "process 1 is not in" "$W/d.err" || fail "--diff FILE:1: status $rc"
$REPORT --chrome /nonexistent/dir/x.json "$G/uwsgi_seed.trace" >"$W/cu.out" 2>"$W/cu.err"; rc=$?
[ $rc = 2 ] && [ ! -s "$W/cu.out" ] && grep -q "cannot write /nonexistent/dir/x.json" "$W/cu.err" ||
	fail "unwritable --chrome: status $rc, $(wc -c <"$W/cu.out") bytes on stdout" # opened before any output
for bad in /nonexistent "$W" /dev/null; do
	$REPORT "$bad" >"$W/u.out" 2>/dev/null; rc=$?
	[ $rc = 2 ] && [ ! -s "$W/u.out" ] || fail "unreadable $bad: status $rc, stdout $(head -c 200 "$W/u.out")"
done
$REPORT --help >"$W/help"
for o in $(grep -o '{"[a-z-]*"' "$ROOT/tools/report/main.c" | tr -d '{"'); do
	grep -q -- "--$o" "$W/help" || fail "--help does not list --$o"
done
# --diff compares the same program in both traces, never the wrapper it ran under (timeout), and
# says which processes it compared and why (a new user's try: timeout was compared with python3)
prog='import threading; t = threading.Thread(target=lambda: None); t.start(); t.join()'
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/da.trace timeout 20 "$PY" -c "$prog" || fail "timeout python3 failed"
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/db.trace "$PY" -c "$prog" || fail "python3 failed"
for pair in "da db" "db da"; do
	set -- $pair
	$REPORT --no-symbols --diff "$W/$1.trace" "$W/$2.trace" >"$W/d$1.txt" 2>&1
	[ "$(sed -n '1,2s/^[AB]: .*, process [0-9]* //p' "$W/d$1.txt" | sort -u)" = python3 ] || { head -3 "$W/d$1.txt"; fail "--diff $pair: not python3 with python3"; }
	grep -q "^compared: the same program in both traces" "$W/d$1.txt" || fail "--diff $pair: no reason: $(sed -n 3p "$W/d$1.txt")"
done
# no program in both: the command, not timeout
build keys keys.c -- -pthread
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/dk.trace timeout 20 "$BIN/keys" >/dev/null
$REPORT --no-symbols --diff "$W/dk.trace" "$W/db.trace" >"$W/dk.txt" 2>&1
grep -q "^A: .*, process [0-9]* keys$" "$W/dk.txt" || { head -3 "$W/dk.txt"; fail "--diff: the wrapper was compared"; }
grep -q "^compared: no program is in both traces" "$W/dk.txt" || fail "--diff: no reason: $(sed -n 3p "$W/dk.txt")"
exit 0
