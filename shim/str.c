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

