#!/bin/bash
# t057: the report built with ASan and UBSan (make asan-report CC=clang) reads a trace whose
# teardown phase text passes its 1024-byte buffer (reliability case 16, found by the fuzzer) with
# no sanitizer report and the normal build's output. Variants: the phase made long by each kind of
# nesting (Py_Finalize name, atexit handlers, TLS destructors, key destructors, Py_AtExit
# functions, 64 levels deep, more than 64) with a crash, use-after-destroy, late registration and
# key_late inside.
. "$(dirname "$0")/lib.sh"
command -v clang >/dev/null || skip "clang not installed"
out=$("$ROOT/tests/cases/reliability/16_report_phase_of_ub/run" "$ROOT" "$W/case16" 2>&1)
echo "$out" | tail -3 | sed 's/^/# /'
[ "$(echo "$out" | tail -1)" = SAME ] || fail "case 16: $(echo "$out" | tail -1)"
A=$W/case16/src/build/asan/tlstrace-report
[ -x "$A" ] || fail "no sanitized build"
cd "$W"
long=$(head -c 1000 /dev/zero | tr '\0' P)
/usr/bin/python3 - "$long" >deep.trace <<'PY'
import sys
long = sys.argv[1]
w = sys.stdout.write
w("1 1 1 - tlstrace 1 0 /bin/x x\n1 1 2 - exit 0\n")
t = 3
kinds = ["py_fin %s" % long, "atexit_run %d 0x1000", "tls_dtor %d 0x0 0+0x1", "key_dtor %d 0x1", "py_atexit_run %d 0x2000"]
for k in range(80):
    w("1 1 %d A %s\n" % (t, kinds[k % 5] % k if "%d" in kinds[k % 5] else kinds[k % 5])); t += 1
    if k % 7 == 0:
        w("1 1 %d A uad %d 0x10 - 0x0 obj%s 5 0+0x1 gd 0+0x2\n" % (t, k, long[:200])); t += 1
        w("1 1 %d A tls_reg %d 0x10 0+0x1 0x0 - 0x0 obj 0x0 16 exit\n" % (t, k)); t += 1
        w("1 1 %d A key_late %d get - 0+0x1\n" % (t, k)); t += 1
w("1 1 %d A crash 11 1 0x0 0x1234 0x0\n1 1 %d A crash_end default\n" % (t, t + 1))
PY
for opt in "" --json "--chrome /dev/null"; do
	"$REPORT" --no-symbols $opt deep.trace >n.out 2>n.err; rn=$?
	ASAN_OPTIONS=detect_leaks=0 "$A" --no-symbols $opt deep.trace >a.out 2>a.err; ra=$?
	grep -m3 "runtime error\|AddressSanitizer" a.err && fail "deep.trace $opt: sanitizer report"
	[ $rn = $ra ] && cmp -s n.out a.out || fail "deep.trace $opt: the sanitized build reports differently"
done
true
