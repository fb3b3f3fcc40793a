#!/bin/bash
# timeout: 600
# t027: the seed bug with a Rust thread_local! (tests/src/seedrs, PyO3 0.17 built offline from
# Debian's librust-pyo3-dev with /usr/bin/cargo) under uWSGI stopped with SIGINT: the worker's
# thread_local is destroyed by exit(), then uwsgi_plugins_atexit finalizes Python, whose atexit
# callback calls into Rust: the lookup of the destroyed thread_local! is flagged (uad naming
# RUST_SESSION), and Rust itself refuses the access (a panic, turned by PyO3 into a Python
# exception), so nothing crashes; the report has the use-after-destroy.
. "$(dirname "$0")/lib.sh"
command -v uwsgi >/dev/null || skip "uwsgi not installed"
[ -x /usr/bin/cargo ] && [ -d /usr/share/cargo/registry ] && ls -d /usr/share/cargo/registry/pyo3-0.17* >/dev/null 2>&1 ||
	skip "Debian's cargo and librust-pyo3-dev are not installed"
src=$ROOT/tests/src/seedrs
out=$BIN/pyext/seedrs$($PY -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
mkdir -p "$BIN/pyext"
if [ ! -e "$out" ] || [ -n "$(find "$src" -newer "$out" -name '*.rs' -o -newer "$out" -name 'Cargo.toml')" ]; then
	(cd "$src" && env PATH=/usr/bin:/bin PYO3_PYTHON=$PY CARGO_HOME=$ROOT/tests/out/cargo-home \
		CARGO_TARGET_DIR=$ROOT/tests/out/cargo /usr/bin/cargo build --release --offline --quiet) ||
		fail "cargo build of the PyO3 extension failed"
	cp "$ROOT/tests/out/cargo/release/libseedrs.so" "$out"
fi

UAPP=seedrs_app uwsgi_run rust INT
[ $RC = 0 ] || fail "uWSGI master exited $RC"
grep -q "at_exit failed: PanicException: cannot access a Thread Local Storage value during or after destruction" "$W/rust.log" ||
	{ tail -20 "$W/rust.log"; fail "Rust did not refuse the access after destruction"; }
w=$(uwsgi_worker rust)
sym='_ZN6seedrs12RUST_SESSION[^ ]*'
expect_order rust "$w" \
	"^$w I tls_reg [0-9]+ 0x[0-9a-f]+ seedrs[^ ]*\\+0x[0-9a-f]+ 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ $sym " \
	"^$w I exit 30$" \
	"^$w I tls_dtor [0-9]+ " \
	"^$w I atexit_run [0-9]+ uwsgi-core\\+" \
	"^$w I py_fin Py_Finalize$" \
	"^$w A uad [0-9]+ 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ $sym [0-9]+ seedrs[^ ]*\\+0x[0-9a-f]+ (gd|ld) " \
	"^$w D py_fin_end Py_Finalize 0$"
expect_no_line rust " crash "
$REPORT --json "$W/rust.trace" >"$W/rust.json"; [ $? = 1 ] || fail "report found nothing"
$PY -c '
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
u = [x for x in f if x["kind"] == "use-after-destroy" and "RUST_SESSION" in x["tls"]["symbol"]]
assert u and "seedrs" in u[0]["tls"]["module"], [x["tls"] for x in f if x["tls"]]
assert not [x for x in f if x["kind"] == "crash"]
' "$W/rust.json" || fail "report"
