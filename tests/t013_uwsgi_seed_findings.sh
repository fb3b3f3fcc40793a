#!/bin/bash
# t013: the seed scenario under uWSGI (SIGINT): the worker's trace holds a use-after-destroy naming
# tls_obj and its module (seedext), then a crash whose backtrace has a frame in that module, with
# the destroyed tls_obj owned by the faulting module and the Python traceback (the atexit
# callback); uWSGI's own handler still turns the crash into the worker's exit(1). The report
# (--json, validated) has the use-after-destroy, the crash caused by it, and the order finding.
# Without the shim uWSGI logs the same segfault and ends the same way.
. "$(dirname "$0")/lib.sh"
command -v uwsgi >/dev/null || skip "uwsgi not installed"
NOSHIM=1 uwsgi_run plain INT; PLAIN_RC=$RC
grep -q "got Segmentation Fault" "$W/plain.log" || fail "without the shim the seed bug did not crash the worker"
uwsgi_run run INT; TRACED_RC=$RC
[ "$PLAIN_RC" = "$TRACED_RC" ] || fail "master exit status $TRACED_RC with the shim, $PLAIN_RC without"
grep -q "got Segmentation Fault" "$W/run.log" || fail "uWSGI's own segfault handler did not run"
grep -q "worker 1 buried" "$W/run.log" || fail "the worker did not end as usual"

worker=$(uwsgi_worker run)
ext='seedext\.cpython-[^ ]*\.so'
seq=$(awk -v w="$worker" '$1 == w && $4 == "tls_reg" && $11 == "tls_obj" { print $5 }' "$W/run.norm")
expect_order run "$worker" \
	"^$worker A uad $seq 0x[0-9a-f]+ [0-9]+ 0x[0-9a-f]+ tls_obj [0-9]+ $ext\\+0x[0-9a-f]+ gd $ext\\+0x" \
	"^$worker A crash 11 1 0x[0-9a-f]+ $ext\\+0x[0-9a-f]+ " \
	"^$worker A crash_phase exit=$worker atexit=[0-9]+:uwsgi-core\\+0x[0-9a-f]+ pyfin=1 tls_dtors=1 " \
	"^$worker A crash_tls $seq 0x[0-9a-f]+ tls_obj [0-9]+ 1$" \
	"^$worker A crash_bt libgcc $ext\\+0x[0-9a-f]+ .*libpython3" \
	"^$worker A crash_py .*seed_app\\.py.*at_exit" \
	"^$worker A crash_end chain$" \
	"^$worker A exit 1$"

$REPORT --json "$W/run.trace" >"$W/report.json"; rc=$?
[ $rc = 1 ] || fail "report exit status $rc, expected 1 (findings)"
$PY - "$W/report.json" "$worker" <<'PYEOF' || fail "JSON report"
import json, sys
doc = json.load(open(sys.argv[1]))
worker = int(sys.argv[2])
assert doc["version"] == 1
procs = {p["pid"]: p for p in doc["processes"]}
assert procs[worker]["exit"] == 1 and procs[worker]["crashed"], procs[worker]
f = [x for x in doc["findings"] if x["pid"] == worker]
kinds = [x["kind"] for x in f]
assert {"use-after-destroy", "crash", "order"} <= set(kinds), kinds
uad = next(x for x in f if x["kind"] == "use-after-destroy")
assert uad["severity"] == "error"
assert uad["tls"]["symbol"] == "tls_obj", uad["tls"]
assert "seedext" in uad["tls"]["module"], uad["tls"]
assert uad["destroyed_ns"] > 0
assert uad["backtrace"][0]["function"].startswith("at_exit"), uad["backtrace"][0]
assert uad["backtrace"][0]["file"].endswith("seedext.cc") and uad["backtrace"][0]["line"] > 0
crash = next(x for x in f if x["kind"] == "crash")
assert crash["signal"] == 11
assert "seedext" in crash["backtrace"][0]["module"]
assert doc["findings"][crash["caused_by"]]["kind"] == "use-after-destroy"
assert any("at_exit" in l for l in crash["python_traceback"])
assert "Py_Finalize" in crash["phase"] and "uwsgi_plugins_atexit" in crash["phase"], crash["phase"]
assert "--skip-atexit-teardown" in uad["fix"]
PYEOF
