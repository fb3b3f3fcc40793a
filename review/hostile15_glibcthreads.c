/* hostile15_glibcthreads.c [x]: glibc's own threads: SIGEV_THREAD timers, aio, getaddrinfo_a,
 * mq_notify; with x, exit(3) while a timer thread fires. review/run-hostile15.sh */
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
static __thread int tlv;
int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	timer_t t; struct sigevent ev = {0};
	ev.sigev_notify = SIGEV_THREAD; ev.sigev_notify_function = tf; ev.sigev_value.sival_int = 1;
	timer_create(CLOCK_MONOTONIC, &ev, &t);
	struct itimerspec its = {{0, 1000000}, {0, 1000000}};
	timer_settime(t, 0, &its, NULL);
	while (fired < 20) usleep(1000);
	timer_delete(t);
	printf("timer fired >= 20\n");
	char buf[16]; int fd = open("/etc/hostname", O_RDONLY);
	struct aiocb cb = {0}; cb.aio_fildes = fd; cb.aio_buf = buf; cb.aio_nbytes = 4;
	aio_read(&cb); const struct aiocb *l[1] = {&cb}; aio_suspend(l, 1, NULL);
	printf("aio %zd\n", aio_return(&cb));
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
