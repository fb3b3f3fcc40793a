#!/bin/bash
# t480: a signal handler is named, never shown as a bare module+offset where a better name is
# known (REPORT17 item 1). CPython's C-level handler (Modules/signalmodule.c signal_handler, static:
# unnamed in Debian's stripped python3) is named as what it is, known from the trace (installed
# from signal.signal: its sig_handler line followed by sig_handler_py lines), with or without
# symbols; a C program's static handler in a stripped executable is shown as module+offset with
# "(prog is stripped)"; the same program not stripped names it (.symtab).
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
cat >term.c <<'C'
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
static void on_term(int sig) { (void)sig; _exit(3); }
int main(void)
{
	signal(SIGTERM, on_term);
	kill(getpid(), SIGTERM);
	pause();
	return 0;
}
C
gcc -O1 -o term term.c || fail "build"
cp term term.stripped && strip term.stripped || fail "strip"
for p in term term.stripped; do
	rm -f $p.trace
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$p.trace ./$p
	[ $? = 3 ] || fail "$p: status"
	$REPORT --color=never $p.trace >$p.txt 2>&1
done
grep -q "ran the handler on_term (term)" term.txt || { cat term.txt; fail "term: the arrival's handler"; }
grep -q "ran the handler term.stripped+0x[0-9a-f]* (term.stripped is stripped)" term.stripped.txt ||
	{ cat term.stripped.txt; fail "stripped: the arrival's handler"; }
# CPython's: SIGTERM at a Python handler that sleeps, then SIGKILL (timeout -k): the killed
# finding's phase names the C-level handler, not python3+0x...
cp "$ROOT/tests/src/py_term_sleeps.py" sleeper.py
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/py.trace TLSTRACE_HANG_MS=300 timeout -k 1 60 $PY sleeper.py >py.out 2>&1 &
BG=$!
wait_for $BG 30 "ready from sleeper.py" has_lines py.out 1 '^ready$' || fail "py: ended: $(cat py.out)"
timeout_expire $BG
wait $BG
for s in "" --no-symbols; do
	$REPORT $s --color=never py.trace >py$s.txt 2>&1
	grep -q "phase:      in the SIGTERM handler: CPython's C-level signal handler (signal_handler in python3), which only marks the signal: the Python-level handler, on_term (set at sleeper.py:8), runs later on the main thread" py$s.txt ||
		{ grep -A2 'error killed' py$s.txt; fail "py$s: CPython's handler not named"; }
	! grep -Eq "handler python3\+0x|signal handler python3\+0x|ran python3\+0x" py$s.txt || { grep -E "python3\+0x" py$s.txt | grep -v '#'; fail "py$s: a bare python3+offset for the handler"; }
done
echo PASS
