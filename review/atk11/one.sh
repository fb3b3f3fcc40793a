#!/bin/bash
# review/atk11/one.sh NAME [--hang MS] [--to S] [--kto S] -- CMD...: runs CMD under
# `timeout -k KTO TO` without and with the shim; prints both outcomes and writes
# out/NAME.{0,1}.{out,err}, out/NAME.trace, out/NAME.txt (report), out/NAME.json.
set -m # (background jobs: own process group, SIGINT and SIGQUIT not ignored)
R=$(cd "$(dirname "$0")/../.." && pwd)
name=$1; shift
hang=300 to=3 kto=2
while [ "$1" != -- ]; do
	case $1 in --hang) hang=$2; shift;; --to) to=$2; shift;; --kto) kto=$2; shift;; esac; shift
done
shift
O=$(dirname "$0")/out; mkdir -p "$O"
st() { local s=$1; if [ "$s" -gt 128 ]; then echo "SIG$(kill -l $((s-128)))"; else echo "exit $s"; fi; }
# timeout(1) leads a process group of its own (its pid): what is left of it (a child that
# ignores or blocks SIGTERM) is killed by that group's id once the run ended
timeout -k "$kto" "$to" "$@" >"$O/$name.0.out" 2>"$O/$name.0.err" & tp=$!
wait $tp; s0=$?; kill -KILL -- -$tp 2>/dev/null
rm -f "$O/$name.trace"
timeout -k "$kto" "$to" env TLSTRACE_HANG_MS=$hang TLSTRACE_FILE="$O/$name.trace" LD_PRELOAD="$R/libtlstrace.so" "$@" >"$O/$name.1.out" 2>"$O/$name.1.err" & tp=$!
wait $tp; s1=$?; kill -KILL -- -$tp 2>/dev/null
"$R/tlstrace-report" "$O/$name.trace" >"$O/$name.txt" 2>&1
"$R/tlstrace-report" --json "$O/$name.trace" >"$O/$name.json" 2>&1
same=SAME; [ "$s0" = "$s1" ] || same="DIFFERENT status"
cmp -s "$O/$name.0.out" "$O/$name.1.out" || same="$same, stdout differs"
echo "$name: without $(st $s0), with $(st $s1): $same"
