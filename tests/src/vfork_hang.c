/* vfork_hang.c - a teardown that hangs on a thread blocked in vfork() (t280): a thread vforks a
 * child that waits in pause() (it never execs or exits, so the thread stays in vfork); main
 * prints "child PID ready", then exit() runs an atexit handler that joins that thread. The test
 * kills the child and this process by pid. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_t forker;
static volatile pid_t child_pid;

static void *vfork_and_wait(void *arg)
{
	pid_t pid;
	(void)arg;
	pid = vfork();
	if (pid == 0) {
		/* the child: the parent's memory, so a store tells main its pid (raw calls only) */
		child_pid = (pid_t)syscall(SYS_getpid);
		for (;;)
			syscall(SYS_pause);
	}
	return NULL;
}

static void join_forker(void)
{
	pthread_join(forker, NULL);
}

int main(void)
{
	if (pthread_create(&forker, NULL, vfork_and_wait, NULL) != 0)
		return 2;
	while (!child_pid)
		usleep(1000);
	printf("child %d ready\n", (int)child_pid);
	fflush(stdout);
	atexit(join_forker);
	exit(0);
}
