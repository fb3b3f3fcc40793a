#!/bin/bash
# t334: a static destructor that ends the process with SIGABRT through glibc's abort(), raise() or
# pthread_kill() (tests/src/dtor_abort.cc): the crash's message, the verdict's headline, names
# the program's frame that raised it ("SIGABRT sent (SI_TKILL) by abort() in check_state(int)
# ... in dtor_abort"), not glibc's __pthread_kill_implementation (FRESH10b), as does the timeline's
# crash line, while the backtrace keeps every frame. Before: "SIGABRT sent (SI_TKILL) in __pthread_kill_implementation+0x..."
# (where libc has no symbols, as in tests/golden's abort.txt, frame #0 is named, as before).
. "$(dirname "$0")/lib.sh"
build dtor_abort dtor_abort.cc
for how in abort raise pthread_kill; do
	traced $how "$BIN/dtor_abort" $how
	[ $RC = 134 ] || fail "$how: status $RC"
	"$REPORT" --color=never "$W/$how.trace" >"$W/$how.txt"
	grep -A1 "^verdict" "$W/$how.txt" | grep -q "crash: SIGABRT sent (SI_TKILL) by $how() in check_state(int)+0x[0-9a-f]* (dtor_abort.cc:[0-9]*) in dtor_abort\$" ||
		fail "$how: headline: $(grep -A1 '^verdict' "$W/$how.txt")"
	grep -q "^    SIGABRT sent (SI_TKILL) by $how() in check_state" "$W/$how.txt" || fail "$how: finding's message"
	grep -q "!! SIGABRT sent (SI_TKILL) by $how() in check_state" "$W/$how.txt" || fail "$how: timeline: $(grep '!! SIGABRT' "$W/$how.txt")"
	grep -q "phase: .*static destructor" "$W/$how.txt" || fail "$how: phase: $(grep 'phase:' "$W/$how.txt")"
	grep -q "#0  __pthread_kill_implementation" "$W/$how.txt" || fail "$how: the backtrace lost glibc's frames"
done
echo ok
