#!/bin/bash
# t155: h5's kind with a sub-interpreter of another name, and mod_wsgi's info lines hidden: the
# case (tests/cases/h5_modwsgi_subinterpreter_destroy, embedded, WSGIDestroyInterpreter On) with
# its app mounted at /shop and LogLevel warn (mod_wsgi's "Destroy interpreter" line is not logged,
# so not seen by the shim either). The shim reads the sub-interpreter's name at Py_EndInterpreter
# from the interpreter itself (mod_wsgi.application_group): the timeline, the phase and the hang
# finding name '127.0.0.1:PORT|/shop'. (t122/t123 check the same for the default '127.0.0.1:PORT|'.)
. "$(dirname "$0")/lib.sh"
[ -x /usr/sbin/apache2 ] && [ -f /usr/lib/apache2/modules/mod_wsgi.so ] || skip "apache2 or mod_wsgi missing"
[ "$(id -u)" = 0 ] || skip "needs root (Apache's children run as www-data)"
C=$ROOT/tests/cases/h5_modwsgi_subinterpreter_destroy
mkdir -p "$W/case"
cp "$C/app.py" "$W/case/"
sed -e 's/^LogLevel info$/LogLevel warn/' -e 's|^WSGIScriptAlias / |WSGIScriptAlias /shop |' \
    -e 's|http://127.0.0.1:$port/|http://127.0.0.1:$port/shop|g' "$C/run" >"$W/case/run"
chmod +x "$W/case/run"
grep -q "^LogLevel warn$" "$W/case/run" && grep -q "WSGIScriptAlias /shop " "$W/case/run" || fail "the case's run changed: cannot make the variant"
"$W/case/run" "$ROOT" "$W/h5" embedded On >"$W/h5.txt" 2>&1 || { cat "$W/h5.txt"; fail "run failed"; }
f=$W/h5.txt
grep -q "response 'hello" "$f" || grep -q "response '[^']" "$f" || fail "the app did not answer: $(grep -i response "$f" | head -2)"
! grep -q "Destroy interpreter" "$W/h5/shim/error.log" || fail "mod_wsgi's info lines were logged: not the variant"
grep -Eq " py_end_interp 0x[0-9a-f]+ 127\\.0\\.0\\.1:[0-9]+\\|/shop$" "$W/h5/trace.log" || fail "py_end_interp line: $(grep py_end_interp "$W/h5/trace.log")"
grep -Eq "Py_EndInterpreter \\(sub-interpreter '127\\.0\\.0\\.1:[0-9]+\\|/shop', thread state 0x[0-9a-f]+\\) +\\[did not return\\]" "$f" || fail "timeline: $(grep 'Py_EndInterpreter (' "$f" | head -2)"
grep -Eq "hang: .*, destroying sub-interpreter '127\\.0\\.0\\.1:[0-9]+\\|/shop'" "$f" || fail "hang message: $(grep 'hang:' "$f")"
grep -Eq "root cause: destroying a sub-interpreter \\(Py_EndInterpreter; mod_wsgi's application group '127\\.0\\.0\\.1:[0-9]+\\|/shop'\\) first joins" "$f" || fail "hang root cause: $(grep -A3 'error hang' "$f")"
exit 0
