/* maps_check.c - prints its effective uid and whether a library whose name contains argv[1] is
 * mapped, then forks and exits (events a loaded shim would trace). */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	char line[512];
	int mapped = 0;
	FILE *f = fopen("/proc/self/maps", "r");
	while (argc > 1 && f && fgets(line, sizeof line, f))
		if (strstr(line, argv[1]))
			mapped = 1;
	printf("euid=%d mapped=%d\n", (int)geteuid(), mapped);
	fflush(stdout);
	if (fork() == 0)
		_exit(0);
	wait(NULL);
	return 0;
}
