#!/bin/bash
# t485: a SIGABRT from std::terminate after an uncaught exception names the exception's type
# (REPORT17 item 4): the shim reads __cxa_current_exception_type() in the fatal path of a SIGABRT
# the thread raised (a crash_exc line), the report names the type (demangled) in the crash's
# message, root cause and fix; what() stays on stderr (libstdc++'s message). The program's
# outcome and stderr are unchanged.
. "$(dirname "$0")/lib.sh"
ulimit -c 0
mkdir -p "$W" && cd "$W"
cat >thrower.cc <<'CC'
#include <cstring>
#include <map>
#include <stdexcept>
namespace app { struct ConfigError { int code; }; }
static std::map<int, int> m;
int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "own"))
		throw app::ConfigError{3};
	return m.at(42);
}
CC
g++ -O0 -g -o thrower thrower.cc || fail "build"
for mode in std own; do
	./thrower $mode 2>$mode.plain.err
	plain=$?
	rm -f $mode.trace
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$mode.trace TLSTRACE_STDERR=0 ./thrower $mode 2>$mode.err
	[ $? = $plain ] && [ $plain = 134 ] || fail "$mode: status $plain"
	cmp -s $mode.plain.err $mode.err || fail "$mode: stderr differs"
	$REPORT --color=never $mode.trace >$mode.txt 2>&1
done
grep -q " crash_exc St12out_of_range$" std.trace || fail "std: no crash_exc line"
grep -q "^    SIGABRT sent (SI_TKILL) by std::terminate() in .*, for an uncaught exception of type std::out_of_range$" std.txt ||
	{ cat std.txt; fail "std: the message"; }
grep -q "^    root cause: an exception of type std::out_of_range was thrown and no handler caught it" std.txt || { cat std.txt; fail "std: root cause"; }
grep -q "^    fix:        catch std::out_of_range where it is thrown" std.txt || fail "std: fix"
grep -q "for an uncaught exception of type app::ConfigError$" own.txt || { cat own.txt; fail "own: the type"; }
echo PASS
