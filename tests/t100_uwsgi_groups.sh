#!/bin/bash
# t100: a 4-worker uWSGI run of the seed app (each worker serves a request, then SIGINT): the
# report opens with a verdict (one line for the one root cause, naming 4 processes and the fix),
# and groups the findings: one use-after-destroy group of 4 pids, one crash group of 4 (JSON
# `groups`, each {kind, signature, count, pids, findings}). The recorded golden
# (tests/golden/uwsgi_4workers.*) is checked by t020; this case checks a live run.
. "$(dirname "$0")/lib.sh"
command -v uwsgi >/dev/null || skip "uwsgi not installed"
# each of the 4 workers serves one request: 4 sent at once, each answered only once all 4 are
# inside the app (tests/apps/seed_barrier_app.py; the app answers with its pid). Before: requests
# one after another until each worker had served one, at most 400, which on one busy CPU the
# same worker took all of: the others read tls_obj first in their teardown (another finding)
UAPP=seed_barrier_app uwsgi_start w4 --processes 4
mkdir -p "$W/barrier"
pids=()
for i in 1 2 3 4; do
	curl -s --max-time 90 "http://127.0.0.1:$PORT/?barrier=$W/barrier,4" >"$W/w4.out.$i" 2>&1 &
	pids+=($!)
done
wait "${pids[@]}"
cat "$W"/w4.out.[1-4] >"$W/w4.out"
"$ROOT/tests/lib/uwsgi_idle.sh" "$UPID" 30 || fail "uWSGI: a worker still busy after the requests"
[ "$(grep -o 'pid [0-9]*' "$W/w4.out" | sort -u | wc -l)" = 4 ] || fail "not every worker served a request: $(cat "$W/w4.out")"
uwsgi_stop INT
[ $RC = 0 ] || fail "master exited $RC"
$REPORT --no-symbols --color=never "$W/w4.trace" >"$W/w4.txt"; [ $? = 1 ] || fail "no findings"
$REPORT --no-symbols --json "$W/w4.trace" >"$W/w4.json"
n=$(grep -o 'pid [0-9]*' "$W/w4.out" | sort -u | wc -l)
$PY - "$W/w4.json" "$W/w4.txt" "$n" <<'PYEOF' || { head -20 "$W/w4.txt"; fail "groups"; }
import json, sys
doc = json.load(open(sys.argv[1]))
txt = open(sys.argv[2]).read().splitlines()
n = int(sys.argv[3])
g = {x["kind"]: x for x in doc["groups"]}
assert g["use-after-destroy"]["count"] == n, g
assert g["crash"]["count"] == n, g
assert sorted(g["crash"]["pids"]) == sorted(g["use-after-destroy"]["pids"])
for x in doc["groups"]:
    assert len(x["findings"]) == x["count"] and all(doc["findings"][i]["kind"] == x["kind"] for i in x["findings"])
# the Python atexit callback that made the call, named on the finding
uad = [doc["findings"][i] for i in g["use-after-destroy"]["findings"]]
assert all(x["python_callback"] == "seed_app.at_exit (seed_app.py:11)" for x in uad), [x["python_callback"] for x in uad]
assert sum(1 for l in txt if l.strip() == "Python callback: seed_app.at_exit (seed_app.py:11)") >= 2 * n
# verdict first: the line after the header
assert txt[1] == "verdict", txt[:3]
assert ("%d processes" % n) in txt[2] and "tls_obj" in txt[2] and "--skip-atexit-teardown" in "\n".join(txt[2:6]), txt[2:6]
assert "from the Python callback seed_app.at_exit (seed_app.py:11)" in txt[2], txt[2]
PYEOF
cp "$W/w4.trace" "$W/../uwsgi_4workers.trace.recorded" 2>/dev/null || true
