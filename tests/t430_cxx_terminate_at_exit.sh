#!/bin/bash
# t430: std::terminate at exit, C++'s abort: a static std::thread still joinable when exit()
# destroys it, and a static object's destructor that throws. The crash names std::terminate and
# the program's frame that called it (not "abort() in __gnu_cxx::__verbose_terminate_handler()"
# in libstdc++), and its root cause and fix say why (a joinable std::thread: join or detach it
# before main returns, std::jthread; an exception out of a destructor), not "see the backtrace".
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
cat >jt.cc <<'CC'
#include <atomic>
#include <chrono>
#include <thread>
std::atomic<bool> stop{false};
std::thread worker;
int main() {
	worker = std::thread([] { while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(10)); });
	return 0;
}
CC
cat >th.cc <<'CC'
#include <stdexcept>
struct Flusher { ~Flusher() noexcept(false) { throw std::runtime_error("flush failed"); } };
struct Holder { Flusher f; ~Holder() {} };
static Holder h;
int main() { return 0; }
CC
g++ -O2 -g -pthread -o jt jt.cc && g++ -O2 -g -o th th.cc || fail "build"
for m in jt th; do
	plain_and_traced "$m" "./$m"
	[ "$RC" = 134 ] || fail "$m: status $RC (SIGABRT expected)"
	"$REPORT" --color=never "$W/$m.trace" >"$m.txt" 2>&1
done
f=$(grep -A4 '^\[[0-9]*\] error crash ' jt.txt)
echo "$f" | grep -q "SIGABRT sent (SI_TKILL) by std::terminate() in std::thread::~thread()" || fail "jt: the message: $f"
echo "$f" | grep -q "root cause: a std::thread was destroyed while still joinable .*(the object: worker, a static one, destroyed by exit())" ||
	fail "jt: the root cause: $f"
echo "$f" | grep -q "fix: *stop the thread and join it (or detach it) before its std::thread object is destroyed" || fail "jt: the fix: $f"
f=$(grep -A4 '^\[[0-9]*\] error crash ' th.txt)
# (the function inlined into Holder::~Holder() that threw named first, and the exception's type:
# REPORT17 items 3 and 4)
echo "$f" | grep -q "SIGABRT sent (SI_TKILL) by std::terminate() in .*Holder::~Holder().*, for an uncaught exception of type std::runtime_error" || fail "th: the message: $f"
echo "$f" | grep -q "root cause: an exception of type std::runtime_error was thrown and no handler caught it, so C++ called std::terminate.*; during: main returned 0 > static destructor Holder::~Holder() of h" ||
	fail "th: the root cause: $f"
! grep -q "fix: *see the backtrace" jt.txt th.txt || fail "a fix that says nothing"
exit 0
