#!/bin/bash
# t030: 64 threads x 1000 thread_locals with destructors at once: every registration and every
# destructor run (begin and end) of every thread is in the trace, each thread ends its TLS
# destructors, every line is whole (no torn or interleaved line: the report reads it without a
# warning), each thread's timestamps never go back (the clock's first reads are system calls,
# later ones the vDSO's; all within a minute), and the program's output and status are unchanged.
. "$(dirname "$0")/lib.sh"
build tls_storm tls_storm.cc -- -O1 -pthread
plain run "$BIN/tls_storm" 64; PLAIN_RC=$RC
TLSTRACE_THREADS=all traced run "$BIN/tls_storm" 64; TRACED_RC=$RC
same_outcome run
[ $RC = 0 ] || fail "exit status $RC"
awk '
	NF < 5 || $1 !~ /^[0-9]+$/ || $2 !~ /^[0-9]+$/ || $3 !~ /^[0-9]+$/ { bad++ }
	$3 < last[$2] { back++ }
	{ last[$2] = $3; if (min == "" || $3 < min) min = $3; if ($3 > max) max = $3 }
	$5 == "thread_start" { threads[$2] = 1 }
	$5 == "tls_reg" { reg[$2]++ }
	$5 == "tls_dtor" { dtor[$2]++ }
	$5 == "tls_dtor_end" { end[$2]++ }
	$5 == "tls_dtors_done" { done[$2]++ }
	END {
		n = 0
		for (t in threads) {
			n++
			# 1000 objects + the one counter of the file, registered on first use
			if (reg[t] < 1000 || reg[t] != dtor[t] || dtor[t] != end[t] || done[t] != 1) {
				printf "thread %s: %d registered, %d destructors begun, %d ended, done %d\n", t, reg[t], dtor[t], end[t], done[t]
				fail = 1
			}
		}
		if (n != 64) { printf "expected 64 threads, saw %d\n", n; fail = 1 }
		if (bad) { printf "%d malformed lines\n", bad; fail = 1 }
		if (max - min > 60e9) { printf "timestamps spread over %d s\n", (max - min) / 1e9; fail = 1 }
		if (back) { printf "%d lines earlier than the line before them on their thread\n", back; fail = 1 }
		exit fail
	}' "$W/run.trace" || fail "events missing or malformed"
$REPORT --no-symbols "$W/run.trace" >"$W/report.txt" 2>"$W/report.err"
[ ! -s "$W/report.err" ] || { head "$W/report.err"; fail "the report found bad lines"; }
grep -q "^tlstrace-report: 1 file, 1 process" "$W/report.txt" || fail "report: $(head -1 "$W/report.txt")"
