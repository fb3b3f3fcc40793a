#!/bin/bash
# t492: posix_spawn and posix_spawnp are interposed (shim/spawn.c: made again after a failure for
# want of a task the hang watchdog's thread held, t384), unversioned, so the shim's wrappers take
# the calls of both of glibc's versions of each. Each must run the version its caller bound:
# GLIBC_2.15's, or the older one (__posix_spawn_compat, SPAWN_XFLAGS_TRY_SHELL: a file that is
# no executable run again by /bin/sh), which a program linked before glibc 2.15 binds (here
# asked for by .symver; a module importing both versions of one name, which only .symver makes,
# gets its first import's for both). Without the shim the old version's child runs the script
# (exit 9), the new one's does not; the same with it.
. "$(dirname "$0")/lib.sh"
build spawn_versions spawn_versions.c
build spawn_versions_old spawn_versions.c -- -DOLD
printf 'exit 9\n' >"$W/noshebang"
chmod +x "$W/noshebang"
plain_and_traced new "$BIN/spawn_versions" "$W/noshebang"
plain_and_traced old "$BIN/spawn_versions_old" "$W/noshebang"
grep -qx 'posix_spawn@GLIBC_2.2.5: child exited 9' "$W/old.out" || { cat "$W/old.out"; fail "the old posix_spawn did not run the script with sh"; }
grep -qx 'posix_spawnp@GLIBC_2.2.5: child exited 9' "$W/old.out" || { cat "$W/old.out"; fail "the old posix_spawnp did not run the script with sh"; }
! grep -q 'child exited 9' "$W/new.out" || { cat "$W/new.out"; fail "the new posix_spawn ran the script with sh"; }
echo ok
