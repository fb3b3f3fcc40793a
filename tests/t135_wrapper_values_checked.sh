#!/bin/bash
# t135: every option of the wrapper is checked before the command runs (a new user's try, U3):
# an option that needs a value refuses a missing one and refuses --; --frames and --pid take a
# positive number; --chrome FILE refuses an existing FILE unless -f, like -o, and a FILE in a
# missing directory; a --pid not in the trace keeps the trace, says where, and the status stays
# the command's.
. "$(dirname "$0")/lib.sh"
T=$ROOT/tlstrace
cd "$W"
# refused: status 2, the command never ran, no file named -- written
for a in "--frames 0" "--frames --" "--frames=0" "--frames x" "--frames=" "--pid 0" "--pid --" "--pid -3" \
	"--pid=x" "--chrome --" "--chrome=" "-o --" "-o--" "--frames 00" "--frames 99999999999"; do
	rm -f ran -- --
	# shellcheck disable=SC2086
	"$T" $a -- sh -c 'touch ran; exit 5' >out.txt 2>err.txt; rc=$?
	[ $rc = 2 ] && [ ! -e ran ] || fail "'$a': status $rc, ran: $([ -e ran ] && echo yes), $(head -1 err.txt)"
	[ -e -- ] && fail "'$a' wrote a file named --"
	grep -q "^tlstrace: " err.txt || fail "'$a': no message: $(cat err.txt)"
done
"$T" --frames -- sh -c 'touch ran' 2>err.txt
grep -q -- "--frames needs a value" err.txt || fail "--frames --: $(head -1 err.txt)"
# accepted: the forms with a value
for a in "--frames 3" "--frames=3" "--pid=$$" "--chrome=$W/c1.json" "--chrome $W/c2.json" "--chrome -"; do
	# shellcheck disable=SC2086
	"$T" $a -- sh -c 'exit 5' >/dev/null 2>err.txt; rc=$?
	[ $rc = 5 ] || fail "'$a': status $rc, $(head -2 err.txt)"
done
[ -s c1.json ] && [ -s c2.json ] || fail "--chrome FILE not written"
# --chrome FILE that exists: refused before the command runs, replaced with -f
echo precious >keep.json
"$T" --chrome keep.json -- sh -c 'touch ran' 2>err.txt; rc=$?
[ $rc = 2 ] && [ ! -e ran ] && [ "$(cat keep.json)" = precious ] && grep -q "exists" err.txt ||
	fail "--chrome on an existing file: status $rc, $(cat err.txt)"
"$T" -f --chrome keep.json -- true 2>/dev/null || fail "-f --chrome: status $?"
grep -q traceEvents keep.json || fail "-f --chrome did not write the file"
"$T" --chrome "$W/no/such/dir/c.json" -- sh -c 'touch ran' 2>err.txt; rc=$?
[ $rc = 2 ] && [ ! -e ran ] && grep -q "does not exist" err.txt || fail "--chrome in a missing directory: status $rc"
mkdir cdir
"$T" --chrome cdir -- sh -c 'touch ran' 2>err.txt; rc=$?
[ $rc = 2 ] && [ ! -e ran ] || fail "--chrome DIR: status $rc"
# --pid not in the trace: the command's status, the report says so, the trace is kept and named
mkdir tmpd
TMPDIR=$W/tmpd "$T" --pid 99999999 -- sh -c 'echo RAN; exit 5' >out.txt 2>err.txt; rc=$?
[ $rc = 5 ] && [ "$(cat out.txt)" = RAN ] || fail "--pid 99999999: status $rc"
grep -q "process 99999999 is not in" err.txt || fail "--pid 99999999: $(cat err.txt)"
kept=$(sed -n 's/^tlstrace: trace kept in //p' err.txt)
[ -n "$kept" ] && [ -s "$kept" ] || fail "--pid 99999999: the trace was not kept: $(cat err.txt)"
$REPORT "$kept" >/dev/null 2>&1; [ $? -le 1 ] || fail "the kept trace does not read"
exit 0
