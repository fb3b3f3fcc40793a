/* str.h - the string functions the shim uses, its own: libc's are interposable by name, and a
 * sanitizer runtime interposes them (ASan's strtol and strcmp, TSan's, MSan's), which may call
 * the shim's wrappers (__cxa_atexit, pthread_key_create, pthread_create) while its own
 * initialization runs, before its interceptors can be called: ASan's strtol CHECK-fails while
 * asan_init_is_running (compiler-rt asan_interceptors.cpp, LLVM 14, gcc 12's libasan). Also no
 * page of libc's string code to fault in at start-up. async-signal-safe; the gcc in use turns
 * none of these loops into a call of the libc function (mem* are left to libc: the sanitizers'
 * memcpy/memset fall back to their internal copies before their initialization). */
#ifndef TLSTRACE_STR_H
#define TLSTRACE_STR_H

#include <stddef.h>

static inline size_t shim_strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

static inline size_t shim_strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

/* <0, 0, >0 as strcmp: bytes compared as unsigned char */
static inline int shim_strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	return 0;
}

static inline int shim_strcmp(const char *a, const char *b)
{
	return shim_strncmp(a, b, (size_t)-1);
}

static inline int shim_memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

static inline char *shim_strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

static inline char *shim_strrchr(const char *s, int c)
{
	const char *last = NULL;
	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

static inline char *shim_strstr(const char *hay, const char *needle)
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
static inline long long shim_strtoll(const char *s, const char **end)
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

#endif
