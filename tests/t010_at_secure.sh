#!/bin/bash
# t010: a set-uid program (AT_SECURE) ignores TLSTRACE_*: with the shim loaded (ld.so preloads in
# secure mode only set-uid libraries from system directories, so a copy is installed there for the
# test), no trace appears at TLSTRACE_FILE nor at the default path; a control run of a non-set-uid
# copy by the same user does write the trace.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (installs a set-uid library copy)"
command -v setpriv >/dev/null || skip "no setpriv"
build maps_check maps_check.c
libdir=/usr/lib/x86_64-linux-gnu
[ -d $libdir ] || skip "no $libdir"
lib=libtlstrace-atsecure-test-$$.so
dir=$(mktemp -d /tmp/tlstrace-atsecure.XXXXXX)
trap 'rm -rf "$dir" "$libdir/$lib"' EXIT
install -m 4755 "$SHIM" "$libdir/$lib"
install -m 4755 -o root "$BIN/maps_check" "$dir/suid"
install -m 0755 "$BIN/maps_check" "$dir/plain"
chmod 1777 "$dir"
as_nobody() { (cd "$dir" && setpriv --reuid=65534 --regid=65534 --clear-groups env LD_PRELOAD=$lib TLSTRACE_FILE=$dir/secure.trace "$@"); }

out=$(as_nobody "$dir/suid" "$lib") || fail "set-uid run failed: $out"
[ "$out" = "euid=0 mapped=1" ] || fail "set-uid run: expected euid=0 mapped=1, got: $out"
[ ! -e "$dir/secure.trace" ] || fail "AT_SECURE: TLSTRACE_FILE was honoured"
ls "$dir"/tlstrace.*.log >/dev/null 2>&1 && fail "AT_SECURE: a default trace was written"

out=$(as_nobody "$dir/plain" "$lib") || fail "control run failed"
[ "$out" = "euid=65534 mapped=1" ] || fail "control run: got: $out"
[ -s "$dir/secure.trace" ] || fail "control run wrote no trace: the test would prove nothing"
