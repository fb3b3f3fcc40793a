/* wait_then_sleep.c: a blocking waitpid that returns (the child ended), then a long sleep: a kill
 * then finds no wait open (t153). The child ends once the parent blocks in its wait (was: after
 * 100 ms, which a slow parent could miss: then its wait did not block). */
#include <unistd.h>
#include <sys/wait.h>

#include "proc_wait.h"

int main(void)
{
	pid_t c = fork();
	if (c == 0) { until_in_syscall(getppid(), NR_WAIT4, -1); _exit(0); }
	waitpid(c, NULL, 0);
	sleep(100);
	return 0;
}
