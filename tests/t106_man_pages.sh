#!/bin/bash
# t106: each man page (man/*.[1-9].in, as make fills it in: build/man/) renders with `man -l` without a warning, and
# tlstrace-report(1) names every long option the program accepts (its --help). Skipped until the
# pages exist (man/ comes with the debian/ packaging work). tlstrace(1) names every option of
# tlstrace --help and every TLSTRACE_* variable of README.md's configuration table.
. "$(dirname "$0")/lib.sh"
command -v man >/dev/null || skip "man not installed"
pages=$(ls "$ROOT"/build/man/*.[1-9] 2>/dev/null) || fail "no man pages in build/man/ (make makes them from man/*.in)"
for p in $pages; do ! grep -q "@[A-Z]*@" "$p" || fail "$(basename "$p"): a placeholder left: $(grep -o "@[A-Z]*@" "$p" | head -1)"; done
for p in $pages; do
	w=$(MANWIDTH=80 man -l --warnings "$p" 2>&1 >/dev/null)
	[ -z "$w" ] || fail "$(basename "$p"): man -l warns: $w"
done
if [ -e "$ROOT/build/man/tlstrace-report.1" ]; then
	MANWIDTH=200 man -l "$ROOT/build/man/tlstrace-report.1" 2>/dev/null | col -b >"$W/report.txt"
	for o in $($REPORT --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "$o" "$W/report.txt" || fail "tlstrace-report(1) does not name $o"
	done
fi
# tlstrace(1) names every option of the wrapper's --help and every variable of README.md's
# configuration table (the page and the README kept in step)
if [ -e "$ROOT/build/man/tlstrace.1" ]; then
	MANWIDTH=200 man -l "$ROOT/build/man/tlstrace.1" 2>/dev/null | col -b >"$W/tlstrace.txt"
	for o in $("$ROOT/tlstrace" --help | grep -oE -- '(^|[ ,[])-[-a-zA-Z]+' | tr -d ' ,[' | sort -u) \
		$(grep -o '^| `TLSTRACE_[A-Z_]*`' "$ROOT/README.md" | tr -d '|` '); do
		grep -qw -- "$o" "$W/tlstrace.txt" || fail "tlstrace(1) does not name $o"
	done
fi
