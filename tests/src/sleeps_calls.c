/* sleeps_calls.c - the sleep, poll and timed-wait family (shim/sleeps.c) called in the cases where
 * a wrapper could change what the caller sees: errors (return value and errno, errno left alone
 * where the call returns its error), timeouts, EINTR from a handler (with the remaining time),
 * cancellation at each call (deferred cancellation pending: the call acts on it), each line
 * printed; t294 compares the lines with and without the shim. Built as a program (main) and as a
 * shared library whose sleeps_calls(tag) python3 calls through ctypes, in its main code and in an
 * atexit callback (the wrappers' Python path: shim/python.c py_fin_blocking). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "calls_check.h"

static struct timespec in(long ns)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec += ns % 1000000000;
	t.tv_sec += ns / 1000000000 + t.tv_nsec / 1000000000;
	t.tv_nsec %= 1000000000;
	return t;
}

/* cancellation: the thread cancels itself (deferred, pending) and makes call k; a cancellation
 * point acts on it there and the thread ends PTHREAD_CANCELED */
static void *cancel_at(void *arg)
{
	long k = (long)arg;
	struct timespec z = {0, 0}, ms = {0, 1000000}, past = {1, 0};
	struct timeval tv = {0, 1000};
	sem_t s;
	struct epoll_event ev;
	int ep = epoll_create1(0);
	sem_init(&s, 0, 0);
	pthread_cancel(pthread_self());
	switch (k) {
	case 0: nanosleep(&ms, NULL); break;
	case 1: clock_nanosleep(CLOCK_MONOTONIC, 0, &ms, NULL); break;
	case 2: usleep(1000); break;
	case 3: select(0, NULL, NULL, NULL, &tv); break;
	case 4: pselect(0, NULL, NULL, NULL, &z, NULL); break;
	case 5: poll(NULL, 0, 0); break;
	case 6: ppoll(NULL, 0, &z, NULL); break;
	case 7: epoll_wait(ep, &ev, 1, 0); break;
	case 8: epoll_pwait(ep, &ev, 1, 1, NULL); break;
	case 9: sem_timedwait(&s, &past); break;
	case 10: sem_clockwait(&s, CLOCK_MONOTONIC, &past); break;
	case 11: sleep(1); break;
	}
	return (void *)1; /* not cancelled */
}

