#!/bin/bash
# t227: shapes of big traces whose report time grew as the square of their size (issue 14, the
# report on hostile traces), each now within 5 s of CPU (60 s of wall clock a safety net):
# - 100000 children, each of its own parent, ending with status 3: the text report's folding by
#   status compared every child with every process (8 s of CPU for 40000, 4x per 2x before);
# - one process with 200000 modules (ids in order), and 3000 in a random order with some written
#   again: each new id was searched for in every module (0.8 s for 40000, 4x per 2x before);
# - 60000 workers whose threads block SIGTERM, each sent one by their supervisor: every process's
#   events were searched for kill lines to each of them (0.9 s for 5000, 4x per 2x before);
# - a hang snapshot of 40000 threads (twice), each waiting for a mutex the next holds: each
#   thread's backtrace line and holder looked for its thread among all, and each thread's open wait
#   walked all events (0.8 s for 8000, 5x per 2x before);
# - 60000 forked workers killed by SIGTERM while running, from a sender their parent was not
#   stopped by: for each, the parent's whole trace was read for that sender's arrival (a group
#   stop's bystander, a5ebf81: 7 s of CPU for 30000);
# - a supervisor that hangs after telling 40000 children to stop, none reaped: for each kill line
#   every process and every event of the supervisor's were read (the children it told, told_words:
#   5.9 s of CPU for 20000);
# with what they show checked: the folded line, the modules found by id (a crash's frames name
# the module written last with that id).
. "$(dirname "$0")/lib.sh"
cd "$W"
$PY - <<'PY'
import random
n = 100000
with open("kin.trace", "w") as f:
    for p in range(1, n + 1):
        f.write(f"{p} {p} {p} - tlstrace 2 0 /bin/p p\n{p} {p} {p+1} - exit 0\n{p} {p} {p+2} - exit_done\n")
    for p in range(1, n + 1):
        c = n + p
        f.write(f"{c} {c} {c} - forked {p}\n{c} {c} {c+1} - exit 3\n{c} {c} {c+2} - exit_done\n")
    # and one parent with 10 children: folded
    f.write(f"{3*n} {3*n} 1 - tlstrace 2 0 /bin/q q\n")
    for c in range(3 * n + 1, 3 * n + 11):
        f.write(f"{c} {c} {c} - forked {3*n}\n{c} {c} {c+1} - exit 3\n{c} {c} {c+2} - exit_done\n")
    f.write(f"{3*n} {3*n} {4*n} - exit 0\n{3*n} {3*n} {4*n+1} - exit_done\n")
m = 200000
with open("mods.trace", "w") as f:
    f.write("1 1 1 - tlstrace 2 0 /x x\n")
    for k in range(m):
        f.write(f"1 1 {2+k} - mod {k} 0x{0x100000*(k+1):x} 0 - /lib/lib{k}.so\n")
    f.write(f"1 1 {m+10} - exit 0\n1 1 {m+11} - crash 11 1 0x0 {m-1}+0x10 0x0\n"
            f"1 1 {m+12} - crash_bt libgcc {m-1}+0x10 {m//2}+0x20 0+0x30\n1 1 {m+13} - crash_end default\n")
r = random.Random(227)
ids = list(range(3000))
r.shuffle(ids)
with open("modsrand.trace", "w") as f:
    f.write("1 1 1 - tlstrace 2 0 /x x\n")
    for k, i in enumerate(ids):
        f.write(f"1 1 {2+k} - mod {i} 0x{0x100000*(i+1):x} 0 - /lib/lib{i}.so\n")
    f.write("1 1 5000 - mod 17 0x7f0000000000 0 - /lib/again17.so\n")
    f.write("1 1 9000 - exit 0\n1 1 9001 - crash 11 1 0x0 17+0x10 0x0\n"
            "1 1 9002 - crash_bt libgcc 17+0x10 2999+0x20 0+0x30\n1 1 9003 - crash_end default\n")
n = 60000
with open("masked.trace", "w") as f:
    f.write("1 1 1 - tlstrace 2 0 /sup sup\n")
    for p in range(2, n + 2):
        f.write(f"{p} {p} {10 + p} - tlstrace 2 1 /bin/w w\n{p} {p+1} {11+p} - sig_mask thread 0x8000 -\n{p} {p} {20 + p} - exit 0\n")
    for p in range(2, n + 2):
        t = 10 * n + 2 * p
        f.write(f"1 1 {t} - kill kill 15 {p} - 0 0 - - 0x1000\n1 1 {t + 1} - reap waitpid {p} signal 15 0 0\n")
    f.write(f"1 1 {30 * n} - exit 0\n1 1 {30 * n + 1} - exit_done\n")
n = 60000  # n children started with SIGTERM blocked by their parent's thread, each reaped after SIGKILL
with open("inherit.trace", "w") as f:  # (its sites absolute: no module of the process near them)
    f.write("1 1 1 - tlstrace 2 0 /sup sup\n1 1 2 - sig_mask pthread_sigmask 0x8000 0x1000\n")
    for p in range(2, n + 2):
        f.write(f"1 1 {10 + p} - fork {p}\n")
    for p in range(2, n + 2):
        f.write(f"{p} {p} {10 * n + p} - forked 1\n{p} {p} {10 * n + p} - sig_inherit 0x8000 0x0\n")
    for p in range(2, n + 2):
        f.write(f"1 1 {30 * n + p} - reap waitpid {p} signal 9 0 0\n")
    f.write(f"1 1 {40 * n} - exit 0\n1 1 {40 * n + 1} - exit_done\n")
