#!/bin/bash
# t013: the seed scenario under uWSGI (SIGINT): the worker's trace holds a use-after-destroy naming
# tls_obj and its module (seedext), then a crash whose backtrace has a frame in that module, with
# the destroyed tls_obj owned by the faulting module and the Python traceback (the atexit
# callback); uWSGI's own handler still turns the crash into the worker's exit(1). The report
# (--json, validated) has the use-after-destroy, the crash caused by it, and the order finding,
# and nothing for the master. Without the shim uWSGI logs the same segfault and ends the same way;
# where the read does not fault (GCC 15), the worker exits 30 and the use-after-destroy is there.
. "$(dirname "$0")/lib.sh"
command -v uwsgi >/dev/null || skip "uwsgi not installed"
NOSHIM=1 uwsgi_run plain INT; PLAIN_RC=$RC
# The seed's read faults where the destructor's munmap left the arena unmapped; built by GCC 15
# (Debian unstable) it reads freed memory silently, and the use-after-destroy is the only sign.
crashes=0
grep -q "got Segmentation Fault" "$W/plain.log" && crashes=1
[ $crashes = 1 ] || note "without the shim the worker did not crash: only the use-after-destroy shows the bug"
uwsgi_run run INT; TRACED_RC=$RC
[ "$PLAIN_RC" = "$TRACED_RC" ] || fail "master exit status $TRACED_RC with the shim, $PLAIN_RC without"
[ $crashes = 0 ] || grep -q "got Segmentation Fault" "$W/run.log" || fail "uWSGI's own segfault handler did not run"
grep -q "worker 1 buried" "$W/run.log" || fail "the worker did not end as usual"

worker=$(uwsgi_worker run)
ext='seedext\.cpython-[^ ]*\.so'
seq=$(awk -v w="$worker" '$1 == w && $4 == "tls_reg" && $11 == "tls_obj" { print $5 }' "$W/run.norm")
if [ $crashes = 1 ]; then
	expect_order run "$worker" \
		"^$worker A uad $seq 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ tls_obj [0-9]+ $ext\\+0x[0-9a-f]+ gd $ext\\+0x" \
		"^$worker A crash 11 1 0x[0-9a-f]+ $ext\\+0x[0-9a-f]+ " \
		"^$worker A crash_phase exit=$worker atexit=[0-9]+:uwsgi(-core)?\\+0x[0-9a-f]+ pyfin=1 tls_dtors=1 " \
		"^$worker A crash_tls $seq 0x[0-9a-f]+ tls_obj [0-9]+ 1$" \
		"^$worker A crash_bt libgcc $ext\\+0x[0-9a-f]+ .*libpython3" \
		"^$worker A crash_end chain$" \
		"^$worker A exit 1$"
	expect_order run "$worker" \
		"^$worker A crash_bt " "^$worker A crash_py .*seed_app\\.py.*at_exit" "^$worker A crash_end chain$"
else
	expect_order run "$worker" \
		"^$worker I exit 30$" \
		"^$worker A uad $seq 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ tls_obj [0-9]+ $ext\\+0x[0-9a-f]+ gd $ext\\+0x" \
		"^$worker . exit_done$"
	expect_no_line run "^$worker [0-9]+ . crash "
fi

$REPORT --json "$W/run.trace" >"$W/report.json"; rc=$?
[ $rc = 1 ] || fail "report exit status $rc, expected 1 (findings)"
$PY - "$W/report.json" "$worker" $crashes <<'PYEOF' || fail "JSON report"
import json, sys
doc = json.load(open(sys.argv[1]))
worker = int(sys.argv[2])
crashes = sys.argv[3] == "1"
assert doc["version"] == 1
procs = {p["pid"]: p for p in doc["processes"]}
f = [x for x in doc["findings"] if x["pid"] == worker]
kinds = [x["kind"] for x in f]
assert {"use-after-destroy", "order"} <= set(kinds), kinds
uad = next(x for x in f if x["kind"] == "use-after-destroy")
assert uad["severity"] == "error"
assert uad["tls"]["symbol"] == "tls_obj", uad["tls"]
assert "seedext" in uad["tls"]["module"], uad["tls"]
assert uad["destroyed_ns"] > 0
assert uad["backtrace"][0]["function"].startswith("at_exit"), uad["backtrace"][0]
assert uad["backtrace"][0]["file"].endswith("seedext.cc") and uad["backtrace"][0]["line"] > 0
assert "--skip-atexit-teardown" in uad["fix"]
# its Python traceback and the callback that made the call (3.11: _Py_DumpTraceback; 3.13+: the
# debug offsets, the worker's thread state found though fork kept the master's thread ids in it)
assert any("seed_app.py" in l and "at_exit" in l for l in uad["python_traceback"]), uad.get("python_traceback")
assert uad["python_callback"].startswith("seed_app.at_exit (seed_app.py:"), uad.get("python_callback")
# the master and any other process: no finding
assert all(x["pid"] == worker for x in doc["findings"]), doc["findings"]
if not crashes:
    assert "crash" not in kinds and procs[worker]["exit"] == 30 and not procs[worker]["crashed"], procs[worker]
    sys.exit(0)
assert procs[worker]["exit"] == 1 and procs[worker]["crashed"], procs[worker]
crash = next(x for x in f if x["kind"] == "crash")
assert crash["signal"] == 11
assert "seedext" in crash["backtrace"][0]["module"]
assert doc["findings"][crash["caused_by"]]["kind"] == "use-after-destroy"
assert "Py_Finalize" in crash["phase"] and "uwsgi_plugins_atexit" in crash["phase"], crash["phase"]
PYEOF
# the Python traceback in the crash's finding
$PY -c '
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
assert all(any("at_exit" in l for l in x["python_traceback"]) for x in f if x["kind"] == "crash")
' "$W/report.json" || fail "the Python traceback in the report"
