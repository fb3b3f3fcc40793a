#!/bin/bash
# t025: the seed app under Apache 2.4 + mod_wsgi (Debian's packages), a private instance on a
# loopback port, stopped with SIGTERM:
# - prefork, embedded: the child finalizes Python in its pool cleanup (Py_Finalize, interposed),
#   then exits; the TLS destructor runs last; the atexit callback saw the live object; no finding;
# - event MPM, embedded: the request thread ends (its tls_obj destroyed); Py_Finalize on the main
#   thread runs the callback there, which constructs tls_obj anew (late=pyfin) and crashes on it;
#   Apache logs the child's SIGSEGV, as it does without the shim; the report ties the crash to the
#   late construction, both with the Python traceback of the atexit callback;
# - daemon mode (WSGIDaemonProcess): the same in the daemon process.
. "$(dirname "$0")/lib.sh"
[ -x /usr/sbin/apache2 ] && [ -e /usr/lib/apache2/modules/mod_wsgi.so ] || skip "apache2 / mod_wsgi not installed"
ext='seedext\.cpython-[^ ]*\.so'

# children: forked from the Apache parent, the ones that finalized Python
pyfin_children() { awk '$4 == "py_fin" { print $1 }' "$W/$1.norm" | sort -u; }

apache_run prefork prefork
[ $RC = 0 ] || fail "prefork: Apache exited $RC"
grep -q "at_exit: [1-9]" "$W/prefork.apache/error.log" || fail "prefork: the atexit callback did not see the live object"
c=$(pyfin_children prefork)
[ -n "$c" ] || fail "prefork: no child finalized Python"
expect_order prefork "$c" \
	"^$c I tls_reg [0-9]+ .* tls_obj 0x0 16 -$" \
	"^$c I py_fin Py_Finalize$" "^$c D py_fin_end Py_Finalize 0$" \
	"^$c D exit 0$" "^$c D tls_dtor [0-9]+ 0x[0-9a-f]+ $ext" "^$c D exit_done$"
expect_no_line prefork " (uad|crash|late) "
expect_no_findings prefork "prefork (every process)"

for mode in event daemon; do
	apache_run $mode $mode
	[ $RC = 0 ] || fail "$mode: Apache exited $RC"
	c=$(pyfin_children $mode | head -1)
	[ -n "$c" ] || fail "$mode: no process finalized Python"
	req=$(awk -v c="$c" '$1 == c && $4 == "tls_reg" && $11 == "tls_obj" && $14 == "-" { print $2; exit }' "$W/$mode.norm")
	[ -n "$req" ] && [ "$req" != "$c" ] || fail "$mode: tls_obj was not used on a request thread"
	expect_order $mode "$c" \
		"^$req I tls_reg [0-9]+ .* tls_obj 0x0 16 -$" \
		"^$c I py_fin Py_Finalize$" \
		"^$c A tls_reg [0-9]+ .* tls_obj 0x0 16 pyfin$" \
		"^$c A crash 11 1 0x0 $ext\\+0x"
	$REPORT --json "$W/$mode.trace" >"$W/$mode.json"; [ $? = 1 ] || fail "$mode: report found nothing"
	$PY - "$W/$mode.json" "$c" <<'PYEOF' || fail "$mode: report"
import json, sys
doc = json.load(open(sys.argv[1]))
pid = int(sys.argv[2])
f = [x for x in doc["findings"] if x["pid"] == pid]
crash = next(x for x in f if x["kind"] == "crash")
cause = doc["findings"][crash["caused_by"]]
assert cause["kind"] == "construct-during-teardown" and cause["tls"]["symbol"] == "tls_obj", cause
assert "Py_Finalize" in cause["message"]
# the late construction and the crash carry the Python traceback: the atexit callback
for x in (cause, crash):
    assert any("seed_app.py" in l and "at_exit" in l for l in x["python_traceback"] or []), x
assert cause["python_callback"].startswith("seed_app.at_exit (seed_app.py:"), cause["python_callback"]
proc = next(p for p in doc["processes"] if p["pid"] == pid)
assert proc["signal"] == 11 and proc["exit"] is None, proc
PYEOF
done
grep -q "exit signal Segmentation fault" "$W/event.apache/error.log" || fail "event: Apache did not see its child crash"

# without the shim, the event MPM child crashes the same way
NOSHIM=1 apache_run plain event
grep -q "exit signal Segmentation fault" "$W/plain.apache/error.log" || fail "without the shim the event MPM child did not crash: the test proves nothing"