void sleeps_calls(const char *tag)
{
	static const char *const names[] = {"nanosleep", "clock_nanosleep", "usleep", "select", "pselect", "poll",
					    "ppoll", "epoll_wait", "epoll_pwait", "sem_timedwait", "sem_clockwait", "sleep"};
	struct timespec z = {0, 0}, us = {0, 1000}, bad = {0, -1}, rem = {0, 0}, big = {0, 2000000000}, past = {1, 0};
	struct timeval tv0 = {0, 0}, tv = {0, 1000};
	struct pollfd pf = {-5, POLLIN, 0}, nv = {1000000, POLLIN, 0};
	struct epoll_event ev;
	sem_t s0, s1;
	int ep = epoll_create1(EPOLL_CLOEXEC), p[2];
	char line[64];
	struct pollfd *volatile bad_fds = (struct pollfd *)8; /* (hidden from the compiler's checks) */
	tag_ = tag;
	sem_init(&s0, 0, 0);
	sem_init(&s1, 0, 1);
	if (pipe(p) != 0)
		return;
	CALL("nanosleep NULL", nanosleep(NULL, NULL));
	CALL("nanosleep bad", nanosleep(&bad, NULL));
	CALL("nanosleep 1us", nanosleep(&us, &rem));
	CALL("nanosleep 0", nanosleep(&z, NULL));
	CALL("clock_nanosleep NULL", clock_nanosleep(CLOCK_MONOTONIC, 0, NULL, NULL));
	CALL("clock_nanosleep badclock", clock_nanosleep(12345, 0, &us, NULL));
	CALL("clock_nanosleep abs past", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));
	CALL("clock_nanosleep bad", clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL));
	CALL("sleep 0", sleep(0));
	CALL("usleep 0", usleep(0));
	CALL("usleep 100", usleep(100));
	CALL("select -1", select(-1, NULL, NULL, NULL, &tv));
	CALL("select 0", select(0, NULL, NULL, NULL, &tv0));
	CALL("select 1ms", select(0, NULL, NULL, NULL, &tv));
	CALL("pselect -1", pselect(-1, NULL, NULL, NULL, &us, NULL));
	CALL("pselect bad", pselect(0, NULL, NULL, NULL, &bad, NULL));
	CALL("poll nval", poll(&nv, 1, 1));
	CALL("poll neg fd", poll(&pf, 1, 1));
	CALL("poll efault", poll(bad_fds, 1, 1));
	CALL("ppoll bad", ppoll(NULL, 0, &bad, NULL));
	CALL("ppoll 1us", ppoll(NULL, 0, &us, NULL));
	CALL("epoll_wait badfd", epoll_wait(-1, &ev, 1, 1));
	CALL("epoll_wait max0", epoll_wait(ep, &ev, 0, 1));
	CALL("epoll_wait 1ms", epoll_wait(ep, &ev, 1, 1));
	CALL("epoll_pwait badfd", epoll_pwait(-1, &ev, 1, 1, NULL));
	CALL("epoll_pwait2 badfd", epoll_pwait2(-1, &ev, 1, &us, NULL));
	CALL("epoll_pwait2 bad", epoll_pwait2(ep, &ev, 1, &bad, NULL));
	CALL("sem_timedwait free", sem_timedwait(&s1, &past));
	CALL("sem_timedwait past", sem_timedwait(&s0, &past));
	CALL("sem_timedwait badns", sem_timedwait(&s0, &big));
	CALL("sem_clockwait past", sem_clockwait(&s0, CLOCK_MONOTONIC, &past));
	CALL("sem_clockwait badclock", sem_clockwait(&s0, 12345, &past));
	/* interrupted by a handler: EINTR (no restart for these), the time left where given back */
	alarm_soon();
	{
		struct timespec ten = {10, 0};
		CALL("nanosleep eintr", nanosleep(&ten, &rem));
		printf("%s nanosleep eintr rem>0 %d\n", tag_, rem.tv_sec > 0);
	}
	alarm_soon();
	{
		struct timespec ten = {10, 0};
		CALL("clock_nanosleep eintr", clock_nanosleep(CLOCK_MONOTONIC, 0, &ten, NULL));
	}
	alarm_soon();
	CALL("poll eintr", poll(NULL, 0, 10000));
	alarm_soon();
	{
		struct timeval ten = {10, 0};
		CALL("select eintr", select(0, NULL, NULL, NULL, &ten));
	}
	alarm_soon();
	CALL("epoll_wait eintr", epoll_wait(ep, &ev, 1, 10000));
	alarm_soon();
	{
		struct timespec t = in(10000000000);
		CALL("sem_timedwait eintr", sem_timedwait(&s0, &t));
	}
	alarm_soon();
	CALL("sleep eintr (left > 0)", sleep(10) > 0);
	/* data ready: the poll family returns it */
	if (write(p[1], "x", 1) != 1)
		return;
	{
		struct pollfd r = {p[0], POLLIN, 0};
		CALL("poll ready", poll(&r, 1, 10000));
		printf("%s poll ready revents %d\n", tag_, r.revents);
	}
	for (long k = 0; k < 12; k++) {
		pthread_t t;
		void *ret = NULL;
		pthread_create(&t, NULL, cancel_at, (void *)k);
		pthread_join(t, &ret);
		snprintf(line, sizeof line, "cancel at %s", names[k]);
		show(line, ret == PTHREAD_CANCELED, 77);
	}
	close(p[0]);
	close(p[1]);
	close(ep);
	sem_destroy(&s0);
	sem_destroy(&s1);
}

#ifdef MAIN
int main(void)
{
	sleeps_calls("c");
	return 0;
}
#endif
