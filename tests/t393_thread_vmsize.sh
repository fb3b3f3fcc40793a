#!/bin/bash
# t393: a program that reads its VmSize around making threads sees no more per thread with the
# shim than without (issue 14: "no extra memory mappings per thread"; review/vmsize.c,
# res_vmsize): each thread's start takes one 4 KiB chunk of the shim's per-thread arena, and past
# the static ones (4 before) the first took a 1 MiB region, 102 KiB "per thread" of 10. Now 32 are
# static (arena.c STATIC_CHUNKS). VmSize is read once every thread has begun (its chunk taken): a
# read right after pthread_create saw the region or not by the threads' timing.
. "$(dirname "$0")/lib.sh"
build thread_vmsize thread_vmsize.c -- -pthread
plain pv "$BIN/thread_vmsize"
[ "$RC" = 0 ] || fail "without the shim: status $RC"
traced tv "$BIN/thread_vmsize"
[ "$RC" = 0 ] || fail "with the shim: status $RC"
[ "$(cat "$W/tv.out")" = "$(cat "$W/pv.plain.out")" ] || fail "with the shim: $(cat "$W/tv.out"); without: $(cat "$W/pv.plain.out")"
exit 0
