#!/bin/bash
# review/cmp.sh NAME [opts] -- CMD...: runs CMD without and with the shim (LD_PRELOAD), compares
# the status (128+N printed as the signal), stdout and stderr, and prints one line
#   NAME SAME   or   NAME DIFFERENT: <what>
# opts: --crash (drop stderr lines beginning "tlstrace: " from the shim's run, as the cases do),
#       --pre LIB (a library before the shim in LD_PRELOAD, and alone in the run without),
#       --post LIB (a library after the shim), --env VAR=VAL (both runs), --shimenv VAR=VAL (shim
#       run only), --timeout S (default 20), --filter CMD (applied to stdout of both runs),
#       --nostderr (do not compare stderr), --trace PATH (TLSTRACE_FILE; default a fresh file).
# Outputs in review/out/NAME.{0,1}.{out,err,st}; trace in review/out/NAME.trace.
R=$(cd "$(dirname "$0")" && pwd)
SHIM=${SHIM:-$(dirname "$R")/libtlstrace.so}
name=$1; shift
crash=0 pre= post= to=20 filter=cat nostderr=0 trace=
envs=() shimenvs=()
while [ "$1" != -- ]; do
	case $1 in
	--crash) crash=1;;
	--pre) pre=$2; shift;;
	--post) post=$2; shift;;
	--env) envs+=("$2"); shift;;
	--shimenv) shimenvs+=("$2"); shift;;
	--timeout) to=$2; shift;;
	--filter) filter=$2; shift;;
	--nostderr) nostderr=1;;
	--trace) trace=$2; shift;;
	*) echo "cmp.sh: bad option $1" >&2; exit 2;;
	esac
	shift
done
shift
O=$R/out; mkdir -p "$O"
[ -n "$trace" ] || trace=/tmp/u8trace.$name.$$.log
rm -f "$trace"
st() { local s=$1; if [ "$s" = 124 ]; then echo "timeout ${to}s"; elif [ "$s" -gt 128 ]; then echo "SIG$(kill -l $((s-128)))"; else echo "exit $s"; fi; }
run() { # mode 0|1
	local m=$1; shift
	local lp
	if [ "$m" = 0 ]; then lp=$pre$post; lp=${pre:+$pre}${post:+${pre:+:}$post}
	else lp=${pre:+$pre:}$SHIM${post:+:$post}; fi
	if [ "$m" = 0 ]; then
		timeout -s KILL "$to" env ${envs[@]+"${envs[@]}"} ${lp:+LD_PRELOAD=$lp} "$@" >"$O/$name.$m.out" 2>"$O/$name.$m.err"
	else
		timeout -s KILL "$to" env ${envs[@]+"${envs[@]}"} ${shimenvs[@]+"${shimenvs[@]}"} TLSTRACE_FILE=${TF:-$trace} LD_PRELOAD=$lp "$@" >"$O/$name.$m.out" 2>"$O/$name.$m.err"
	fi
	local s=$?
	[ $s = 137 ] && s=124   # timeout -s KILL: 128+9 from timeout itself
	echo $s >"$O/$name.$m.st"
	$filter <"$O/$name.$m.out" | sed "s|$name\.$m\.|$name.N.|g" >"$O/$name.$m.outf"
	if [ $m = 1 ] && [ $crash = 1 ]; then grep -v '^tlstrace: ' "$O/$name.$m.err" >"$O/$name.$m.errf"; else cp "$O/$name.$m.err" "$O/$name.$m.errf"; fi
}
run 0 "$@"; run 1 "$@"
cp "$trace" "$O/$name.trace" 2>/dev/null; rm -f "$trace"
s0=$(cat "$O/$name.0.st") s1=$(cat "$O/$name.1.st")
what=()
[ "$s0" = "$s1" ] || what+=("$(st $s0) -> $(st $s1)")
cmp -s "$O/$name.0.outf" "$O/$name.1.outf" || what+=("stdout differs ($(diff "$O/$name.0.outf" "$O/$name.1.outf" | grep -c '^[<>]') lines)")
[ $nostderr = 1 ] || cmp -s "$O/$name.0.errf" "$O/$name.1.errf" || what+=("stderr differs ($(wc -c <"$O/$name.0.errf") -> $(wc -c <"$O/$name.1.errf") bytes)")
if [ ${#what[@]} = 0 ]; then echo "$name SAME ($(st $s0))"; else (IFS=';'; echo "$name DIFFERENT: ${what[*]}"); fi
