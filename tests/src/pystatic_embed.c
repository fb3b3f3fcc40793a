/* pystatic_embed.c - an embedding program with libpython linked in statically (as /usr/bin/python3
 * has it) that installs no signal handlers (Py_InitializeEx(0)) and registers its own Py_AtExit
 * function from main: the call is internal to the executable, and no sigaction restore marks the
 * finalization (3.11's pthread_key_delete of the GIL state's key does). */
#include <Python.h>
#include <unistd.h>

static void own_at_exit(void)
{
	static const char m[] = "own_at_exit ran\n";
	if (write(1, m, sizeof m - 1) < 0)
		_exit(3);
}

int main(void)
{
	Py_InitializeEx(0);
	Py_AtExit(own_at_exit);
	PyRun_SimpleString("print('hello', flush=True)");
	return Py_FinalizeEx() < 0 ? 120 : 0;
}
