// A static destructor reads a thread_local of main's thread after its destructor ran; main ends
// with the noreturn call to exit, so its return address is one past main's end (the next symbol,
// or none). t421: the shim's stderr backtrace names main there.
#include <cstdlib>
#include <vector>
struct Cache { std::vector<int> *v = new std::vector<int>; ~Cache() { delete v; v = nullptr; } };
thread_local Cache tl_cache;
__attribute__((noinline)) void record(int x) { tl_cache.v->push_back(x); }
struct Registry { ~Registry() { record(2); } };
static Registry g_registry;
int main() { record(1); std::exit(0); }
