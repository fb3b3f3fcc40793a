#!/bin/bash
# t472: who holds a futex an exit step waits on (issue 15, HANG17 item 4): a robust mutex's owner
# (its __lock is the owner's tid with FUTEX_WAITERS: before, a plain "futex", no holder), a PI
# mutex's (FUTEX_LOCK_PI on the tid), and a raw futex, which records no holder: the report says so
# plainly (before: "waiting on a futex in futex"). tests/src/futex_holders.c; killed after two
# complete snapshots.
. "$(dirname "$0")/lib.sh"
build futex_holders futex_holders.c -- -pthread -O1
H=300
for m in robust pi raw; do
	hung_run $m "$BIN/futex_holders" $m
	keeper=$(awk '$5 == "hang_thread" && $6 != $1 { print $6; exit }' "$W/$m.trace")
	hang=$(grep -A4 "^\[[0-9]*\] error hang" "$W/$m.txt")
	[ -n "$hang" ] || fail "$m: no hang finding: $(sed -n '/^findings/,$p' "$W/$m.txt")"
	case $m in
	raw)
		echo "$hang" | grep -q "inside the atexit handler wait_at_exit (futex_holders.c:[0-9]*) in futex_holders, waiting on the raw futex raw_word (0x[0-9a-f]*) (no holder recorded)" ||
			fail "raw: message: $hang"
		echo "$hang" | grep -q "root cause: .*waiting on the raw futex raw_word (0x[0-9a-f]*) in futex (a raw futex: .*so it records no holder" ||
			fail "raw: root cause: $hang" ;;
	*)
		grep -q " hang_thread [0-9]* S futex_holders [^ ]* 202 mutex 0x[0-9a-f]* $keeper\$" "$W/$m.trace" || fail "$m: hang_thread: $(grep hang_thread "$W/$m.trace")"
		echo "$hang" | grep -q "waiting on held_mutex held by thread $keeper:" || fail "$m: message: $hang"
		echo "$hang" | grep -q "root cause: .*waits for the mutex held_mutex (0x[0-9a-f]*) held by thread $keeper (futex_holders, started at keeper)" ||
			fail "$m: root cause: $hang" ;;
	esac
done
exit 0
