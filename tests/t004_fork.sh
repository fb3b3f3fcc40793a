#!/bin/bash
# t004: fork: the parent records the child's pid; the child's first line is `forked` with the
# parent's pid, and it keeps tracing under its own pid (thread id = its pid), running the atexit
# handler and thread_local destructors inherited from the parent and its own; same outcome.
. "$(dirname "$0")/lib.sh"
build forker forker.cc
plain run "$BIN/forker"; PLAIN_RC=$RC
traced run "$BIN/forker"; TRACED_RC=$RC
same_outcome run
grep -q "child status 5" "$W/run.out" || fail "child did not exit 5"

parent=$(pids run '^tlstrace$')
child=$(awk '$4 == "forked" { print $1 }' "$W/run.norm")
[ -n "$child" ] && [ "$child" != "$parent" ] || fail "no forked child"
expect_line run "^$parent $parent . fork $child$"
expect_line run "^$child $child . forked $parent$"
# the child's first line is `forked`
[ "$(awk -v c="$child" '$1 == c { print $4; exit }' "$W/run.norm")" = forked ] || fail "child's first line is not forked"
handler=$(awk -v p="$parent" '$1 == p && $4 == "atexit_reg" && $7 ~ /^forker\+/ { print $5; exit }' "$W/run.norm")
pseq=$(awk -v p="$parent" '$1 == p && $4 == "tls_reg" && $11 ~ /parent_obj/ { print $5 }' "$W/run.norm")
[ -n "$handler" ] && [ -n "$pseq" ] || fail "parent registrations missing"
expect_order run "$child" \
	"^$child . forked $parent$" \
	"^$child . tls_reg [0-9]+ .*child_obj" \
	"^$child . exit 5$" \
	"^$child . tls_dtor [0-9]+ " \
	"^$child . tls_dtor $pseq " \
	"^$child . atexit_run $handler forker\\+0x" \
	"^$child . exit_done$"
expect_order run "$parent" "^$parent . fork $child$" "^$parent . main_return 0$" "^$parent . tls_dtor $pseq " "^$parent . exit_done$"
expect_no_line run "^$parent $parent . tls_reg [0-9]+ .*child_obj"
