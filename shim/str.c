/* str.c - the shim's own string functions (str.h says why not libc's). Out of line: one copy
 * each in the code every start runs (t040's window), not one per call. async-signal-safe */
#include "str.h"

size_t shim_strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t shim_strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

/* <0, 0, >0 as strcmp: bytes compared as unsigned char */
int shim_strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	return 0;
}

int shim_strcmp(const char *a, const char *b)
{
	return shim_strncmp(a, b, (size_t)-1);
}

int shim_memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

char *shim_strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *shim_strrchr(const char *s, int c)
{
	const char *last = NULL;
	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *shim_strstr(const char *hay, const char *needle)
{
	size_t n = shim_strlen(needle);
	for (; *hay; hay++)
		if (!shim_strncmp(hay, needle, n))
			return (char *)hay;
	return n ? NULL : (char *)hay;
}

/* The decimal number at the start of s as strtol reads it (leading white space, an optional
 * sign); *end: the first byte after its digits, s where there are none. Past 2^40 the digits
 * stop being read (*end then points at a digit): callers compare against far smaller bounds. */
long long shim_strtoll(const char *s, const char **end)
{
	const char *p = s, *digits;
	long long n = 0;
	int neg;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	neg = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	for (digits = p; *p >= '0' && *p <= '9' && n <= 1ll << 40; p++)
		n = n * 10 + (*p - '0');
	*end = p == digits ? s : p;
	return neg ? -n : n;
}


/* memcpy, memmove, memset and strlen for every caller in the shim: its own calls, those gcc makes
 * for a structure's copy or zeroing, gcc's unwinder's (libgcc_eh, linked in). Hidden, so the
 * linker binds them here: no symbol lookup for each at every load (relocations), no ifunc
 * resolver of libc's run, and no page of libc's string code faulted in by the shim (/bin/true:
 * the resolvers' page and __memcpy_avx_unaligned_erms's, two faults of ~14 us each in this VM;
 * perf record -e page-faults -d). The program's own calls still go to libc's (nothing exported).
 * The sanitizers' interceptors no longer see the shim's copies either (str.h). Short copies are
 * what the shim makes (lines of at most a few KiB); x86-64's rep movsb and rep stosb (fast
 * strings) are as quick as libc's there and need no vector registers (a signal handler's are
 * the program's). The flag is clear (DF=0) at every call, by the ABI and in a handler by the
 * kernel. async-signal-safe */
#define SHIM_OWN __attribute__((visibility("hidden")))
SHIM_OWN void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
#if defined(__x86_64__)
	void *d = dst;
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
#else
	unsigned char *d = dst;
	const unsigned char *s = src;
	while (n--)
		*d++ = *s++;
#endif
	return dst;
}

SHIM_OWN void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n); /* (forward: a lower destination, or no overlap) */
	while (n--)
		d[n] = s[n];
	return dst;
}

SHIM_OWN void *memset(void *dst, int c, size_t n)
{
#if defined(__x86_64__)
	void *d = dst;
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
#else
	unsigned char *d = dst;
	while (n--)
		*d++ = (unsigned char)c;
#endif
	return dst;
}

SHIM_OWN size_t strlen(const char *s) { return shim_strlen(s); }
