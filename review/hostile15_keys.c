/* hostile15_keys.c: pthread key destructors that set their value again, delete their own key, make a new key; a deleted slot reused; bad keys; keys until EAGAIN. review/run-hostile15.sh */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static pthread_key_t k1, k2, k3, knew;
static int iters;
static void d1(void *v) { printf("d1 %ld\n", (long)v); if (++iters < 10) pthread_setspecific(k1, (void *)((long)v + 1)); }
static void d3(void *v) { printf("d3 %ld\n", (long)v); pthread_key_create(&knew, d1); int r = pthread_setspecific(knew, (void *)100); printf("new key in dtor set %d\n", r); }
static void d2(void *v) { printf("d2 %ld delete own %d\n", (long)v, pthread_key_delete(k2)); }
static void *th(void *a)
{
	(void)a;
	pthread_setspecific(k1, (void *)1); pthread_setspecific(k2, (void *)2); pthread_setspecific(k3, (void *)3);
	printf("get %ld %ld %ld\n", (long)pthread_getspecific(k1), (long)pthread_getspecific(k2), (long)pthread_getspecific(k3));
	return NULL;
}
int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	pthread_key_create(&k1, d1); pthread_key_create(&k2, d2); pthread_key_create(&k3, d3);
	printf("keys %u %u %u\n", k1, k2, k3);
	pthread_t t; pthread_create(&t, NULL, th, NULL); pthread_join(t, NULL);
	printf("iterations %d\n", iters);
	/* a deleted key's slot reused: the old value is not seen */
	pthread_key_t a, b; pthread_key_create(&a, NULL); pthread_setspecific(a, (void *)42); pthread_key_delete(a);
	pthread_key_create(&b, NULL); printf("reused %d value %ld\n", a == b, (long)pthread_getspecific(b));
	printf("bad key set %d get %p\n", pthread_setspecific(PTHREAD_KEYS_MAX + 5, (void *)1), pthread_getspecific(PTHREAD_KEYS_MAX + 5));
	printf("delete twice %d %d\n", pthread_key_delete(b), pthread_key_delete(b));
	int n = 0; pthread_key_t kk; while (pthread_key_create(&kk, NULL) == 0) n++;
	printf("more keys %d errno-ret EAGAIN\n", n);
	return 0;
}
