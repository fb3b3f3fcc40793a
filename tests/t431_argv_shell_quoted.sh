#!/bin/bash
# t431: a process's command line in the report is shell-quoted, so that it can be pasted and gives
# the same arguments (FRESH15b: `sh -c 'exit 3'` was shown as `sh -c exit 3`, three words).
# An argument with a space, a single quote, a shell character ($, ;, *), an empty one and one with
# a newline: the text report's command line and the JSON argv, read back by bash, are the
# arguments the program got.
. "$(dirname "$0")/lib.sh"
traced run /bin/sh -c 'exit 3' 'a b' "it's" '$HOME;*' '' "$(printf 'x\ny')" plain-arg --opt=1
[ "$RC" = 3 ] || fail "sh exited $RC: $(cat "$W/run.err")"
$REPORT "$W/run.trace" >"$W/run.report" 2>&1
line=$(grep -A1 "^process [0-9]* sh: " "$W/run.report" | tail -1 | sed 's/^    //')
[ -n "$line" ] || { cat "$W/run.report"; fail "no command line under the process"; }
want=$(printf '%s\n' /bin/sh -c 'exit 3' 'a b' "it's" '$HOME;*' '' "$(printf 'x\ny')" plain-arg --opt=1 | od -c)
got=$(eval "printf '%s\n' $line" | od -c)
[ "$got" = "$want" ] || fail "the command line does not read back as the arguments: $line"
echo "$line" | grep -qF "/bin/sh -c 'exit 3' 'a b' 'it'\\''s' '\$HOME;*' '' \$'x\\ny' plain-arg --opt=1" ||
	fail "not quoted as expected: $line"
json=$($REPORT --json "$W/run.trace" | $PY -c 'import json,sys; print(json.load(sys.stdin)["processes"][0]["argv"])')
[ "$json" = "$line" ] || fail "JSON argv: $json"
exit 0
