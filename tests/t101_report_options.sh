#!/bin/bash
# t101: tlstrace-report's strict options: --version names the release and the trace format (one
# source: VERSION); --chrome - writes only the Chrome JSON; --json --chrome - is refused; --pid N
# and --diff FILE:N with a pid not in the trace exit 2 with a message; an unreadable input writes
# nothing on stdout, nor does an unwritable --chrome FILE; --help lists every long option the program accepts; the wrapper's --version.
. "$(dirname "$0")/lib.sh"
G=$ROOT/tests/golden
v=$(cat "$ROOT/VERSION")
[ "$($REPORT --version)" = "tlstrace-report $v (trace format 2)" ] || fail "--version: $($REPORT --version)"
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
