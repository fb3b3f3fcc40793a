#!/bin/bash
# t005: Debian's /usr/bin/python3 (libpython linked in statically: no Py_* interposition) with the
# seed extension: the state column shows the interpreter initialized while the thread_local is
# registered and finalized by the time main returns, before the TLS destructors; nothing crashes,
# nothing is flagged; same outcome as without the shim.
. "$(dirname "$0")/lib.sh"
ext=$(build_pyext seedext seedext.cc)
export PYTHONPATH=$ext:$ROOT/tests/apps
plain run $PY -X faulthandler=0 "$ROOT/tests/apps/seed_main.py"; PLAIN_RC=$RC
traced run $PY -X faulthandler=0 "$ROOT/tests/apps/seed_main.py"; TRACED_RC=$RC
same_outcome run
[ "$RC" = 0 ] || fail "python3 exited $RC"
grep -q "^at_exit: 1$" "$W/run.out" || fail "the atexit callback did not read the live object"

main=$(pids run '^tlstrace$')
expect_order run "$main" \
	"^$main I dlopen 0x2 .*seedext" \
	"^$main I tls_reg [0-9]+ 0x[0-9a-f]+ seedext[^ ]*\\+0x[0-9a-f]+ 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ tls_obj 0x0 16 -$" \
	"^$main D main_return 0$" \
	"^$main D tls_dtor [0-9]+ 0x[0-9a-f]+ seedext" "^$main D tls_dtor_end " \
	"^$main D exit_done$"
expect_no_line run " (uad|crash|py_fin) "
# and the report finds nothing wrong
expect_no_findings run python3
