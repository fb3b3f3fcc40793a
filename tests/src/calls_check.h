/* calls_check.h - for the programs that print what each call returned, with and without the shim,
 * for a test to compare (sleeps_calls.c: t294; reads_calls.c: t319): a line per call, the
 * return value and errno ("kept": the call left it alone), and a SIGALRM soon to cut a blocking
 * call short. */
#ifndef CALLS_CHECK_H
#define CALLS_CHECK_H
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static const char *tag_ = ""; /* what each line begins with: "c", "main", "atexit" */

static void show(const char *what, long rc, int err)
{
	printf("%s %s rc=%ld errno=%s\n", tag_, what, rc, err == 77 ? "kept" : strerrorname_np(err) ? strerrorname_np(err) : "?");
	fflush(stdout);
}
static void alarm_off(void);
/* each call with errno set to 77 first: a call that succeeds, or returns its error, leaves it;
 * after it, alarm_soon's timer stopped */
#define CALL(what, expr)                   \
	do {                               \
		long rc_;                  \
		int err_;                  \
		errno = 77;                \
		rc_ = (long)(expr);        \
		err_ = errno;              \
		alarm_off();               \
		show(what, rc_, err_);     \
	} while (0)

static void on_alarm(int sig) { (void)sig; }

/* a SIGALRM 20 ms from now and every 20 ms after until the next CALL returns (one that came
 * before the call blocked does not leave it blocked: no timing assumed), its handler installed
 * without SA_RESTART */
static void alarm_soon(void)
{
	struct sigaction sa;
	struct itimerval it = {{0, 20000}, {0, 20000}};
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void alarm_off(void)
{
	struct itimerval none = {{0, 0}, {0, 0}};
	setitimer(ITIMER_REAL, &none, NULL);
}
#endif
