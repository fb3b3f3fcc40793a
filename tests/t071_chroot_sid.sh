#!/bin/bash
# parallel: chroot
# t071: the suite on Debian unstable "sid", by `tests/chroot test sid`: this tree's Debian
# package built with the release's gcc and installed in a throwaway copy of the cached chroot,
# then the C/C++ teardown cases, the crash handler, the seed and clean runs under python3, uWSGI,
# mod_wsgi and gunicorn, and the package checks, against the installed files (tests/chroot lists
# the cases). The chroot is made on first use (debootstrap and apt: network, minutes); logs in
# tests/out/chroot-sid/.
# timeout: 1500
. "$(dirname "$0")/lib.sh"
[ "${TEST_INSTALLED:-0}" = 1 ] && skip "already inside a chroot"
[ "$(id -u)" = 0 ] || skip "needs root"
"$ROOT/tests/chroot" test sid; rc=$?
[ $rc = 0 ] || fail "tests/chroot test sid exited $rc (logs: tests/out/chroot-sid/)"
