#!/bin/bash
# t150: a teardown waiting for the GIL (tests/apps/gil_held_at_exit.py): exit()'s handler, a
# ctypes callback, waits in take_gil while thread "poller" holds the GIL in a C call. The hang
# snapshot says the exiting thread waits on the GIL and names the thread that holds it (3.11:
# _PyRuntime.ceval.gil, found through PyEval_ThreadsInitialized; 3.13+: _Py_DebugOffsets); the
# finding's root cause names it ("poller", at its Python line); the timeline and JSON list the
# threads alive when exit() began; the process still exits 0 and prints what it prints without
# the shim. The same in a program embedding libpython3.11.so (tests/src/embed_gil.c).
. "$(dirname "$0")/lib.sh"
export TLSTRACE_HANG_MS=500
# the thread's name: read by the shim on 3.11, the OS thread's on 3.14+, not known on 3.13
POLLER='\("poller" \)\{0,1\}(python3[^)]*)'
$PY -c 'import sys; sys.exit(sys.version_info[:2] == (3, 13))' && POLLER='\("poller" (python3[^)]*)\|(poller[^)]*)\)'
plain_and_traced gil timeout 20 $PY "$ROOT/tests/apps/gil_held_at_exit.py" 3
[ "$RC" = 0 ] || fail "exit status $RC: $(cat "$W/gil.err")"
grep -q flushed "$W/gil.out" || fail "the exit handler did not run"
"$REPORT" --color=never "$W/gil.trace" >"$W/gil.txt" 2>&1
"$REPORT" --json "$W/gil.trace" >"$W/gil.json" 2>/dev/null
grep -Eq "hang_thread [0-9]+ . [^ ]+ [^ ]+ 202 gil 0x[0-9a-f]+ [0-9]+$" "$W/gil.trace" || fail "no wait on the GIL in the snapshot"
grep -q "root cause: thread [0-9]* waits for the GIL (the interpreter's lock, to run Python code), held by thread [0-9]* $POLLER, at \"[^\"]*gil_held_at_exit.py\", line 24 in poll" "$W/gil.txt" ||
	fail "root cause: $(grep -A4 ' hang ' "$W/gil.txt")"
grep -q "waits on the GIL (0x[0-9a-f]*) held by thread [0-9]*" "$W/gil.txt" || fail "the thread's line"
grep -Eq "^ +\+[0-9.]+ ms +[0-9]+ +1 other thread alive at exit\(\): [0-9]+ " "$W/gil.txt" || fail "threads alive at exit"
$PY - "$W/gil.json" <<'PYEOF' || fail "JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
hang = [f for f in doc["findings"] if f["kind"] == "hang" and f["pid"] == doc["processes"][-1]["pid"]]
assert len(hang) == 1, [(f["kind"], f["pid"]) for f in doc["findings"]]
h = hang[0]
me = [t for t in h["threads"] if t["tid"] == h["tid"]][0]
w = me["waits_on"]
assert w and w["kind"] == "gil" and w["holder_in_process"], me
holder = [t for t in h["threads"] if t["tid"] == w["holder"]][0]
assert any("in poll" in l for l in holder["python_traceback"]), holder
py311 = sys.version_info[:2] == (3, 11)
assert not py311 or holder["python_name"] == "poller", holder
alive = doc["processes"][-1]["threads_alive"]
assert alive[0]["at"] == "exit" and alive[0]["threads"][0]["tid"] == holder["tid"], alive
assert not py311 or alive[0]["threads"][0]["python_name"] == "poller", alive
PYEOF
# the same wait in a program that embeds libpython3.11.so (mod_wsgi's and uWSGI's way), whose
# PyEval_ThreadsInitialized reads the GIL through _PyRuntime's GOT slot: the holder named too (3.11)
if $PY -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
	build embed_gil embed_gil.c -- -I"$($PY -c 'import sysconfig; print(sysconfig.get_paths()["include"])')" -lpython3.11
	rm -f "$W/embgil.tid"
	traced embgil timeout 20 "$BIN/embed_gil" "$W/embgil.tid"
	[ "$RC" = 0 ] || fail "embed_gil: exit status $RC: $(cat "$W/embgil.err")"
	grep -Eq "hang_thread [0-9]+ . [^ ]+ [^ ]+ 202 gil 0x[0-9a-f]+ $(cat "$W/embgil.tid")$" "$W/embgil.trace" ||
		fail "embed_gil: no wait on the GIL held by thread $(cat "$W/embgil.tid"): $(grep -a hang_thread "$W/embgil.trace" | head -3)"
fi
exit 0
