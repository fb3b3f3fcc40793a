/* stackuse_lib.cc - the shared half of stackuse.cc: thread_locals with destructors in a -fPIC
 * library (dynamic TLS: each access calls __tls_get_addr), one of whose destructors reads the
 * other after it was destroyed (a use-after-destroy the shim reports, with a backtrace). GCC
 * registers a unit's thread_local destructors in declaration order and glibc runs them in
 * reverse: Reader's runs after Victim's. */
struct Reader {
	long seen = 0;
	~Reader();
};
thread_local Reader reader;
struct Victim {
	long v = 1;
	~Victim() { v = 0; }
};
thread_local Victim victim;
__attribute__((noinline)) long victim_read(void) { return victim.v; }
Reader::~Reader() { seen = victim_read(); }

extern "C" long stackuse_lib_uad(void) { return reader.seen + victim_read(); }
extern "C" long stackuse_lib_tls(void) { return ++victim.v; }
