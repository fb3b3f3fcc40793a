/* pyatexitctor.cc - a C extension that registers its Py_AtExit functions from its ELF constructor,
 * which runs inside the dlopen that loads it, before Python calls PyInit and before the shim can
 * point the module's GOT slot at itself: the registrations are only in the interpreter's own list.
 * PYATEXITCTOR=clean registers one that only writes; =both also one that takes the GIL and makes an
 * object after the interpreter is gone (SIGSEGV); =lib registers nothing from the constructor
 * (register_from_python() is called by the script through ctypes, which calls the executable's
 * Py_AtExit through a pointer, never through a GOT). */
#include <Python.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern "C" void ctor_clean_at_exit(void)
{
	static const char msg[] = "ctor_clean_at_exit ran\n";
	if (write(1, msg, sizeof msg - 1) < 0)
		_exit(3);
}

extern "C" void ctor_python_at_exit(void)
{
	static const char msg[] = "ctor_python_at_exit ran\n";
	if (write(1, msg, sizeof msg - 1) < 0)
		_exit(3);
	PyGILState_STATE s = PyGILState_Ensure();
	PyObject *o = PyLong_FromLong(54321);
	Py_XDECREF(o);
	PyGILState_Release(s);
}

__attribute__((constructor)) static void register_early(void)
{
	const char *which = getenv("PYATEXITCTOR");
	if (!which || !strcmp(which, "lib"))
		return;
	Py_AtExit(ctor_clean_at_exit);
	if (!strcmp(which, "both"))
		Py_AtExit(ctor_python_at_exit);
}

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "pyatexitctor", NULL, -1, NULL, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit_pyatexitctor(void) { return PyModule_Create(&moddef); }
