#!/bin/bash
# t425: a fatal fault in teardown that no other rule explains (no destroyed thread_local, bad
# function pointer or std::terminate) gets a root cause from the kernel's si_code and si_addr
# and a fix that names the program's frame, not "a fatal signal during: ... / fix: see the
# backtrace" (FRESH16): a null pointer in a static destructor (with the reverse order of static
# destruction), a member of a null pointer's object, memory unmapped before an atexit handler
# reads it, a write to a string literal, an integer division by zero, __builtin_trap(). The
# frame named is the program's, not libc's (strcpy's caller), nor a system header's inlined into
# it (std::vector's push_back: FRESH16b). glibc's own aborts are named: its malloc's heap check (a
# double free), a failed assert().
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
cat >f.cc <<'CC'
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/mman.h>
struct Obj { long pad[3]; long member; };
static int mode;
static char *volatile mapped;
static Obj *volatile none;
static const char *volatile literal = "literal";
static volatile int zero;
struct Late {
	~Late() {
		switch (mode) {
		case 1: *(volatile int *)none = 42; break;
		case 2: none->member = 1; break;
		case 4: std::strcpy((char *)literal, "overwritten"); break;
		case 5: std::printf("%d\n", 100 / zero); break;
		case 6: __builtin_trap();
		}
	}
};
static Late late;
static void reader() { std::printf("%c\n", mapped[100]); }
int main(int argc, char **argv) {
	mode = std::atoi(argv[1]);
	mapped = (char *)mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mode == 3) {
		std::atexit(reader);
		munmap(mapped, 4096);
	}
	return 0;
}
CC
g++ -O0 -g -o f f.cc || fail "build"
check() { # MODE STATUS ROOT-CAUSE-REGEX FIX-REGEX
	plain_and_traced "m$1" ./f "$1"
	[ "$RC" = "$2" ] || fail "mode $1: status $RC, $2 expected"
	"$REPORT" --color=never "$W/m$1.trace" >"m$1.txt" 2>&1
	local f
	f=$(grep -A4 '^\[[0-9]*\] error crash ' "m$1.txt")
	echo "$f" | grep -q "root cause: $3" || fail "mode $1: the root cause: $f"
	echo "$f" | grep -q "fix: *$4" || fail "mode $1: the fix: $f"
	! echo "$f" | grep -q "see the backtrace" || fail "mode $1: a fix that says nothing: $f"
}
check 1 139 "a null pointer dereference (address 0x0) in Late::~Late() (f.cc:14), during: main returned 0 > static destructor Late::~Late() of late" \
	"the pointer used in Late::~Late() (f.cc:14) is null there: .*Static objects are destroyed in the reverse order of their construction"
check 2 139 "a null pointer dereference (address 0x18: a member at that offset" "the pointer used in Late::~Late() (f.cc:15) is null there"
check 3 139 "an access to unmapped memory at 0x[0-9a-f]* in reader() (f.cc:23): a pointer to memory freed, unmapped" \
	"find where the memory the pointer used in reader() (f.cc:23) points to went: .*valgrind"
check 4 139 "an access its mapping forbids at 0x[0-9a-f]* in Late::~Late() (f.cc:16): a write to read-only memory" "the memory written or jumped to in Late::~Late() (f.cc:16)"
check 5 136 "an integer division by zero in Late::~Late() (f.cc:17)" "check the divisor in Late::~Late() (f.cc:17)"
check 6 132 "an illegal instruction in Late::~Late() (f.cc:18): ud2 from __builtin_trap()" "look at the code in Late::~Late() (f.cc:18)"

cat >g.cc <<'CC'
#include <cassert>
#include <cstdlib>
#include <vector>
static int mode;
static std::vector<int> *volatile none;
static char *volatile buf;
struct Cache {
	~Cache() {
		if (mode == 7) none->push_back(1);
		if (mode == 8) { std::free(buf); std::free(buf); }
		if (mode == 9) assert(mode == 0);
	}
};
static Cache cache;
int main(int argc, char **argv) {
	mode = std::atoi(argv[1]);
	buf = (char *)std::malloc(32);
	return 0;
}
CC
g++ -O0 -g -o f g.cc || fail "build g"
check 7 139 "a null pointer dereference (address 0x8: .*) in Cache::~Cache() (g.cc:9), during: main returned 0 > static destructor Cache::~Cache() of cache" \
	"the pointer used in Cache::~Cache() (g.cc:9) is null there"
check 8 134 "glibc's malloc found its heap corrupted in Cache::~Cache() (g.cc:10): a double free" \
	"run the program under valgrind, or build it with -fsanitize=address: they name the bad free or write in Cache::~Cache() (g.cc:10)"
check 9 134 "an assert() failed in Cache::~Cache() (g.cc:11)" "see why the asserted condition in Cache::~Cache() (g.cc:11) does not hold here"
exit 0
