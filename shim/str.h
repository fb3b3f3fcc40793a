/* str.h - the string functions the shim uses, its own (str.c): libc's are interposable by
 * name, and a sanitizer runtime interposes them (ASan's strtol and strcmp, TSan's, MSan's), which
 * may call the shim's wrappers (__cxa_atexit, pthread_key_create, pthread_create) while its own
 * initialization runs, before its interceptors can be called: ASan's strtol CHECK-fails while
 * asan_init_is_running (compiler-rt asan_interceptors.cpp, LLVM 14, gcc 12's libasan). Also no
 * page of libc's string code to fault in at start-up. async-signal-safe; built with
 * -fno-tree-loop-distribute-patterns (Makefile), gcc turns none of these loops into a call of the
 * libc function. memcpy, memmove, memset and strlen are the shim's own too, hidden (str.c): every
 * call in the shim, gcc's implicit ones and the linked-in unwinder's included, binds to them at
 * link time, with no symbol lookup at load (t462). */
#ifndef TLSTRACE_STR_H
#define TLSTRACE_STR_H

#include <stddef.h>

size_t shim_strlen(const char *s);
size_t shim_strnlen(const char *s, size_t max);
/* <0, 0, >0 as strcmp: bytes compared as unsigned char */
int shim_strncmp(const char *a, const char *b, size_t n);
int shim_strcmp(const char *a, const char *b);
int shim_memcmp(const void *a, const void *b, size_t n);
char *shim_strchr(const char *s, int c);
char *shim_strrchr(const char *s, int c);
char *shim_strstr(const char *hay, const char *needle);
/* The decimal number at the start of s as strtol reads it (leading white space, an optional
 * sign); *end: the first byte after its digits, s where there are none. Past 2^40 the digits
 * stop being read (*end then points at a digit): callers compare against far smaller bounds. */
long long shim_strtoll(const char *s, const char **end);

#endif
