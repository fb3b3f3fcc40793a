/* embed_fork.c - embeds Python the way uWSGI's workers run it: the parent initializes the
 * interpreter and imports the app, then forks; the child, like uWSGI's worker, does not call
 * PyOS_AfterFork_Child, so its thread states keep the parent's thread ids. The child serves a
 * request (seedext's tls_obj constructed on its main thread) and calls exit(30); an atexit handler
 * then finalizes Python (uWSGI's uwsgi_plugins_atexit), after exit() destroyed tls_obj: the Python
 * atexit callback seed_app.at_exit reads it and faults. The parent exits with the child's status,
 * or 128 + the signal that killed it. */
#include <Python.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void finalize(void)
{
	PyGILState_Ensure();
	Py_Finalize();
}

int main(void)
{
	pid_t pid;
	int st;
	Py_Initialize();
	PyRun_SimpleString("import seed_app\n");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		atexit(finalize);
		PyRun_SimpleString("print(seed_app.application({}, lambda *a: None)[0].split(b\" pid\")[0], flush=True)\n");
		exit(30);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 2;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
