#!/bin/bash
# t160: Py_AtExit functions in every host. A C extension registers two (pyatexitext.cc): one that
# only writes, one that takes the GIL and makes an object, run at the very end of Py_FinalizeEx
# when the interpreter is gone: SIGSEGV, with and without the shim. Under Debian's
# /usr/bin/python3 (libpython linked in: the extension's call binds to the executable's
# definition, the shim reaches it by pointing the module's GOT slot at itself) and under a host that
# links libpython dynamically (embed_run.c: the shim's definition wins). The trace has each
# registration with its caller and each run; the report has a python-after-finalize finding in the
# step "Py_AtExit function python_at_exit()", naming the registration and the fix; the clean
# function alone leaves no finding, its run in the timeline, the exit status 0.
. "$(dirname "$0")/lib.sh"
EXT=$(build_pyext pyatexitext pyatexitext.cc)
inc=$($PY -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
build embed_run embed_run.c -- -I"$inc" -l"$($PY -c 'import sysconfig; print("python" + sysconfig.get_config_var("LDVERSION"))')"
export PYTHONPATH=$EXT
code='import pyatexitext, sys
for x in WHICH: pyatexitext.register(x)
print("main done", flush=True)'
for host in python3 embed; do
	for which in clean both; do
		n=$host-$which
		if [ $which = clean ]; then c=${code/WHICH/[\"clean\"]}; else c=${code/WHICH/[\"clean\", \"python\"]}; fi
		if [ $host = python3 ]; then cmd=($PY -c "$c"); else cmd=("$BIN/embed_run" "$c"); fi
		plain_and_traced $n "${cmd[@]}"
		main=$(pids $n '^tlstrace$' | head -1)
		expect_line $n "^$main $main . py_atexit_reg 1 pyatexitext[^ ]*\\+0x[0-9a-f]+ pyatexitext[^ ]*\\+0x[0-9a-f]+$"
		"$REPORT" "$W/$n.trace" >"$W/$n.report" 2>&1; rrc=$?
		if [ $which = clean ]; then
			[ $RC = 0 ] || fail "$n: exit status $RC"
			expect_order $n "$main" "^$main . py_atexit_reg 1 " "^$main D py_atexit_run 1 " "^$main D py_atexit_end 1$"
			[ $rrc = 0 ] || { cat "$W/$n.report"; fail "$n: report status $rrc, findings for a clean Py_AtExit function"; }
			grep -q "Py_AtExit function clean_at_exit() (pyatexitext" "$W/$n.report" || fail "$n: no run in the timeline"
		else
			[ $RC = 139 ] || fail "$n: exit status $RC, expected death by SIGSEGV"
			expect_order $n "$main" "^$main . py_atexit_reg 1 " "^$main . py_atexit_reg 2 " "^$main D py_atexit_run 2 " "^$main D crash 11 "
			expect_no_line $n "py_atexit_run 1 "
			f=$W/$n.report
			grep -Eq "^\[[0-9]+\] error python-after-finalize " "$f" || { cat "$f"; fail "$n: no python-after-finalize finding"; }
			grep -q "python_at_exit()+0x[0-9a-f]* (pyatexitext.cc:[0-9]*) in pyatexitext[^ ]* called into Python (.*) in \(Py_FinalizeEx > \)\?Py_AtExit function python_at_exit()" "$f" ||
				fail "$n: message: $(grep 'called into Python' "$f" | head -1)"
			grep -q "root cause: the Py_AtExit function python_at_exit() (pyatexitext[^ ]*) was registered with Py_AtExit by reg(_object\*, _object\*)+0x[0-9a-f]* (pyatexitext.cc:[0-9]*)" "$f" ||
				fail "$n: root cause: $(grep -m1 'root cause' "$f")"
			grep -q "fix: .*atexit.register callback.*Py_IsInitialized()" "$f" || fail "$n: fix"
			grep -q "phase: *\(Py_FinalizeEx > \)\?Py_AtExit function python_at_exit()" "$f" || fail "$n: phase: $(grep -m1 'phase:' "$f")"
			"$REPORT" --json "$W/$n.trace" >"$W/$n.json" 2>/dev/null
			$PY - "$W/$n.json" <<'PYEOF' || fail "$n: JSON"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
p = next(x for x in f if x["kind"] == "python-after-finalize")
assert p["phase"].endswith("Py_AtExit function python_at_exit()"), p["phase"]
assert "registered with Py_AtExit" in p["root_cause"], p["root_cause"]
crash = next(x for x in f if x["kind"] == "crash")
assert f[crash["caused_by"]]["kind"] == "python-after-finalize", crash
PYEOF
		fi
	done
done
exit 0
