/* wait_then_sleep.c: a blocking waitpid that returns (the child ended), then a long sleep: a kill
 * then finds no wait open (t153). */
#include <unistd.h>
#include <sys/wait.h>
int main(void)
{
	pid_t c = fork();
	if (c == 0) { usleep(100000); _exit(0); }
	waitpid(c, NULL, 0);
	sleep(100);
	return 0;
}
