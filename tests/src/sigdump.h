/* sigdump.h - the signal-action dump of t276 (sigfields.c) and t286-t288 (sigexact.c): what
 * sigaction(sig, NULL, &old) reports, one line per signal, "POINT SIG h=HANDLER flags=FLAGS
 * restorer=RESTORER mask=MASK" (the kernel's 64 mask bits), code addresses as module+offset so
 * that runs compare. sigdump_name: the program's own names for its handlers (NULL: none). */
#include <dlfcn.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *(*sigdump_name)(void *p);

static void where(char *buf, size_t n, void *p)
{
	Dl_info di;
	const char *name = sigdump_name ? sigdump_name(p) : NULL;
	if (name)
		snprintf(buf, n, "%s", name);
	else if (p == NULL)
		snprintf(buf, n, "0");
	else if (p == (void *)SIG_IGN)
		snprintf(buf, n, "IGN");
	else if (dladdr(p, &di) && di.dli_fname) {
		const char *b = strrchr(di.dli_fname, '/');
		snprintf(buf, n, "%s+%lx", b ? b + 1 : di.dli_fname, (unsigned long)((char *)p - (char *)di.dli_fbase));
	} else
		snprintf(buf, n, "%p", p);
}

static void show(const char *point, int sig, const struct sigaction *a)
{
	const struct sigaction o = *a;
	uint64_t m;
	char hb[128], rb[128];
	memcpy(&m, &o.sa_mask, sizeof m);
	where(hb, sizeof hb, (void *)o.sa_handler);
	where(rb, sizeof rb, (void *)o.sa_restorer);
	printf("%s %d h=%s flags=%x restorer=%s mask=%llx\n", point, sig, hb, o.sa_flags, rb, (unsigned long long)m);
}

static void dump_one(const char *point, int sig)
{
	struct sigaction o;
	memset(&o, 0xab, sizeof o);
	if (sigaction(sig, NULL, &o) != 0)
		printf("%s %d error\n", point, sig);
	else
		show(point, sig, &o);
}

static void dump(const char *point)
{
	for (int sig = 1; sig <= 64; sig++)
		dump_one(point, sig);
	fflush(stdout);
}
