#!/bin/bash
# t225: --diff on big traces takes time near linear in their size, with the output of the
# quadratic code it replaced (issue 14, the report on hostile traces):
# - 3000 processes of one program against 2000, each unfinished (a finding each; a "trace ends"
#   step in both): the pair was
#   tried for every two processes, each try scanning every finding (23 s of CPU before, 0.03 s);
# - one process with 3000 TLS destructors against the same with 10 of them in the opposite order:
#   every pair of steps looked each up in both lists (cubic: 51 s of CPU before, 0.1 s);
# each within 5 s of CPU (the machine is shared: the margin is wide; 60 s of wall clock a safety net);
# - 40 random pairs of small step lists (labels repeated, some in one list only, shuffled, a
#   common tail) give
#   the alignment and order differences a reference implementation of the old algorithm (a full
#   table of common subsequence lengths, a search per pair) computes, line for line.
. "$(dirname "$0")/lib.sh"
cd "$W"
$PY - <<'PY'
def procs(path, n):
    with open(path, "w") as f:
        f.write("1 1 1 - tlstrace 2 0 /sup sup\n")
        for p in range(2, n + 2):
            f.write(f"{p} {p} {10+p} - tlstrace 2 1 /bin/w w\n{p} {p} {20+p} - exit 0\n"
                    f"{p} {p} {21+p} - tls_dtor 1 0x0 0+0x1\n{p} {p} {22+p} - tls_dtor_end 1\n")
        f.write(f"1 1 {10*n} - exit 0\n1 1 {10*n+1} - exit_done\n")
procs("pa.trace", 3000)
procs("pb.trace", 2000)

def steps(path, nreg, order):
    with open(path, "w") as f:
        f.write("1 1 1 - tlstrace 2 0 /x x\n1 1 2 - mod 1 0x1000 1 - /lib/libx.so\n")
        for s in range(nreg):
            f.write(f"1 1 {10+s} - tls_reg {s} 0x{0x5000+16*s:x} 1+0x10 0x0 1 0x{16*s:x} obj{s} 0x0 8 -\n")
        t = 10 + nreg
        f.write(f"1 1 {t} - exit 0\n")
        for k, s in enumerate(order):
            f.write(f"1 1 {t+1+3*k} - tls_dtor {s} 0x{0x5000+16*s:x} 1+0x10\n1 1 {t+2+3*k} - tls_dtor_end {s}\n")
        f.write(f"1 1 {t+3*len(order)+10} - exit_done\n")
n = 3000
steps("sa.trace", n, list(range(n)))
o = list(range(n))
o[1000:1010] = o[1000:1010][::-1]
steps("sb.trace", n, o)

# the old algorithm, for the random pairs: labels and details as diff.c builds them here
import random
def old_diff(a, b):
    A = ["exit begins"] + [f"TLS destructor of obj{s}" for s in a] + ["process ends"]
    B = ["exit begins"] + [f"TLS destructor of obj{s}" for s in b] + ["process ends"]
    na, nb = len(A), len(B)
    L = [[0] * (nb + 1) for _ in range(na + 1)]
    for i in range(na - 1, -1, -1):
        for j in range(nb - 1, -1, -1):
            L[i][j] = 1 + L[i+1][j+1] if A[i] == B[j] else max(L[i+1][j], L[i][j+1])
    out = ["teardown steps (\"-\" only in A, \"+\" only in B):"]
    i = j = 0
    while i < na or j < nb:
        if i < na and j < nb and A[i] == B[j]:
            out.append("    " + A[i] + ("  [exit(0)]" if A[i] == "exit begins" else ""))
            i += 1; j += 1
        elif j == nb or (i < na and L[i+1][j] >= L[i][j+1]):
            out.append("  - " + A[i]); i += 1
        else:
            out.append("  + " + B[j]); j += 1
    out += ["", "order differences (steps in both traces, in opposite order):"]
    orders = 0
    for i in range(na):
        for j in range(i + 1, na):
            if A[i] not in B or A[j] not in B:
                continue
            bi, bj = B.index(A[i]), B.index(A[j])
            if bi < bj or A.index(A[i]) != i or A.index(A[j]) != j:
                continue
            out += [f"    A: {A[i]}, then {A[j]}", f"    B: {B[bj]}, then {B[bi]}"]
            orders += 1
    if not orders:
        out.append("    none")
    return "\n".join(out) + "\n"
r = random.Random(225)
for k in range(40):
    m = r.randrange(1, 40)
    a = [r.randrange(m) for _ in range(r.randrange(0, 60))]
    b = [r.randrange(m) for _ in range(r.randrange(0, 60))] if k % 3 else a[:] + [r.randrange(m)]
    if k % 4 == 1:
        r.shuffle(b)
    nreg = m
    if k % 5 == 2:  # a common tail, some of it of labels seen before (the suffix's cut)
        tail = [m + t for t in range(r.randrange(1, 6))] + [r.randrange(m + 6)] + [m + 6 + t for t in range(3)]
        a, b, nreg = a + tail, b + tail, m + 9
    steps(f"ra{k}.trace", nreg, a)
    steps(f"rb{k}.trace", nreg, b)
    open(f"r{k}.expected", "w").write(old_diff(a, b))
PY
report_timed procs --diff pa.trace pb.trace
[ $RC = 0 ] || fail "procs: status $RC, expected 0 (the same teardown)"
cat >procs.expected <<'EOF'
A: pa.trace, process 2 w
B: pb.trace, process 2 w
compared: the same program in both traces, the one with the most teardown; FILE:PID picks another

teardown steps ("-" only in A, "+" only in B):
    exit begins  [exit(0)]
    TLS destructor of thread_local #1
    trace ends  [unfinished: killed by a signal the shim cannot see, or still running]

order differences (steps in both traces, in opposite order):
    none
EOF
diff -u procs.expected procs.txt || fail "procs: output"
report_timed steps --diff sa.trace sb.trace
[ $RC = 1 ] || fail "steps: status $RC, expected 1 (differences)"
[ "$(grep -c '^    A: TLS destructor of obj10[01][0-9], then TLS destructor of obj10[01][0-9]$' steps.txt)" = 45 ] ||
	fail "steps: not the 45 pairs of the 10 destructors in the opposite order"
[ "$(grep -c '^  [-+] ' steps.txt)" = 18 ] || { grep '^  [-+] ' steps.txt; fail "steps: not 9 steps out of place on each side"; }
[ "$(grep -c '^    TLS destructor of obj' steps.txt)" = 2991 ] || fail "steps: not 2991 steps in common"
for k in $(seq 0 39); do
	"$REPORT" --no-symbols --diff "ra$k.trace" "rb$k.trace" 2>&1 | tail -n +5 >"r$k.txt"
	diff -u "r$k.expected" "r$k.txt" >"r$k.diff" || { head -30 "r$k.diff"; fail "random pair $k: not the old algorithm's output"; }
done
true
