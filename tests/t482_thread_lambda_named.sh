#!/bin/bash
# t482: a std::thread whose body is a lambda is named by the lambda, not by libstdc++'s _M_run it
# is inlined into (REPORT17 item 3; case c7): libdw's concrete chain of inlined scopes
# (dwarf_getscopes_die) gives the innermost function of the program's own source at the address,
# and the call site of the outermost inlined instance, a line of the function the code was inlined
# into (was: the innermost instance's call site, a libstdc++ header's line).
. "$(dirname "$0")/lib.sh"
ulimit -c 0
mkdir -p "$W" && cd "$W"
cat >lam.cc <<'CC'
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
static std::map<std::string, int> table;
__attribute__((noinline)) int lookup(const std::string &k)
{
	return table.at(k); // throws: std::terminate on the thread
}
int main()
{
	std::thread t([] {
		volatile int r = lookup("missing");
		(void)r;
	});
	t.join();
	return 0;
}
CC
g++ -O2 -g -pthread -o lam lam.cc || fail "build"
rm -f t.trace
LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/t.trace ./lam 2>/dev/null
[ $? = 134 ] || fail "status"
$REPORT --color=never t.trace >t.txt 2>&1
ll=$(grep -n 'volatile int r = lookup' lam.cc | cut -d: -f1)
grep -Eq "^      #[0-9]+ +main::(\{lambda\(\)#1\}|<lambda>)::operator\(\)(\(\) const)? \(lam.cc:$ll\), inlined into std::thread::_State_impl<.*>::_M_run\(\)\+0x[0-9a-f]+ \(std_thread.h:[0-9]+\) in lam$" t.txt ||
	{ sed -n '/backtrace:/,/^$/p' t.txt; fail "the thread's frame is not named by its lambda"; }
# the call site given for code inlined into lookup: a line of lam.cc, not of a libstdc++ header
grep -Eq "^      #[0-9]+ +lookup\(.*\)\+0x[0-9a-f]+ \([a-z_]+\.h:[0-9]+, inlined into lam.cc:8\) in lam$" t.txt ||
	{ sed -n '/backtrace:/,/^$/p' t.txt; fail "lookup's frame: the inlined call site is not in lam.cc"; }
$REPORT --json t.trace >t.json 2>&1
$PY - t.json <<'PY' || fail "JSON: no program_function"
import json, sys
bt = json.load(open(sys.argv[1]))["findings"][0]["backtrace"]
assert any(f.get("program_function", "").startswith("main::") and "lambda" in f["program_function"] for f in bt), bt
PY
echo PASS
