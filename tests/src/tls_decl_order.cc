// tls_decl_order.cc - two dynamic thread_locals of one file, sess declared before reg, and
// sess's destructor reads reg (t375). g++ 12 constructs both in declaration order at the first
// use of either (the file's __tls_init), so touch() using reg first still builds sess first;
// they are destroyed in reverse (reg first), and sess's destructor then reads a destroyed reg.
// Built as a shared library (-fPIC): its thread_locals are looked up through __tls_get_addr.
#include <cstdio>

struct Reg {
	int n = 1;
	Reg() { std::puts("reg built"); }
	~Reg() { n = 0; }
};
struct Sess {
	Sess() { std::puts("sess built"); }
	~Sess();
};
thread_local Sess sess;
thread_local Reg reg;
Sess::~Sess() { std::printf("sess's destructor reads reg.n=%d\n", reg.n); }

extern "C" void touch(void)
{
	(void)&reg; // "touch it first": still after sess
	(void)&sess;
}
