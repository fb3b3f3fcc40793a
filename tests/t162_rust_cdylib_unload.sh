#!/bin/bash
# t162: a Rust cdylib (rust_unload.rs, Debian's rustc) loaded with dlopen, used on a thread,
# dlclosed while that thread lives, then the thread exits (rust_unload_host.c).
# "tls": std's thread_local! with Drop registers its destructor with the library's DSO handle, so
# glibc keeps the library loaded: the destructor runs at thread exit, exit 0, and the report has
# no destructor-after-unload (no false alarm; the trace shows no unmod of it before the run).
# "key": a pthread key whose destructor is a Rust function of the library, never deleted:
# dlclose unloads it, the thread's exit calls the destructor at an unmapped address, SIGSEGV as
# without the shim; the report's destructor-after-unload finding names the module, the function
# demangled (rust_unload::conn_key_dtor, no hash), the dlclose and its caller (main in the host).
. "$(dirname "$0")/lib.sh"
RUSTC=/usr/bin/rustc
[ -x $RUSTC ] || skip "Debian's rustc not installed"
mkdir -p "$BIN/rust_unload"
LIB=$BIN/rust_unload/librust_unload.so
if [ ! -e "$LIB" ] || [ "$ROOT/tests/src/rust_unload.rs" -nt "$LIB" ]; then
	$RUSTC --crate-type cdylib -O -g -o "$LIB" "$ROOT/tests/src/rust_unload.rs" || fail "rustc failed"
fi
build rust_unload_host rust_unload_host.c -- -lpthread -ldl

plain_and_traced tls "$BIN/rust_unload_host" tls "$LIB"
[ $RC = 0 ] || fail "tls: exit status $RC"
main=$(pids tls '^tlstrace$' | head -1)
expect_line tls "^$main [0-9]+ . tls_reg [0-9]+ .*CONN"
expect_line tls "^$main [0-9]+ . tls_dtor_end "
# in time (a thread's lines may be written later): dlclose, then the destructor's run, and the
# library unloaded at no time before it
id=$(awk '$5 == "mod" && $NF ~ /librust_unload/ { print $6 }' "$W/tls.trace")
awk -v id="$id" '$5 == "dlclose" { c = $3 } $5 == "tls_dtor" && $8 ~ "^" id "\\+" { d = $3 } $5 == "unmod" && $6 == id { u = $3 }
	END { exit !(c && d && c < d && (!u || u > d)) }' "$W/tls.trace" || fail "tls: not dlclose, then the destructor's run in the loaded library"
"$REPORT" "$W/tls.trace" >"$W/tls.report" 2>&1; rrc=$?
[ $rrc = 0 ] || { cat "$W/tls.report"; fail "tls: report status $rrc (findings for a library glibc kept loaded)"; }
grep -q "TLS destructor of rust_unload::CONN (librust_unload.so)" "$W/tls.report" || fail "tls: the destructor's run not named"

plain_and_traced key "$BIN/rust_unload_host" key "$LIB"
[ $RC = 139 ] || fail "key: exit status $RC, expected death by SIGSEGV"
f=$W/key.report
main=$(pids key "^tlstrace$" | head -1)
"$REPORT" "$W/key.trace" >"$f" 2>&1
grep -Eq "^\[[0-9]+\] error destructor-after-unload " "$f" || { cat "$f"; fail "key: no destructor-after-unload finding"; }
grep -q "the destructor of pthread key [0-9]*, rust_unload::conn_key_dtor+0x0 (rust_unload.rs:[0-9]*) in librust_unload.so, was called on thread [0-9]* [0-9.]* ms after librust_unload.so was unloaded by dlclose(0x[0-9a-f]*) from main+0x[0-9a-f]* (rust_unload_host.c:[0-9]*) in rust_unload_host on thread $main" "$f" ||
	fail "key: message: $(grep -m1 'was called on thread' "$f")"
grep -q "conn_key_dtor17h\|_ZN" "$f" && fail "key: a mangled name in the report"
"$REPORT" --json "$W/key.trace" >"$W/key.json" 2>/dev/null
$PY - "$W/key.json" <<'PYEOF' || fail "key: JSON"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
d = next(x for x in f if x["kind"] == "destructor-after-unload")
assert d["backtrace"][0]["function"] == "rust_unload::conn_key_dtor", d["backtrace"]
assert d["backtrace"][0]["module"].endswith("librust_unload.so"), d["backtrace"]
crash = next(x for x in f if x["kind"] == "crash")
assert f[crash["caused_by"]]["kind"] == "destructor-after-unload", crash
PYEOF
exit 0
