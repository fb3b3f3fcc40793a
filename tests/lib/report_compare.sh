#!/bin/bash
# tests/lib/report_compare.sh - the outputs of two tlstrace-report binaries compared on traces, for
# a change that must not change what the report says (docs/report-memory.md: each memory step).
#
#   tests/lib/report_compare.sh OLD_REPORT NEW_REPORT PATH...
#
# Each PATH is a trace or a directory searched for traces (files whose first line is a tlstrace
# line). Each trace is read by both binaries as text, --json, --chrome - and --diff against the
# trace before it when both are under 4 MB, else against itself (a --diff of two different
# traces of 100000 findings each takes minutes), with --no-symbols; a trace under 1 MB also as
# text with symbols. Their stdout, stderr and exit status must be the same byte for byte. Prints one
# line per difference and a summary; exits 0 if none, 1 if any, 2 on a usage error.
set -u
[ $# -ge 3 ] || { echo "usage: $0 OLD_REPORT NEW_REPORT PATH..." >&2; exit 2; }
old=$1 new=$2
shift 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

is_trace() { head -c 4096 "$1" 2>/dev/null | head -1 | grep -qE '^[0-9]+ [0-9]+ [0-9]+ . tlstrace '; }

traces=()
for p in "$@"; do
	if [ -d "$p" ]; then
		while IFS= read -r -d '' f; do is_trace "$f" && traces+=("$f"); done < <(find "$p" -type f -print0 | sort -z)
	elif is_trace "$p"; then
		traces+=("$p")
	fi
done

# run BIN TAG ARGS...: its stdout, stderr and status in $tmp/TAG.{out,err,rc}
run() {
	local bin=$1 tag=$2
	shift 2
	"$bin" "$@" >"$tmp/$tag.out" 2>"$tmp/$tag.err" </dev/null
	echo $? >"$tmp/$tag.rc"
}

runs=0 diffs=0 prev=
for t in "${traces[@]}"; do
	size=$(stat -c %s "$t")
	[ -n "$prev" ] && [ "$size" -lt 4194304 ] && [ "$(stat -c %s "$prev")" -lt 4194304 ] || prev=$t
	modes=("--no-symbols" "--no-symbols --json" "--no-symbols --chrome -" "--no-symbols --diff $prev $t")
	[ "$size" -lt 1048576 ] && modes+=("")
	for m in "${modes[@]}"; do
		# shellcheck disable=SC2086 # (the mode's words are options)
		case $m in *--diff*) set -- $m ;; *) set -- $m "$t" ;; esac
		run "$old" a "$@"
		run "$new" b "$@"
		runs=$((runs + 1))
		for k in out err rc; do
			if ! cmp -s "$tmp/a.$k" "$tmp/b.$k"; then
				echo "DIFFERENT ($k): $* "
				diffs=$((diffs + 1))
			fi
		done
	done
	prev=$t
done
echo "${#traces[@]} traces, $runs runs of each binary, $diffs differences"
[ $diffs = 0 ]
