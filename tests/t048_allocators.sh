#!/bin/bash
# t048: the kind of reliability case 04 (no re-entry into a library during its own
# initialization) with each preloaded allocator Debian has: jemalloc, tcmalloc (minimal and
# gperftools' full one), mimalloc, and a stand-in (reentry_alloc.c) that calls
# pthread_key_create, __cxa_atexit and pthread_atfork from its first allocation and says so on
# stderr if it is re-entered meanwhile; each before and after the shim in LD_PRELOAD. Programs:
# fork in C (case 04's), python3's os.fork, a C++ program with thread_locals, a pthread key with
# a destructor, threads and a fork whose child exit()s (alloc_teardown.cc). Each ends as with the allocator alone (status, stdout and stderr),
# within 10 s, and its trace was written.
. "$(dirname "$0")/lib.sh"
C04=$ROOT/tests/cases/reliability/04_jemalloc_fork_hang
build alloc_teardown alloc_teardown.cc -- -pthread
mkdir -p "$W"
gcc -O1 -o "$W/forkmin" "$C04/forkmin.c" || fail "cannot build forkmin"
libs=()
for l in libjemalloc.so.2 libtcmalloc_minimal.so.4 libtcmalloc.so.4 libmimalloc.so.2; do
	f=$(ls /usr/lib/*-linux-gnu/$l 2>/dev/null | head -1)
	[ -n "$f" ] && libs+=("$f") || note "missing: $l (tests/deps installs it)"
done
[ ${#libs[@]} = 4 ] || skip "allocators missing (tests/deps installs them)"
build reentry_alloc.so reentry_alloc.c -- -shared -fPIC
libs+=("$BIN/reentry_alloc.so")
n=0 bad=()
for lib in "${libs[@]}"; do
	a=$(basename "$lib" | sed 's/\.so.*//')
	for prog in forkmin py alloc; do
		env=() cmd=()
		case $prog in
		forkmin) cmd=("$W/forkmin") ;;
		py) cmd=("$PY" "$C04/fork.py") ;;
		alloc) cmd=("$BIN/alloc_teardown") ;;
		esac
		# output to files, not a pipe: a hung child would keep a pipe open
		# (timeout outside the preload: it forks too)
		timeout -k 2 10 env LD_PRELOAD=$lib "${cmd[@]}" >"$W/want.out" 2>&1 </dev/null; wrc=$?
		want=$(cat "$W/want.out")
		for order in first last; do
			pre="$lib:$SHIM"; [ $order = last ] && pre="$SHIM:$lib"
			t=$W/$a.$prog.$order.trace
			rm -f "$t"
			timeout -k 2 10 env "${env[@]}" LD_PRELOAD=$pre TLSTRACE_FILE=$t "${cmd[@]}" \
				>"$W/got.out" 2>&1 </dev/null
			grc=$?
			got=$(cat "$W/got.out")
			n=$((n + 1))
			what=
			[ $grc = $wrc ] || what="exit $wrc -> $grc"
			[ "$got" = "$want" ] || what="$what${what:+, }output '$want' -> '$got'"
			[ -s "$t" ] || what="$what${what:+, }no trace"
			printf '%-20s %-12s alloc %-5s %s\n' "$a" "$prog" "$order" "${what:-same}"
			[ -z "$what" ] || bad+=("$a $prog $order: $what")
		done
	done
done
[ ${#bad[@]} = 0 ] || fail "${#bad[@]} of $n runs differ: ${bad[*]}"
echo "ok ($n runs)"
