/* hostile15_glibcthreads.c [x]: glibc's own threads: getaddrinfo_a, mq_notify (SIGEV_THREAD); with
 * x, exit(3) while a SIGEV_THREAD timer's thread fires. review/run-hostile15.sh */
#define _GNU_SOURCE
#include <aio.h>
#include <fcntl.h>
#include <mqueue.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
static volatile int fired;
static void tf(union sigval v) { fired += v.sival_int; }

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* (SIGEV_THREAD timers and aio: hostile14_misc timer) */
	timer_t t; struct sigevent ev = {0};
	ev.sigev_notify = SIGEV_THREAD; ev.sigev_notify_function = tf; ev.sigev_value.sival_int = 1;
	struct itimerspec its = {{0, 1000000}, {0, 1000000}};
	struct gaicb g = {.ar_name = "localhost"}, *gl[1] = {&g};
	getaddrinfo_a(GAI_WAIT, gl, 1, NULL);
	printf("gai %d\n", gai_error(&g));
	mqd_t q = mq_open("/h15q", O_CREAT | O_RDWR, 0600, NULL);
	struct sigevent ne = {0}; ne.sigev_notify = SIGEV_THREAD; ne.sigev_notify_function = tf; ne.sigev_value.sival_int = 100;
	mq_notify(q, &ne); mq_send(q, "x", 1, 0);
	while (fired < 100) usleep(1000);
	printf("mq notified\n"); mq_unlink("/h15q");
	if (argc > 1) { its.it_value.tv_nsec = 1000000; timer_create(CLOCK_MONOTONIC, &ev, &t); timer_settime(t, 0, &its, NULL); usleep(20000); exit(3); }
	return 0;
}
