/* spawn_versions.c SCRIPT: posix_spawn and posix_spawnp of SCRIPT, a file with no #! line (exec
 * fails with ENOEXEC), through one of glibc's two versions of each (t492): GLIBC_2.15's returns
 * the error; built with -DOLD, the older one (asked for by .symver, as a program linked before
 * glibc 2.15 binds it), which runs the file with /bin/sh. Prints what each did. */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;
#ifdef OLD
int old_spawn(pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *, char *const[], char *const[]);
int old_spawnp(pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *, char *const[], char *const[]);
__asm__(".symver old_spawn, posix_spawn@GLIBC_2.2.5");
__asm__(".symver old_spawnp, posix_spawnp@GLIBC_2.2.5");
#define posix_spawn old_spawn
#define posix_spawnp old_spawnp
#endif

#ifdef OLD
#define VER "@GLIBC_2.2.5"
#else
#define VER ""
#endif
static void run(const char *what, int (*fn)(pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
					    char *const[], char *const[]), const char *path)
{
	pid_t p;
	int st = 0;
	char *av[] = {(char *)path, NULL};
	int rc = fn(&p, path, NULL, NULL, av, environ);
	if (rc) {
		printf("%s: %s\n", what, strerror(rc));
		return;
	}
	waitpid(p, &st, 0);
	printf("%s: child exited %d\n", what, WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
	(void)argc;
	setvbuf(stdout, NULL, _IONBF, 0);
	run("posix_spawn" VER, posix_spawn, argv[1]);
	run("posix_spawnp" VER, posix_spawnp, argv[1]);
	return 0;
}
