#!/bin/bash
# parallel: chroot
# t070: the suite on Debian 13 "trixie", by `tests/chroot test trixie`: this tree's Debian
# package built with the release's gcc and installed in a throwaway copy of the cached chroot,
# then the C/C++ teardown cases, the crash handler, the seed and clean runs under python3, uWSGI,
# mod_wsgi and gunicorn, and the package checks, against the installed files (tests/chroot lists
# the cases). The chroot is made on first use (debootstrap and apt: network, minutes); logs in
# tests/out/chroot-trixie/.
# timeout: 1500
. "$(dirname "$0")/lib.sh"
[ "${TEST_INSTALLED:-0}" = 1 ] && skip "already inside a chroot"
[ "$(id -u)" = 0 ] || skip "needs root"
# on a fresh machine, sid's chroot is made at the same time as trixie's (t071 then finds it)
"$ROOT/tests/chroot" setup trixie sid || fail "tests/chroot setup trixie sid failed"
"$ROOT/tests/chroot" test trixie; rc=$?
[ $rc = 0 ] || fail "tests/chroot test trixie exited $rc (logs: tests/out/chroot-trixie/)"
