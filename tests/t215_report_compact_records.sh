#!/bin/bash
# t215: what the report keeps in its smaller records reads back as it was written (issue 14,
# docs/report-memory.md): a killed finding's message built when shown (text and --json, and the
# whole message once an open wait is added to it), a crash's signal that does not fit the
# finding's short (kept in its detail), processes in no pid order (the by-pid order sorted in
# place: each reap and kill still finds its process), one program record for many workers and
# another for a forked child's program, a reap's core field (a bit now: any low byte but 0 is a
# core, as when it was a byte).
. "$(dirname "$0")/lib.sh"
cd "$W"
$PY - <<'PY'
import random
random.seed(5)
pids = list(range(2, 2002))
random.shuffle(pids)  # (not in pid order: the heap sort's path)
with open("sup.trace", "w") as f:
    f.write("1 1 1 - tlstrace 2 0 /sup sup -c conf\n")
    for p in pids:
        f.write(f"{p} {p} {10 + p} - tlstrace 2 1 /bin/w w --worker\n{p} {p} {5000 + p} - exit 0\n")
    t = 100000
    for p in pids:
        f.write(f"1 1 {t} - kill kill 15 {p} - 0 0 - - 0x1000\n1 1 {t + 1} - reap waitpid {p} signal 15 0 0\n")
        t += 2
    f.write(f"1 1 {t} - exit 0\n1 1 {t + 1} - exit_done\n")
with open("sig.trace", "w") as f:
    f.write("1 1 1 - tlstrace 2 0 /x x\n1 1 200 - crash 70000 1 0x0 0x1234 0x0\n1 1 201 - crash_end default\n")
with open("core.trace", "w") as f:
    f.write("1 1 1 - tlstrace 2 0 /sup sup\n2 2 5 - tlstrace 2 1 /bin/w w\n2 2 6 - exit 0\n"
            "3 3 5 - tlstrace 2 1 /bin/w w\n3 3 6 - exit 0\n1 1 10 - reap waitpid 2 signal 6 2 0\n"
            "1 1 11 - reap waitpid 3 signal 6 256 0\n1 1 12 - exit 0\n1 1 13 - exit_done\n")
PY
"$REPORT" --no-symbols sup.trace >sup.txt; rc=$?
[ $rc = 1 ] || fail "sup.trace: status $rc, expected 1 (2000 killed findings)"
msg="process 1234 (w) was killed by SIGTERM, sent by process 1 (sup, its parent) with kill() from 0x1000, 0.095 ms after its teardown began (exit)"
grep -qxF "    $msg" sup.txt || { grep -A1 "killed  process 1234 " sup.txt; fail "sup.trace: process 1234's message"; }
[ "$(grep -c 'was killed by SIGTERM, sent by process 1 (sup, its parent)' sup.txt)" -ge 2000 ] || fail "sup.trace: not every worker's message"
grep -q '^  G1 error killed x2000  SIGTERM' sup.txt || fail "sup.trace: no group of 2000"
grep -q '^process 1999 w: killed by SIGTERM' sup.txt || fail "sup.trace: process 1999's outcome"
grep -qxF '    w --worker' sup.txt || fail "sup.trace: a worker's arguments"
grep -qxF '    sup -c conf' sup.txt || fail "sup.trace: the supervisor's arguments"
"$REPORT" --no-symbols --json sup.trace >sup.json
$PY - "$msg" <<'PY' || fail "sup.trace --json"
import json, sys
d = json.load(open("sup.json"))
f = [x for x in d["findings"] if x["kind"] == "killed" and x["pid"] == 1234]
assert len(f) == 1 and f[0]["message"] == sys.argv[1], f
p = {x["pid"]: x for x in d["processes"]}
assert p[1234]["exe"] == "/bin/w" and p[1234]["argv"] == "w --worker" and p[1234]["signal"] == 15, p[1234]
assert p[1]["argv"] == "sup -c conf" and p[1]["exit"] == 0, p[1]
assert sum(1 for x in d["processes"] if x["signal"] == 15) == 2000
PY
"$REPORT" --no-symbols sig.trace >sig.txt
grep -q '^process 1 x: killed by signal 70000$' sig.txt || { cat sig.txt; fail "sig.trace: the crash's signal 70000"; }
"$REPORT" --no-symbols --json sig.trace | $PY -c '
import json, sys
d = json.load(sys.stdin)
assert d["findings"][0]["signal"] == 70000, d["findings"][0]' || fail "sig.trace --json: the crash's signal"
"$REPORT" --no-symbols core.trace >core.txt
grep -qxF "process 2 w: killed by SIGABRT (core dumped) (known from its parent's wait)" core.txt || { cat core.txt; fail "core.trace: core field 2"; }
grep -qxF "process 3 w: killed by SIGABRT (known from its parent's wait)" core.txt || { cat core.txt; fail "core.trace: core field 256"; }
true
