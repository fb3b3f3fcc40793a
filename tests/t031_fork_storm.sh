#!/bin/bash
# t031: 200 forks at once, all writing to the one trace, while another thread of the parent is
# busy inside the shim (dlopen/dlclose, keys, threads, atexit): no deadlock (bounded), every child
# exits with its own status, and each child's trace is complete and whole: its `forked` line
# first, its thread_local registered, its thread started and ended, exit with its status, its TLS
# destructors, exit_done; no torn or interleaved line.
. "$(dirname "$0")/lib.sh"
build fork_storm fork_storm.cc -- -O1 -pthread -ldl
build plugin_quiet.so plugin.cc -- -shared -fPIC -DQUIET
plain run "$BIN/fork_storm" 200 "$BIN/plugin_quiet.so"; PLAIN_RC=$RC
TLSTRACE_THREADS=all traced run "$BIN/fork_storm" 200 "$BIN/plugin_quiet.so"; TRACED_RC=$RC
same_outcome run
grep -q "^children ok 200$" "$W/run.out" || fail "not every child exited with its status: $(cat "$W/run.out")"
parent=$(pids run '^tlstrace$')
awk -v parent="$parent" '
	NF < 5 || $1 !~ /^[0-9]+$/ || $2 !~ /^[0-9]+$/ || $3 !~ /^[0-9]+$/ || $4 !~ /^[-nIAFD?]$/ { bad++; next }
	$5 == "forked" { if (!($1 in first)) child[$1] = 1 }
	!($1 in first) { first[$1] = $5 }
	$1 in child && $5 == "tls_reg" && $11 == "storm_tls" { reg[$1]++ }
	$1 in child && $5 == "thread_start" { ts[$1]++ }
	$1 in child && $5 == "exit" { ex[$1] = $6 }
	$1 in child && $5 == "tls_dtor" { dt[$1]++ }
	$1 in child && $5 == "exit_done" { done[$1]++ }
	END {
		n = 0
		for (c in child) {
			n++
			if (first[c] != "forked" || ts[c] != 1 || ex[c] == "" || dt[c] < 2 || done[c] != 1) {
				printf "child %s: first %s, threads %d, exit %s, tls_dtors %d, exit_done %d\n", c, first[c], ts[c], ex[c], dt[c], done[c]
				fail = 1
			}
		}
		if (n != 200) { printf "expected 200 children, saw %d\n", n; fail = 1 }
		if (bad) { printf "%d malformed lines\n", bad; fail = 1 }
		exit fail
	}' "$W/run.trace" || fail "children's traces incomplete or malformed"
$REPORT --no-symbols "$W/run.trace" >/dev/null 2>"$W/report.err"
[ ! -s "$W/report.err" ] || { head "$W/report.err"; fail "the report found bad lines"; }
