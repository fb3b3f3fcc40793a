#!/bin/bash
# t124: field case h5 with WSGIDestroyInterpreter Off, embedded and daemon: the stop takes well
# under a second, no sub-interpreter is destroyed, no hang finding, every process has an outcome.
. "$(dirname "$0")/lib.sh"
[ -x /usr/sbin/apache2 ] && [ -f /usr/lib/apache2/modules/mod_wsgi.so ] || skip "apache2 or mod_wsgi missing"
[ "$(id -u)" = 0 ] || skip "needs root (Apache's children run as www-data)"
C=$ROOT/tests/cases/h5_modwsgi_subinterpreter_destroy
for mode in embedded daemon; do
	"$C/run" "$ROOT" "$W/$mode" $mode Off >"$W/$mode.txt" 2>&1 || { cat "$W/$mode.txt"; fail "$mode: run failed"; }
	f=$W/$mode.txt
	grep -Eq "^with the shim: *Apache exit status 0.*parent gone at [0-2]\\.[0-9]+ s" "$f" || fail "$mode: traced run: $(grep '^with the' "$f")"
	! grep -q "Py_EndInterpreter" "$f" || fail "$mode: a sub-interpreter was destroyed"
	! grep -Eq "^\\[[0-9]+\\] error (hang|killed) " "$f" || fail "$mode: $(grep -E '^\[[0-9]+\]' "$f")"
	! grep -Eq "^process [0-9]+ apache2.*unfinished" "$f" || fail "$mode: $(grep '^process' "$f")"
done
exit 0
