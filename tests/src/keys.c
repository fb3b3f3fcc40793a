/* keys.c - pthread keys with destructors in a worker thread: key2's destructor sets its value
 * again once (a second round), key3's destructor reads key1 after key1's destructor ran. key4 is
 * created and deleted. Prints each destructor call. */
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>

static pthread_key_t key1, key2, key3, key4;

static void d1(void *v) { printf("d1 %lu\n", (unsigned long)(uintptr_t)v); }
static void d2(void *v)
{
	printf("d2 %lu\n", (unsigned long)(uintptr_t)v);
	if ((uintptr_t)v == 2)
		pthread_setspecific(key2, (void *)22);
}
static void d3(void *v)
{
	printf("d3 %lu key1=%p\n", (unsigned long)(uintptr_t)v, pthread_getspecific(key1));
}
static void d4(void *v) { printf("d4 %p\n", v); }

static void *worker(void *arg)
{
	(void)arg;
	pthread_setspecific(key1, (void *)1);
	pthread_setspecific(key2, (void *)2);
	pthread_setspecific(key3, (void *)3);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_key_create(&key1, d1);
	pthread_key_create(&key2, d2);
	pthread_key_create(&key3, d3);
	pthread_key_create(&key4, d4);
	pthread_key_delete(key4);
	printf("keys %u %u %u\n", key1, key2, key3);
	fflush(stdout);
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	return 0;
}
