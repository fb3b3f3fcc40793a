/* embed_run.c - the smallest embedding host: links libpython dynamically, runs argv[1] as Python
 * code, then Py_FinalizeEx through its PLT (what the shim interposes) and exits with its result. */
#include <Python.h>

int main(int argc, char **argv)
{
	Py_Initialize();
	if (argc > 1 && PyRun_SimpleString(argv[1]) != 0)
		return 2;
	return Py_FinalizeEx() == 0 ? 0 : 3;
}