n = 60000  # n forked workers killed by SIGTERM, running, from a sender their parent was not stopped by
with open("stopped.trace", "w") as f:
    f.write("1 1 1000 - tlstrace 3 0 /sup sup\n1 1 1000 - config signals=1 stderr=1 watch=off bt=16 hang=2000\n")
    for p in range(2, n + 2):
        f.write(f"1 1 {2000 + 20 * p} - fork {p}\n{p} {p} {2010 + 20 * p} - forked 1\n")
    for p in range(2, n + 2):
        f.write(f"{p} {p} {30 * n + p} - sig_arrive 15 0 99999 0 0x0 dfl -\n")
    for p in range(2, n + 2):
        f.write(f"1 1 {40 * n + p} - reap waitpid {p} signal 15 0 0\n")
    f.write(f"1 1 {50 * n} - exit 0\n1 1 {50 * n + 1} - exit_done\n")
n = 40000  # a supervisor that hangs after telling n children to stop with SIGTERM, none reaped
with open("told.trace", "w") as f:
    f.write("1 1 1 - tlstrace 3 0 /sup sup\n")
    for p in range(2, n + 2):
        f.write(f"1 1 {10 + p} - fork {p}\n{p} {p} {11 + p} - forked 1\n")
    for p in range(2, n + 2):
        f.write(f"1 1 {10 * n + 2 * p} - kill kill 15 {p} - 0 0 - - 0x1000\n")
    f.write(f"1 1 {30 * n} - exit 0\n1 1 {30 * n + 5} - hang_arm exit 100\n1 1 {30 * n + 100000000} - hang 1 100 exit 1\n"
            f"1 1 {30 * n + 100000001} - hang_thread 1 S sup hrtimer_nanosleep 230 - - -\n1 1 {30 * n + 100000002} - hang_end 1\n")
n = 40000  # a hang snapshot of n threads, each waiting for a mutex the next holds, twice
with open("hang.trace", "w") as f:
    f.write("1 1 1 - tlstrace 2 0 /x x\n1 1 2 - hang_arm exit 2000\n1 1 3 - exit 0\n")
    for rnd in (1, 2):
        f.write(f"1 99999 {10*rnd} - hang {rnd} {2000*rnd} exit 1\n")
        for t in range(1, n + 1):
            f.write(f"1 99999 {10*rnd} - hang_thread {t} S w futex_do_wait 202 mutex 0x{0x1000+t:x} {t + 1 if t < n else 1}\n"
                    f"1 99999 {10*rnd} - hang_bt {t} asleep\n")
        f.write(f"1 99999 {10*rnd+1} - hang_end {rnd}\n")
PY
report_timed kin.trace kin.trace
grep -qxF "process 100001 p (forked from 1): exit status 3" kin.trace.txt || fail "kin: a child of its own parent is not shown"
grep -q "^10 children of 300000 (q) exited with status 3, nothing else in their timelines, no finding (pids 300001 300002 " kin.trace.txt ||
	{ grep "children of" kin.trace.txt | head -3; fail "kin: the 10 children of 300000 not folded"; }
report_timed mods.trace mods.trace
grep -q "#0  lib199999.so+0x10" mods.trace.txt || { grep -A4 backtrace mods.trace.txt; fail "mods: the crash's frame #0 not in its module"; }
grep -q "#1  lib100000.so+0x20" mods.trace.txt || fail "mods: frame #1 not in its module"
report_timed modsrand.trace modsrand.trace
grep -q "#0  again17.so+0x10" modsrand.trace.txt || { grep -A4 backtrace modsrand.trace.txt; fail "modsrand: module 17 is not the one written last"; }
grep -q "#1  lib2999.so+0x20" modsrand.trace.txt || fail "modsrand: frame #1 not in its module"
report_timed masked.trace masked.trace
[ "$(grep -c "^    the SIGTERM that process 1 (sup) sent to process [0-9]* (w) never arrived" masked.trace.txt)" = 60000 ] ||
	fail "masked: not every worker's SIGTERM that never arrived"
report_timed inherit.trace inherit.trace
[ "$(grep -c "root cause: SIGTERM blocked: thread [0-9]* inherited it blocked from the parent .*; its parent 1 (sup): thread 1 blocked it with pthread_sigmask() from 0x1000 and forked it" inherit.trace.txt)" = 60000 ] ||
	fail "inherit: not every child's parent named"
report_timed stopped.trace stopped.trace
grep -q "error killed x60000 .*SIGTERM" stopped.trace.txt || { grep -m3 "killed" stopped.trace.txt; fail "stopped: not every worker's killed finding"; }
report_timed told.trace told.trace
grep -q "it had not reaped the children it told to stop, .*: SIGTERM to 2 (sup) 100.800 ms before, which has no end in its trace" told.trace.txt ||
	{ grep -m2 -o "it had not reaped.\{0,300\}" told.trace.txt; fail "told: the children told to stop not named"; }
report_timed hang.trace hang.trace
grep -q "thread 1 waits for the mutex at 0x1001 held by thread 2" hang.trace.txt || { grep -m3 "waits for" hang.trace.txt; fail "hang: thread 1's holder"; }
true
