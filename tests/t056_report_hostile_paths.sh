#!/bin/bash
# t056: the report never blocks on, or opens, what a trace's module paths name unless it is a
# regular file (reliability case 15: a FIFO), and reads traces from pipes. Variants of the kind:
# a module path that is a symlink to /dev/zero, /dev/tty, /proc/kmsg, /proc/self/mem, a
# directory, a 2 GB sparse file, a FIFO behind a symlink: each reported exactly as a missing
# path, within 10 s. Traces given as -, <(...) and a FIFO with a writer read like the file.
. "$(dirname "$0")/lib.sh"
case_run() { # DIR: a reliability case must print SAME
	local out
	out=$("$ROOT/tests/cases/reliability/$1/run" "$ROOT" "$W/$1" 2>&1)
	echo "$out" | tail -4 | sed 's/^/# /'
	[ "$(echo "$out" | tail -1)" = SAME ] || fail "case $1: $(echo "$out" | tail -1)"
}
case_run 15_report_fifo_module_hang

cd "$W"
M=$W/module.so
IN=$ROOT/tests/cases/reliability/15_report_fifo_module_hang/fifo_module.trace.in
sed "s|@MODULE@|$M|" "$IN" >t.trace
report() { # NAME ARGS...: status, stdout, stderr of the report under a 10 s limit
	local n=$1; shift
	timeout -k 2 10 "$REPORT" "$@" >"$n.out" 2>"$n.err" </dev/null; echo $? >"$n.rc"
}
rm -f "$M"
report missing t.trace
mkfifo "$W/fifo"; mkdir -p "$W/adir"; truncate -s 2G "$W/sparse"
for target in /dev/zero /dev/tty /proc/kmsg /proc/self/mem "$W/adir" "$W/sparse" "$W/fifo"; do
	[ -e "$target" ] || continue
	rm -f "$M"; ln -s "$target" "$M"
	n=$(basename "$target")
	report "$n" t.trace
	[ "$(cat "$n.rc")" = "$(cat missing.rc)" ] || fail "module path -> $target: status $(cat "$n.rc"), $(cat missing.rc) when missing"
	cmp -s "$n.out" missing.out || fail "module path -> $target: stdout differs from a missing path's"
	cmp -s "$n.err" missing.err || fail "module path -> $target: stderr differs from a missing path's"
done
rm -f "$M" "$W/sparse"

# traces from pipes: the same report as from the file
G=$ROOT/tests/golden/uwsgi_seed.trace
"$REPORT" --no-symbols "$G" >file.out 2>&1; ref=$?
"$REPORT" --no-symbols - <"$G" >stdin.out 2>&1; [ $? = $ref ] && cmp -s file.out stdin.out || fail "- (standard input) read differently"
"$REPORT" --no-symbols <(cat "$G") >proc.out 2>&1; [ $? = $ref ] || fail "<(...) read differently"
sed 's|/dev/fd/[0-9]*|F|' proc.out >proc.norm; sed "s|$G|F|" file.out >file.norm
cmp -s file.norm proc.norm || fail "<(...) read differently"
rm -f "$W/fifo"; mkfifo "$W/fifo"
(sleep 1; cat "$G" >"$W/fifo") &
timeout 20 "$REPORT" --no-symbols "$W/fifo" >fifo.out 2>&1; rc=$?
wait
[ $rc = $ref ] || fail "a FIFO trace with a late writer: status $rc, expected $ref"
true
