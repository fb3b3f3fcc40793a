#!/bin/bash
# t163: Py_AtExit functions registered where the shim cannot see the call, under Debian's
# /usr/bin/python3 (libpython linked in): from an extension's ELF constructor, inside the dlopen that
# loads it, before its GOT slot is pointed at the shim (pyatexitext.cc, PYATEXITCTOR); and through ctypes, which
# calls the executable's Py_AtExit by a pointer; and an embedding program with libpython.a linked
# in, no signal handlers, calling its own Py_AtExit from main (pystatic_embed.c). The shim reads them from the interpreter's own list
# (right after the dlopen; as finalization starts: the SIGINT handler's restore, 3.11's GIL key
# delete), writes a registration line with an unknown caller ("-") and records each run. The
# outcome is unchanged; the clean function leaves no finding and shows in the timeline; the one
# that takes the GIL after finalization is a python-after-finalize finding in the step
# "Py_AtExit function python_at_exit()" whose root cause says the caller is not known.
# Also run on Debian 13 (Python 3.13, another layout of the list) by t164.
. "$(dirname "$0")/lib.sh"
EXT=$(build_pyext pyatexitext pyatexitext.cc)
SO=$(ls "$EXT"/pyatexitext.*so)
export PYTHONPATH=$EXT
cat >"$W/ctypes_reg.py" <<'PYEOF'
import ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
ctypes.pythonapi.Py_AtExit.argtypes = [ctypes.c_void_p]
lib.clean_at_exit_address.restype = ctypes.c_void_p
print("registered", ctypes.pythonapi.Py_AtExit(lib.clean_at_exit_address()), flush=True)
PYEOF
# an embedding program with libpython.a linked in, registering its own function from main
inc=$($PY -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
liba=$($PY -c 'import sysconfig; v = sysconfig.get_config_var; print(v("LIBPL") + "/" + v("LIBRARY"))')
variants="clean both ctypes"
# (Debian builds zlib and pyexpat into it: their libraries too; where they are missing, not run)
if [ -e "$liba" ] && gcc -O2 -no-pie -rdynamic -I"$inc" -o "$BIN/pystatic_embed" "$ROOT/tests/src/pystatic_embed.c" "$liba" \
	$($PY -c 'import sysconfig; print(sysconfig.get_config_var("LIBS"), sysconfig.get_config_var("SYSLIBS"))') \
	-lz -lexpat -lpthread -lutil >"$W/pystatic_embed.build" 2>&1; then
	variants="$variants static"
else
	note "the static embedding variant is not run: $liba missing or not linked ($(tail -1 "$W/pystatic_embed.build" 2>/dev/null))"
fi
for which in $variants; do
	n=ctor-$which
	if [ $which = static ]; then
		plain_and_traced $n "$BIN/pystatic_embed"
		main=$(pids $n '^tlstrace$' | head -1)
		[ $RC = 0 ] || fail "$n: exit status $RC"
		grep -q "^own_at_exit ran" "$W/$n.out" || fail "$n: the function did not run"
		expect_order $n "$main" "^$main [AFD] py_atexit_reg 1 pystatic_embed\\+0x[0-9a-f]+ -$" \
			"^$main D py_atexit_run 1 pystatic_embed\\+0x[0-9a-f]+$" "^$main D py_atexit_end 1$"
		continue
	elif [ $which = ctypes ]; then
		plain_and_traced $n $PY "$W/ctypes_reg.py" "$SO"
	else
		PYATEXITCTOR=$which plain_and_traced $n $PY -c 'import pyatexitext; print("main done", flush=True)'
	fi
	main=$(pids $n '^tlstrace$' | head -1)
	"$REPORT" "$W/$n.trace" >"$W/$n.report" 2>&1; rrc=$?
	case $which in
	clean|ctypes)
		[ $RC = 0 ] || fail "$n: exit status $RC"
		grep -q "^clean_at_exit ran" "$W/$n.out" || fail "$n: the function did not run"
		if [ $which = clean ]; then st=I; else st='[AFD]'; fi # ctypes: found only as finalization starts
		expect_order $n "$main" "^$main $st py_atexit_reg 1 pyatexitext[^ ]*\\+0x[0-9a-f]+ -$" \
			"^$main D py_atexit_run 1 pyatexitext[^ ]*\\+0x[0-9a-f]+$" "^$main D py_atexit_end 1$"
		[ $rrc = 0 ] || { cat "$W/$n.report"; fail "$n: report status $rrc, findings for a clean Py_AtExit function"; }
		grep -q "Py_AtExit function clean_at_exit() (pyatexitext" "$W/$n.report" || fail "$n: no run in the timeline"
		;;
	both)
		[ $RC = 139 ] || fail "$n: exit status $RC, expected death by SIGSEGV"
		expect_order $n "$main" "^$main I py_atexit_reg 1 pyatexitext[^ ]*\\+0x[0-9a-f]+ -$" \
			"^$main I py_atexit_reg 2 pyatexitext[^ ]*\\+0x[0-9a-f]+ -$" "^$main D py_atexit_run 2 " "^$main D crash 11 "
		expect_no_line $n "py_atexit_run 1 "
		f=$W/$n.report
		grep -Eq "^\[[0-9]+\] error python-after-finalize " "$f" || { cat "$f"; fail "$n: no python-after-finalize finding"; }
		grep -q "phase: *\(Py_FinalizeEx > \)\?Py_AtExit function python_at_exit()" "$f" || fail "$n: phase: $(grep -m1 'phase:' "$f")"
		grep -q "root cause: .*the Py_AtExit function python_at_exit() (pyatexitext[^ ]*) was registered with Py_AtExit (its caller is not known: the shim found it in the interpreter's own list" "$f" ||
			fail "$n: root cause: $(grep -m1 'root cause' "$f")"
		grep -q "fix: .*atexit.register callback.*Py_IsInitialized()" "$f" || fail "$n: fix"
		;;
	esac
done
exit 0
