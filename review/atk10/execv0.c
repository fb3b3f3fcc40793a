/* execv0 PROG: execs PROG with argc 0 (argv = {NULL}) and with an empty argv[0]; prints statuses */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	char *none[] = {0}, *empty[] = {"", "environ", 0};
	extern char **environ;
	for (int i = 0; i < 2; i++) {
		fflush(stdout);
		pid_t p = fork();
		if (!p) { execve(argv[1], i ? empty : none, environ); _exit(127); }
		int st; waitpid(p, &st, 0); printf("argc-%s status %d\n", i ? "empty" : "0", st);
	}
	return argc;
}
