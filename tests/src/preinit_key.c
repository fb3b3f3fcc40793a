/* preinit_key.c - calls into the shim before libc's own initializer has run, as an ASan program
 * does (its runtime's init, from .preinit_array, creates a pthread key): a .preinit_array entry
 * creates a key with a destructor and registers an atexit handler. Prints a line, exits 4. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void dtor(void *p) { (void)p; }
static void bye(void) { puts("atexit ran"); }
static void early(void)
{
	pthread_key_t k;
	pthread_key_create(&k, dtor);
	atexit(bye);
}
__attribute__((section(".preinit_array"), used)) static void (*const preinit)(void) = early;

int main(void)
{
	puts("main");
	return 4;
}
