#!/bin/bash
# t039: the program file in a trace's first line (and its mod 0). The shim takes the path given to
# execve (the kernel's AT_EXECFN, free) and reads /proc/self/exe (~30 us per start) only when
# that path names something else or cannot be used later: a #! script (the program is its
# interpreter) or a relative path (the program may change directory).
. "$(dirname "$0")/lib.sh"

# exe_of NAME: the exe field of the first process's tlstrace line, and its mod 0 path
exe_of() { awk '$4 == "tlstrace" { print $7; exit }' "$W/$1.norm"; }
mod0_of() { awk '$5 == "mod" && $6 == 0 { print $NF; exit }' "$W/$1.trace"; }
real=$(readlink -f "$PY")

# a plain exec through a symlink: the path as given
traced direct "$PY" -c pass
[ $RC = 0 ] || fail "python3 -c pass exited $RC"
[ "$(exe_of direct)" = "$PY" ] || fail "exe of a direct exec: '$(exe_of direct)', expected $PY"
[ "$(mod0_of direct)" = "$PY" ] || fail "mod 0 of a direct exec: '$(mod0_of direct)', expected $PY"

# a #! script: the interpreter, never the script
printf '#!%s\nprint("script ran")\n' "$PY" >"$W/script.py"
chmod +x "$W/script.py"
traced script "$W/script.py" arg1
[ $RC = 0 ] || fail "the script exited $RC"
grep -q "script ran" "$W/script.out" || fail "the script's output is missing"
[ "$(exe_of script)" = "$real" ] || fail "exe of a #! script: '$(exe_of script)', expected $real"
[ "$(mod0_of script)" = "$real" ] || fail "mod 0 of a #! script: '$(mod0_of script)', expected $real"

# #! with an argument: the script path is then argv[2]
printf '#!%s -S\nprint("script ran")\n' "$PY" >"$W/script2.py"
chmod +x "$W/script2.py"
traced script2 "$W/script2.py"
[ $RC = 0 ] || fail "the script with an interpreter argument exited $RC"
[ "$(exe_of script2)" = "$real" ] || fail "exe of a #! script with an argument: '$(exe_of script2)', expected $real"

# a relative path: made absolute (the program may chdir before the report reads the trace)
build exits exits.c
cp "$BIN/exits" "$W/exits_copy"
(cd "$W" && LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/relative.trace ./exits_copy return 0 >/dev/null 2>&1)
normalize relative
[ "$(exe_of relative)" = "$W/exits_copy" ] || fail "exe of a relative exec: '$(exe_of relative)', expected $W/exits_copy"

# the report finds the program by that path: its build-id matches
"$ROOT/tlstrace-report" --json "$W/direct.trace" >"$W/direct.json" || fail "report failed"
$PY - "$W/direct.json" "$PY" <<'EOF' || fail "the report's exe of the direct exec"
import json, sys
doc = json.load(open(sys.argv[1]))
procs = doc["processes"]
assert procs and procs[0]["exe"] == sys.argv[2], procs[:1]
EOF
echo ok
