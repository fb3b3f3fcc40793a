#!/bin/bash
# t041: reliability case 01: a SIGSEGV or SIGFPE handler that siglongjmps out, 3 times each, and
# an SA_NODEFER one 20 times: the program ends as without the shim; the faults it handled are
# counted (sig_handled), none is reported as a crash.
. "$(dirname "$0")/lib.sh"
reliability_case 01
d=$W/case-01_siglongjmp_out_of_handler
for t in segv:11:3 fpe:8:3 nodefer:11:20; do
	IFS=: read -r mode sig n <<<"$t"
	grep -q " sig_handled $sig $n$" "$d/$mode.trace" || { cat "$d/$mode.trace"; fail "$mode: no 'sig_handled $sig $n' line"; }
	! grep -q " crash " "$d/$mode.trace" || fail "$mode: a handled fault reported as a crash"
	[ ! -s "$d/$mode.b.err" ] || fail "$mode: stderr written"
done
