#!/bin/bash
# t139: the crash line on stderr says who sent a signal that came from kill/raise/sigqueue
# (si_code <= 0: si_addr's place holds the sender's pid, not an address): "sent by pid N", never
# "at 0x<pid>"; a real fault keeps its address.
. "$(dirname "$0")/lib.sh"
ulimit -c 0
T=$ROOT/tlstrace
for s in SEGV BUS FPE ILL ABRT; do
	"$T" -- sh -c "echo \$\$ >$W/pid; kill -$s \$\$" >/dev/null 2>"$W/$s.err"
	pid=$(cat "$W/pid")
	line=$(grep "si_code" "$W/$s.err")
	[ -z "$line" ] && [ $s = ABRT ] && continue # an abort sent by kill is no crash line of its own
	echo "$line" | grep -q "(si_code 0: SI_USER) sent by pid $pid, ip " || fail "$s by kill: $line"
	echo "$line" | grep -q ") at 0x" && fail "$s by kill: an address: $line"
done
# sent by another process: its pid
"$T" -- "$PY" -c '
import os, signal, time
p = os.getpid()
c = os.fork()
if c == 0:
    print(os.getpid(), flush=True); os.kill(p, signal.SIGSEGV); os._exit(0)
time.sleep(60)  # (only until the child sends SIGSEGV: 5 s before, which a busy machine could outlast)' >"$W/other.out" 2>"$W/other.err"
sender=$(head -1 "$W/other.out")
grep -q "SIGSEGV (si_code 0: SI_USER) sent by pid $sender, ip " "$W/other.err" || fail "sent by another: $(grep si_code "$W/other.err")"
# a real fault: the faulting address
build crashers crashers.c -- -O0 -pthread
"$T" -- "$BIN/crashers" own >/dev/null 2>"$W/fault.err"
grep -Eq "SIGSEGV \(si_code [12]: SEGV_(MAPERR|ACCERR)\) at 0x[0-9a-f]+, ip " "$W/fault.err" || fail "a fault: $(grep si_code "$W/fault.err")"
exit 0
