#!/bin/bash
# t044: reliability case 11: a vfork child's signal(SIGSEGV, SIG_DFL) before exec does not change
# what the shim keeps for its parent, whose handler then runs (exit 7); that handler ends the
# process, so the fault is reported (crash_end chain). The child reads its actions as without the
# shim (selfhandled vfork).
. "$(dirname "$0")/lib.sh"
reliability_case 11
t=$W/case-11_vfork_child_sigaction/vfork_sig.trace
grep -q " crash 11 " "$t" && grep -q " crash_end chain$" "$t" || { cat "$t"; fail "the fault that ended the parent is not reported"; }
build selfhandled selfhandled.c -- -pthread
plain_and_traced vfork "$BIN/selfhandled" vfork
