/* hostile15_memfd.c: a copy of itself in a memfd run by fexecve in a child (exit 7). review/run-hostile15.sh */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
extern char **environ;
int main(int argc, char **argv)
{
	if (argc > 1) { printf("child argc %d argv0 %s\n", argc, argv[0]); char b[256]; ssize_t n = readlink("/proc/self/exe", b, 255); b[n > 0 ? n : 0] = 0; printf("exe %s\n", b); return 7; }
	int src = open("/proc/self/exe", O_RDONLY); struct stat st; fstat(src, &st);
	int m = memfd_create("h15prog", MFD_CLOEXEC);
	sendfile(m, src, NULL, st.st_size);
	pid_t c = fork();
	if (c == 0) { char *av[] = {"memchild", "x", NULL}; fexecve(m, av, environ); perror("fexecve"); _exit(127); }
	int s; waitpid(c, &s, 0); printf("status %d\n", WEXITSTATUS(s));
	return 0;
}
