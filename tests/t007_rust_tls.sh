#!/bin/bash
# t007: a Rust program (Debian's rustc) with a thread_local! whose value has a Drop impl: std
# registers the destructor through its GOT; the registration and the destructor run are traced on
# the main thread and on a spawned thread, with the variable's symbol; exit status unchanged.
. "$(dirname "$0")/lib.sh"
RUSTC=/usr/bin/rustc
[ -x $RUSTC ] || skip "Debian's rustc not installed"
if [ ! -e "$BIN/rust_tls" ] || [ "$ROOT/tests/src/rust_tls.rs" -nt "$BIN/rust_tls" ]; then
	$RUSTC -O -g -o "$BIN/rust_tls" "$ROOT/tests/src/rust_tls.rs" || fail "rustc failed"
fi
# the call is through the GOT, not a PLT entry
objdump -d "$BIN/rust_tls" | grep -q "call.*__cxa_thread_atexit_impl@plt" && note "rustc used a PLT call"
plain run "$BIN/rust_tls"; PLAIN_RC=$RC
traced run "$BIN/rust_tls"; TRACED_RC=$RC
same_outcome run
[ "$RC" = 4 ] || fail "exit status $RC, expected 4"
main=$(pids run '^tlstrace$')
tid=$(awk -v m="$main" '$1 == m && $4 == "thread_start" { print $2 }' "$W/run.norm")
for t in $main $tid; do
	seq=$(awk -v t="$t" '$2 == t && $4 == "tls_reg" && $11 ~ /RUST_TLS/ { print $5; exit }' "$W/run.norm")
	[ -n "$seq" ] || fail "thread $t: no registration of RUST_TLS"
done
expect_order run "$main" \
	"^$tid . tls_reg [0-9]+ 0x[0-9a-f]+ rust_tls\\+0x[0-9a-f]+ .*RUST_TLS" \
	"^$tid . thread_exit return$" "^$tid . tls_dtor [0-9]+ " "^$tid . tls_dtor_end " \
	"^$main . exit 4$" "^$main . tls_dtor [0-9]+ " "^$main . tls_dtor_end "
