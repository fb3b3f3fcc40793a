#!/bin/bash
# t245: a use of a thread_local after its destructor costs the report memory near its trace's
# size, whatever explains it (issue 14; docs/report-memory.md): the finding's message, root cause
# and fix are built when shown from the case and events kept in its detail, not kept as three
# texts each. One process, 100000 thread_locals, each read after its destructor ran:
# - from Python atexit callbacks run by Py_Finalize in an atexit handler (the seed's shape; half
#   of the lookups uncertain, ld?), each from its own site: max RSS at most 1.65x the trace + 4 MB
#   (1.57x here, 1.63x before mem11's 48-byte processes and 4-byte places of events, which
#   passes this bound: the margin is what a busy machine's runs vary by; 3.1x before the finding and its group of one were kept folded, 32 bytes, built when read
#   from its uad line: 3992f2a fails this bound; 3.7x before the finding's phase and name were
#   pooled when it is made, 4-aligned events and 112-byte details; 10.7x before its texts were
#   built when shown);
# - each by the destructor of the next one destroyed (a thread_local's destructor reading one
#   destroyed before it; each one's phase a text of its own): at most 1.95x + 4 MB (1.81x here,
#   1.89x before mem11, which passes it too; 3.3x before
#   the same: 3992f2a fails it; 3.75x, 8.3x before).
# The cases (tests/golden/uad_cases.trace, whose expected outputs t020 checks) are written
# again here by the generator they came from, so that the golden stays what this file says.
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
$PY - <<'PY'
n = 100000
with open("uads_seed.trace", "w") as f:
    f.write("1 1 1 - tlstrace 2 0 /x x\n1 1 2 - mod 1 0x1000 1 - /lib/libx.so\n")
    for s in range(n):
        f.write(f"1 1 {10 + s} - tls_reg {s} 0x{0x5000 + 16 * s:x} 1+0x10 0x0 1 0x{16 * s:x} obj{s} 0x0 8 -\n")
    t = 10 + n
    f.write(f"1 1 {t} - exit 30\n")
    for s in range(n):
        f.write(f"1 1 {t + 1 + 3 * s} - tls_dtor {s} 0x{0x5000 + 16 * s:x} 1+0x10\n1 1 {t + 2 + 3 * s} - tls_dtor_end {s}\n")
    t += 3 * n + 5
    f.write(f"1 1 {t} - atexit_run 3 1+0x40\n1 1 {t + 1} I py_fin Py_Finalize\n")
    t += 2
    for s in range(n):
        how = "ld?" if s % 2 else "gd"
        f.write(f"1 1 {t + s} A uad {s} 0x{0x5000 + 16 * s:x} 1 0x{16 * s:x} obj{s} 100 1+0x{0x20 + s:x} {how} 1+0x{0x20 + s:x}\n")
    t += n
    f.write(f"1 1 {t} F py_fin_end Py_Finalize 0\n1 1 {t + 1} - atexit_end 3\n1 1 {t + 2} - exit_done\n")
with open("uads_dtor.trace", "w") as f:
    f.write("1 1 1 - tlstrace 2 0 /x x\n1 1 2 - mod 1 0x1000 1 - /lib/libx.so\n")
    for s in range(n):
        f.write(f"1 1 {10 + s} - tls_reg {s} 0x{0x5000 + 16 * s:x} 1+0x10 0x0 1 0x{16 * s:x} obj{s} 0x0 8 -\n")
    t = 10 + n
    f.write(f"1 1 {t} - exit 0\n")
    for s in range(n - 1, -1, -1):
        f.write(f"1 1 {t + 1} - tls_dtor {s} 0x{0x5000 + 16 * s:x} 1+0x10\n")
        if s < n - 1:
            f.write(f"1 1 {t + 2} - uad {s + 1} 0x{0x5000 + 16 * (s + 1):x} 1 0x{16 * (s + 1):x} obj{s + 1} 100 1+0x20 gd\n")
        f.write(f"1 1 {t + 3} - tls_dtor_end {s}\n")
        t += 3
    f.write(f"1 1 {t + 1} - exit_done\n")
PY
$PY - uad_cases.trace <<'PY'
# the cases of a use of a thread_local after its destructor: one process each
import sys
L = []
def w(pid, t, rest, tid=None, py="-"):
    L.append(f"{pid} {tid or pid} {t} {py} {rest}")
def head(pid, t):
    w(pid, t, f"tlstrace 2 1 /usr/bin/app{pid} app{pid} arg")
    w(pid, t + 1, "mod 1 0x1000 1 - /lib/libx.so")
    w(pid, t + 2, "tls_reg 0 0x5000 1+0x10 0x0 1 0x0 objA 0x0 8 -")
    w(pid, t + 3, "tls_reg 1 0x5010 1+0x18 0x0 1 0x10 objB 0x0 8 -")
