#!/bin/bash
# t140: each arrival of a termination signal is a `sig_arrive` line (thread, sender pid and uid,
# the handler that ran, the sender's name), and the program ends exactly as without the shim:
# SIG_DFL deaths (SIGTERM, SIGQUIT with its core bit, SIGINT, SIGHUP, SIGUSR1, SIGPIPE sent or from
# a write to a dead pipe), a handler with SA_RESETHAND|SA_SIGINFO (it reads SIG_DFL back and the
# sender's pid; the second SIGTERM kills), a sigwaitinfo user (an arrival `wait`), a signalfd user
# (none), SIG_IGN inherited across exec (nothing installed: SigCgt has no bit, no arrival), a
# SIGABRT sent by kill to a handler (an arrival, not a crash), a SIGTERM at SIG_DFL pending with a
# SIGCHLD the program handles (it dies of the SIGTERM, its handler never runs: under the shim it
# ran first, nested on the shim's handler, and printed). The report names the sender. What
# sigaction reports (handler, flags, mask, restorer) is the same as without the shim.
. "$(dirname "$0")/lib.sh"
ulimit -S -c 0
build termsig termsig.c -- -pthread
build sigreadback sigreadback.c
# the program reads back its own actions, flags and masks as without the shim
plain_and_traced readback "$BIN/sigreadback"
cmp -s "$W/readback.plain.out" "$W/readback.out" || { diff "$W/readback.plain.out" "$W/readback.out"; fail "sigaction reads back differently"; }
for m in "dfl TERM" "dfl QUIT" "dfl INT" "dfl HUP" "dfl USR1" "dfl PIPE" pipe resethand sigwait signalfd ign abort pending; do
	n=${m// /_}
	plain_and_traced "$n" "$BIN/termsig" $m
done
P=$(pids dfl_TERM '^tlstrace$')
expect_line dfl_TERM "^$P $P - sig_arrive 15 0 [0-9]+ 0 0x0 dfl termsig$"
for s in "QUIT 3" "INT 2" "HUP 1" "USR1 10" "PIPE 13"; do
	expect_line "dfl_${s% *}" " sig_arrive ${s#* } 0 [0-9]+ 0 0x0 dfl termsig$"
done
expect_line pipe " sig_arrive 13 0 [0-9]+ 0 0x0 dfl -$"
[ "$(count_lines resethand ' sig_arrive 15 0 [0-9]+ 0 termsig\+0x[0-9a-f]+ fn termsig$')" = 1 ] || fail "resethand: the handler's arrival"
expect_line resethand " sig_arrive 15 0 [0-9]+ 0 0x0 dfl termsig$"
expect_line sigwait " sig_arrive 15 0 [0-9]+ 0 0x0 wait termsig$"
expect_no_line signalfd " sig_arrive "
expect_no_line ign " sig_arrive "
expect_line ign " sig_inherit 0x0 0x800[048c]$"
expect_line abort " sig_arrive 6 0 [0-9]+ 0 termsig\+0x[0-9a-f]+ fn termsig$"
expect_no_line abort " crash "
# a core where there was one: SIGQUIT's default action
$PY - "$BIN/termsig" "$SHIM" "$W" <<'PYEOF' || fail "SIGQUIT's core bit differs"
import os, resource, sys
h = resource.getrlimit(resource.RLIMIT_CORE)[1]; resource.setrlimit(resource.RLIMIT_CORE, (h, h))
res = []
for pre in (None, sys.argv[2]):
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    if pre:
        env.update(LD_PRELOAD=pre, TLSTRACE_FILE=sys.argv[3] + "/core.trace")
    pid = os.fork()
    if pid == 0:
        os.chdir(sys.argv[3])
        os.execve(sys.argv[1], [sys.argv[1], "dfl", "QUIT"], env)
    _, st = os.waitpid(pid, 0)
    res.append((os.WTERMSIG(st), os.WCOREDUMP(st)))
for f in os.listdir(sys.argv[3]):
    if f == "core" or f.startswith("core."):
        os.unlink(os.path.join(sys.argv[3], f))
assert res[0] == res[1] and res[0][0] == 3, res
PYEOF
# the report: the sender by pid and name, the thread, the default action
$REPORT --color=never "$W/dfl_TERM.trace" >"$W/report.txt" 2>&1
grep -Eq "was killed by SIGTERM, sent by process [0-9]+ \\(termsig, traced; uid 0\\) .*taken by thread $P with the default action" "$W/report.txt" ||
	{ cat "$W/report.txt"; fail "killed: the sender"; }
$REPORT --color=never "$W/resethand.trace" >"$W/report2.txt" 2>&1
grep -Eq "SIGTERM arrived from process [0-9]+ \\(termsig, traced; uid 0\\) at .*, ran on_term" "$W/report2.txt" ||
	{ cat "$W/report2.txt"; fail "killed: the arrivals"; }
exit 0
