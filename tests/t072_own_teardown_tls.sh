#!/bin/bash
# t072: a module's thread-local state first used during teardown by its own code is normal, not
# a finding (issue 16: a false construct-during-teardown on Debian 13 and unstable, in every
# process that dlopens libstdc++):
# - golden traces of python3 with the seed extension, recorded on Debian 13 (and unstable):
#   libstdc++'s std::ios_base::Init::~Init, one of its own atexit handlers, reaches
#   __cxa_get_globals and allocates libstdc++'s TLS block: 0 findings, the timeline says normal;
# - a dlopen'd C++ module (own_teardown.cc) whose own atexit handler first uses its __thread
#   counter and whose static destructor throws, catches and writes to std::cout (libstdc++'s
#   state, from a handler not libstdc++'s): 0 findings, here and in the chroots;
# - still a finding: the golden trace edited so that a module that is not a C++ runtime (the
#   extension) first uses its own TLS from another module's handler (t036 runs such a program).
. "$(dirname "$0")/lib.sh"
G=$ROOT/tests/golden
for t in "$G"/*_python3_seed.trace; do
	case $t in */python3_seed.trace) continue ;; esac
	$REPORT --no-symbols --color=never "$t" >"$W/golden.txt" 2>/dev/null; rc=$?
	[ $rc = 0 ] || { cat "$W/golden.txt"; fail "$(basename "$t"): report exit status $rc, expected 0"; }
	grep -q "thread_locals of libstdc++.so.6 first used during teardown, from .* (its own, normal)$" "$W/golden.txt" ||
		fail "$(basename "$t"): the timeline does not show libstdc++'s own first use as normal"
done

build dlopen_main dlopen_main.c -- -ldl
build own_teardown.so own_teardown.cc -- -shared -fPIC
plain run "$BIN/dlopen_main" "$BIN/own_teardown.so"; PLAIN_RC=$RC
traced run "$BIN/dlopen_main" "$BIN/own_teardown.so"; TRACED_RC=$RC
same_outcome run
grep -q "^logger done 1$" "$W/run.out" || fail "the static destructor did not run after the handler"
# where libstdc++'s TLS is static (linked at start, not dlopened), only own_teardown.so's appears
main=$(pids run '^tlstrace$')
expect_order run "$main" "^$main . main_return 0$" "^$main . atexit_run [0-9]+ own_teardown\\.so\\+0x" \
	"^$main . tls_late_alloc [0-9]+ own_teardown\\.so\\+0x"
$REPORT --color=never "$W/run.trace" >"$W/report.txt"; rc=$?
[ $rc = 0 ] || { cat "$W/report.txt"; fail "own_teardown: report exit status $rc, expected 0"; }

# the same event from code of a module that is not a runtime, in another module's handler
awk '$5 == "mod" && $10 ~ /seedext/ { ext = $6 } $5 == "tls_late_alloc" { $6 = ext; $7 = ext "+0x1209" } { print }' \
	"$G/trixie_python3_seed.trace" >"$W/foreign.trace"
grep -q "tls_late_alloc [0-9]* [0-9]*+0x1209$" "$W/foreign.trace" || fail "cannot edit the golden trace"
$REPORT --no-symbols --json "$W/foreign.trace" >"$W/foreign.json" 2>/dev/null; rc=$?
[ $rc = 1 ] || fail "foreign: report exit status $rc, expected 1 (a finding)"
$PY - "$W/foreign.json" <<'PYEOF' || fail "foreign: report"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
assert [x["kind"] for x in f] == ["construct-during-teardown"], f
assert "seedext" in f[0]["message"], f[0]["message"]
PYEOF
