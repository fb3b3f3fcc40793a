#!/bin/bash
# t171: the Python traceback of a crash and of a use-after-destroy in a process forked by an
# embedder that does not call PyOS_AfterFork_Child, as uWSGI's workers (t013): the child's thread
# states keep the parent's thread ids, and the Python 3.13+ reader, which finds the calling
# thread's state among the interpreter's, must still find it (3.11 asks the interpreter:
# _Py_DumpTraceback). tests/src/embed_fork.c: the child ends with exit(30); an atexit handler
# finalizes Python; the Python atexit callback reads tls_obj, destroyed by exit(), and faults.
# Runs under the installed Python (3.11 here; 3.13/3.14 in t083/t084's chroots). Same outcome as
# without the shim.
. "$(dirname "$0")/lib.sh"
ulimit -c 0
ext=$(build_pyext seedext seedext.cc)
inc=$($PY -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
lib=python$($PY -c 'import sysconfig; print(sysconfig.get_config_var("LDVERSION"))')
build embed_fork embed_fork.c -- -I"$inc" -l"$lib" -pthread
export PYTHONPATH=$ext:$ROOT/tests/apps
plain run "$BIN/embed_fork"; PLAIN_RC=$RC
traced run "$BIN/embed_fork"; TRACED_RC=$RC
same_outcome run
child=$(awk '$4 == "uad" && $9 == "tls_obj" { print $1; exit }' "$W/run.norm")
[ -n "$child" ] || fail "no use-after-destroy of tls_obj"
at="${ROOT//./\\.}/tests/apps/seed_app\\.py\",%20line%2011%20in%20at_exit$"
expect_order run "$child" "^$child A uad [0-9]+ 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ tls_obj " \
	"^$child A uad_py Stack%20\\(most%20recent%20call%20first\\):$" "^$child A uad_py %20%20File%20\"$at"
if [ "$RC" = $((128 + 11)) ]; then
	expect_order run "$child" "^$child A crash 11 " "^$child A crash_py %20%20File%20\"$at" "^$child A crash_end "
else
	note "the read of the destroyed object did not fault here (exit $RC): the uad line is the only sign"
fi
$REPORT --json "$W/run.trace" >"$W/report.json"; [ $? = 1 ] || fail "report: expected findings"
$PY - "$W/report.json" "$child" <<'PYEOF' || fail "report: the Python tracebacks"
import json, sys
child = int(sys.argv[2])
f = [x for x in json.load(open(sys.argv[1]))["findings"] if x["pid"] == child]
for x in f:
    if x["kind"] in ("use-after-destroy", "crash"):
        assert any(l.endswith("line 11 in at_exit") for l in x["python_traceback"] or []), x
        assert x["python_callback"] == "seed_app.at_exit (seed_app.py:11)", x["python_callback"]
assert "use-after-destroy" in [x["kind"] for x in f], f
PYEOF
