/* chdir_fork.c - changes directory to argv[1], then forks a child that exits 0; returns 0. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	pid_t pid;
	if (argc < 2 || chdir(argv[1]) != 0)
		return 2;
	pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	printf("done\n");
	return 0;
}
