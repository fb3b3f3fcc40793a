/* embed_atexit.c - an embedding program that registers a Py_AtExit function and finalizes with
 * Py_FinalizeEx, both through its PLT (what the shim interposes). */
#include <Python.h>
#include <stdio.h>

static void on_py_exit(void) { printf("Py_AtExit function\n"); }

int main(void)
{
	int rc;
	Py_Initialize();
	if (Py_AtExit(on_py_exit) != 0)
		return 2;
	PyRun_SimpleString("print('python ran', flush=True)\n");
	rc = Py_FinalizeEx();
	printf("Py_FinalizeEx %d\n", rc);
	return 0;
}
