#!/bin/bash
# t410: no descriptor taken from the program under the common soft RLIMIT_NOFILE of 1024
# (systemd's DefaultLimitNOFILE=1024:524288, a login shell; HOSTILE15). The trace was kept at fd
# 1000, a number the program's open() reaches under that limit: a program that opened files
# until EMFILE got 1020 instead of 1021, and fd 1000 was never its own. Now, where the soft limit
# is at most 4096, the trace is kept at the number just at the limit (out of reach), as it was
# already for limits below 1000. Each run: the same output with and without the shim, run from
# a shell that sets the limit (the hard one above it).
. "$(dirname "$0")/lib.sh"
build nofile_until_emfile nofile_until_emfile.c
hard=$(ulimit -Hn)
for lim in 1024 2048 4096 200; do
	[ "$hard" = unlimited ] || [ "$hard" -gt "$lim" ] || { note "hard limit $hard: $lim not tried"; continue; }
	# (descriptors 3 and up closed first: the test runner's own are not the program's)
	plain_and_traced lim$lim bash -c 'ulimit -Sn '$lim' || exit 9
		for f in /proc/$$/fd/*; do f=${f##*/}; [ "$f" -gt 2 ] && eval "exec $f>&-"; done
		exec "$0"' "$BIN/nofile_until_emfile"
	cat "$W/lim$lim.out"
	grep -q "^soft limit $lim: " "$W/lim$lim.out" || fail "lim$lim: the limit was not set"
	grep -q "skipped 0," "$W/lim$lim.out" || fail "lim$lim: the program did not get every number up to the last"
done
echo ok
