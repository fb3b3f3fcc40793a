#!/bin/bash
# t021: tlstrace-report on bad input never crashes, says what is wrong with file and line, still
# reports what it can read, and exits 2 only when an input could not be read at all:
# a last line cut short, event types from a newer version, garbage and binary lines, lines with
# missing or malformed fields, an empty file, a directory, a missing file, a file that is not a
# trace, a format version it does not read, a good and a bad file together; usage errors.
. "$(dirname "$0")/lib.sh"
G=$ROOT/tests/golden
cd "$W"
run() { # EXPECTED-STATUS NAME ARGS...: run the report, check its status, keep stdout/stderr
	local want=$1 name=$2 rc
	shift 2
	$REPORT --no-symbols --color=never "$@" >"$name.out" 2>"$name.err"; rc=$?
	[ $rc -lt 128 ] || fail "$name: the report died (status $rc)"
	[ $rc = "$want" ] || { cat "$name.err"; fail "$name: exit status $rc, expected $want"; }
}
err_has() { grep -q -- "$2" "$1.err" || { cat "$1.err"; fail "$1: stderr lacks: $2"; }; }

# cut short: the last line has no newline; everything before it is reported
head -c -25 "$G/uwsgi_seed.trace" >cut.trace
n=$(wc -l <cut.trace)
run 1 cut cut.trace
err_has cut "cut.trace:$((n + 1)): last line cut short"
grep -q "use-after-destroy" cut.out || fail "cut: the findings before the cut are lost"

# unknown event types (a newer shim), garbage, binary data, malformed fields
{
	sed -n 1,10p "$G/uwsgi_seed.trace"
	echo "16977 16977 100 I frobnicate 1 2 3"
	echo "16977 16977 100 I frobnicate 4"
	echo "this is not a trace line"
	printf '16977 16977 100 I exit\0 1\n'
	echo "16977 x 100 I exit 1"
	echo "16977 16977 100 Q exit 1"
	echo "16977 16977 100 I uad"
	echo "16977 16977 100 I crash 11"
	echo "16977 16977 100 I tls_dtor"
	echo "16977 16977 100 I atexit_run 5 99+0xzz"
	echo "16977 16977 100 I mod notanumber"
	sed -n '11,$p' "$G/uwsgi_seed.trace"
} >mixed.trace
run 1 mixed mixed.trace
err_has mixed 'mixed.trace:11: unknown event type "frobnicate"'
[ "$(grep -c frobnicate mixed.err)" = 1 ] || fail "mixed: an unknown type should be warned about once"
err_has mixed "mixed.trace:13: not an event line"
err_has mixed "mixed.trace:14: binary data"
err_has mixed "mixed.trace:15: not an event line"
err_has mixed "mixed.trace:16: not an event line"
err_has mixed "mixed.trace:21: mod: expected 5 fields"
grep -q "use-after-destroy: tls_obj" mixed.out || fail "mixed: the good lines were not reported"

# a line far longer than the format allows
{ head -3 "$G/python3_seed.trace"; printf '16605 16605 100 I note %s\n' "$(head -c 20000 /dev/zero | tr '\0' x)"; sed -n '4,$p' "$G/python3_seed.trace"; } >long.trace
run 0 long long.trace
err_has long "long.trace:4: line longer than 4096 bytes"

# unreadable inputs
: >empty.trace
run 2 empty empty.trace
err_has empty "empty.trace: empty file, not a trace"
mkdir -p adir
run 2 dir adir
err_has dir "adir: is a directory"
run 2 missing no-such.trace
err_has missing "no-such.trace: cannot open: No such file or directory"
printf 'root:x:0:0:root:/root:/bin/bash\n' >passwd.trace
run 2 nottrace passwd.trace
err_has nottrace "passwd.trace:1: not a tlstrace trace"
sed '1s/ tlstrace 1 / tlstrace 0 /' "$G/python3_seed.trace" >v0.trace
run 2 version v0.trace
err_has version "v0.trace:1: format version 0; this report reads versions 1 to 3"
sed -n '2,$p' "$G/python3_seed.trace" >nohead.trace
run 2 nohead nohead.trace
err_has nohead 'nohead.trace:1: not a tlstrace trace: the first line is "config"'
# one good file, one bad: the good one is reported, the status says something was unreadable
run 2 goodbad "$G/uwsgi_seed.trace" empty.trace
grep -q "use-after-destroy" goodbad.out || fail "goodbad: the good file was not reported"

# usage
run 2 noargs
err_has noargs "no trace given"
run 2 badopt --bogus "$G/python3_seed.trace"
# a bad command line: what was wrong, the usage lines and where the rest is, not the whole help
err_has badopt "Try 'tlstrace-report --help' for more information."
[ "$(wc -l <badopt.err)" -le 4 ] || fail "badopt: $(wc -l <badopt.err) lines on stderr: the whole help"
run 2 badframes --frames x "$G/python3_seed.trace"
err_has badframes "expected a positive number"
run 2 badcolor --color=sometimes "$G/python3_seed.trace"
run 2 diffone --diff "$G/python3_seed.trace"
err_has diffone "exactly two traces"
run 2 badpid --pid nope "$G/python3_seed.trace"
run 0 help --help
grep -q "^usage: tlstrace-report" help.out || fail "--help prints no usage"
grep -q "Exit status: 0 no findings, 1 findings" help.out || fail "--help does not document the exit status"
run 0 version --version

# colour: never into a pipe, on a terminal unless NO_COLOR is set, always when asked
esc=$(printf '\033')
$REPORT "$G/uwsgi_seed.trace" 2>/dev/null | grep -q "$esc" && fail "colour written into a pipe"
$REPORT --color=always "$G/uwsgi_seed.trace" 2>/dev/null | grep -q "$esc" || fail "--color=always wrote no colour"
if command -v script >/dev/null; then
	script -qec "$REPORT --no-symbols $G/uwsgi_seed.trace" /dev/null </dev/null >tty.out 2>&1
	grep -q "$esc" tty.out || fail "no colour on a terminal"
	NO_COLOR=1 script -qec "$REPORT --no-symbols $G/uwsgi_seed.trace" /dev/null </dev/null >tty.out 2>&1
	grep -q "$esc" tty.out && fail "colour on a terminal despite NO_COLOR"
fi
true