# 1 atexit handler > Py_Finalize (the seed)
p = 10; head(p, 100)
w(p, 110, "exit 30"); w(p, 111, "tls_dtor 0 0x5000 1+0x10"); w(p, 112, "tls_dtor_end 0")
w(p, 113, "atexit_run 3 1+0x40"); w(p, 114, "py_fin Py_Finalize", py="I")
w(p, 115, "uad 0 0x5000 1 0x0 objA 3000 1+0x20 gd 1+0x20 1+0x30", py="A")
w(p, 116, "uad_py   File \"/app.py\", line 3, in cb", py="A")
w(p, 117, "uad_count 0 1+0x20 5", py="A")
w(p, 118, "py_fin_end Py_Finalize 0", py="F"); w(p, 119, "atexit_end 3"); w(p, 120, "exit_done")
# 2 a thread_local's destructor reads one destroyed before it
p = 11; head(p, 200)
w(p, 210, "exit 0"); w(p, 211, "tls_dtor 1 0x5010 1+0x18"); w(p, 212, "tls_dtor_end 1")
w(p, 213, "tls_dtor 0 0x5000 1+0x10"); w(p, 214, "uad 1 0x5010 1 0x10 objB 1000 1+0x28 ld?")
w(p, 215, "tls_dtor_end 0"); w(p, 216, "exit_done")
# 3 a pthread key destructor on a thread
p = 12; head(p, 300)
w(p, 305, "thread_start 12 1+0x50", tid=13); w(p, 306, "thread_exit return", tid=13)
w(p, 307, "tls_dtor 0 0x5000 1+0x10", tid=13); w(p, 308, "tls_dtor_end 0", tid=13)
w(p, 309, "key_dtor 2 0x9000 1+0x60 1", tid=13); w(p, 310, "uad 0 0x5000 1 0x0 objA 2000 1+0x64 gd", tid=13)
w(p, 311, "key_dtor_end 2", tid=13); w(p, 320, "exit 0"); w(p, 321, "exit_done")
# 4 an atexit handler, an uncertain lookup, a mangled name
p = 13; head(p, 400)
w(p, 410, "exit 0"); w(p, 411, "tls_dtor 0 0x5000 1+0x10"); w(p, 412, "tls_dtor_end 0")
w(p, 413, "atexit_run 1 1+0x44"); w(p, 414, "uad 7 0x6000 - 0x0 _ZN2ns5cacheE 500 1+0x48 ld?")
w(p, 415, "atexit_end 1"); w(p, 416, "exit_done")
# 5 alone: after the thread's destructors, no handler running
p = 14; head(p, 500)
w(p, 510, "exit 0"); w(p, 511, "tls_dtor 0 0x5000 1+0x10"); w(p, 512, "tls_dtor_end 0")
w(p, 513, "uad 0 0x5000 1 0x0 objA 100 0+0x401000 gd"); w(p, 514, "exit_done")
# 6 a poisoned object hit in an atexit handler
p = 15; head(p, 600)
w(p, 610, "exit 0"); w(p, 611, "tls_dtor 0 0x5000 1+0x10"); w(p, 612, "tls_dtor_end 0")
w(p, 613, "atexit_run 1 1+0x44"); w(p, 614, "poison_hit 0 0x5000 objA 0x5000 1+0x70")
w(p, 615, "crash 11 1 0xdeadbeef 1+0x70 0x7ffd0000"); w(p, 616, "crash_end default")
# 7 a use then a crash on the same thread (the crash follows from it)
p = 16; head(p, 700)
w(p, 710, "exit 0"); w(p, 711, "tls_dtor 1 0x5010 1+0x18"); w(p, 712, "tls_dtor_end 1")
w(p, 713, "atexit_run 2 1+0x44"); w(p, 714, "uad 1 0x5010 1 0x10 objB 800 1+0x48 gd")
w(p, 715, "crash 11 1 0x8 1+0x4c 0x7ffd0000"); w(p, 716, "crash_end default")
# 8 names too long for a shown text's room: kept whole, not built when shown
p = 17; head(p, 800)
long = "N" * 2900
w(p, 802, f"tls_reg 2 0x5020 1+0x20 0x0 1 0x20 {long}a 0x0 8 -"); w(p, 803, f"tls_reg 3 0x5030 1+0x20 0x0 1 0x30 {long}b 0x0 8 -")
w(p, 810, "exit 0"); w(p, 811, "tls_dtor 2 0x5020 1+0x20"); w(p, 812, "tls_dtor_end 2")
w(p, 813, "tls_dtor 3 0x5030 1+0x20"); w(p, 814, "uad 2 0x5020 1 0x20 - 10 1+0x28 gd")
w(p, 815, "tls_dtor_end 3"); w(p, 816, "exit_done")
open(sys.argv[1], "w").write("\n".join(L) + "\n")
PY
cmp -s uad_cases.trace "$ROOT/tests/golden/uad_cases.trace" || fail "tests/golden/uad_cases.trace is not what its generator here writes"
# TRACE:PERCENT: max RSS <= PERCENT/100 x size + 4 MB (text and --json), outputs whole
for tk in uads_seed.trace:165 uads_dtor.trace:195; do
	t=${tk%:*} k=${tk#*:}
	size=$(stat -c %s "$t")
	for o in "" --json; do
		/usr/bin/time -f '%M' -o rss "$REPORT" --no-symbols $o "$t" >out 2>err; rc=$?
		[ $rc = 1 ] || fail "$t $o: status $rc"
		rss=$(($(tail -1 rss) * 1024))
		note "$t $o: $((size >> 20)) MB, max RSS $((rss >> 20)) MB ($((rss * 100 / size))%)"
		[ $rss -le $((k * size / 100 + (4 << 20))) ] || fail "$t $o: max RSS $((rss >> 20)) MB for $((size >> 20)) MB (limit $k%)"
	done
done
# every finding shown with its texts: 100000 (99999) root causes and fixes, each naming its thread_local
"$REPORT" --no-symbols uads_seed.trace | grep -c 'reads obj[0-9]*, already destroyed' >n
[ "$(cat n)" = 100000 ] || fail "uads_seed: $(cat n) root causes, expected 100000"
"$REPORT" --no-symbols --json uads_dtor.trace | $PY -c '
import json, sys
d = json.load(sys.stdin)
f = [x for x in d["findings"] if x["kind"] == "use-after-destroy"]
assert len(f) == 99999, len(f)
for x in f[:3] + f[-3:]:
    assert x["message"].startswith("thread 1 read thread_local obj"), x["message"]
    assert "the destructor of obj" in x["root_cause"] and x["fix"].startswith("declare obj"), x
' || fail "uads_dtor: JSON findings"
true
