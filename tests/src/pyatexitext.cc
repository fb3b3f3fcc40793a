/* pyatexitext.cc - a C extension that registers Py_AtExit functions (CPython runs them at the very
 * end of Py_FinalizeEx, after the interpreter is gone): register("clean") one that only writes,
 * register("python") one that takes the GIL and makes an object, as native code that does not
 * know finalization happened would. Its Py_AtExit call goes through its GOT: under
 * /usr/bin/python3 bound to the executable's definition, in an embedding host to libpython's. */
#include <Python.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void clean_at_exit(void)
{
	static const char msg[] = "clean_at_exit ran\n";
	if (write(1, msg, sizeof msg - 1) < 0)
		_exit(3);
}

static void python_at_exit(void)
{
	static const char msg[] = "python_at_exit ran\n";
	if (write(1, msg, sizeof msg - 1) < 0)
		_exit(3);
	PyGILState_STATE s = PyGILState_Ensure();
	PyObject *o = PyLong_FromLong(12345);
	Py_XDECREF(o);
	PyGILState_Release(s);
}

/* PYATEXITCTOR=clean (or both: and the one that takes the GIL): the same functions registered from
 * the module's ELF constructor, inside the dlopen that loads it, before Python calls PyInit and
 * before the shim can point the module's GOT slot at itself (t163) */
__attribute__((constructor)) static void register_early(void)
{
	const char *which = getenv("PYATEXITCTOR");
	if (!which)
		return;
	Py_AtExit(clean_at_exit);
	if (!strcmp(which, "both"))
		Py_AtExit(python_at_exit);
}

/* for ctypes (t163): the clean function, to pass to the executable's Py_AtExit by a pointer */
extern "C" __attribute__((visibility("default"))) void *clean_at_exit_address(void) { return (void *)clean_at_exit; }

static PyObject *reg(PyObject *self, PyObject *arg)
{
	const char *which = PyUnicode_AsUTF8(arg);
	(void)self;
	if (!which)
		return NULL;
	if (Py_AtExit(strcmp(which, "python") == 0 ? python_at_exit : clean_at_exit) != 0) {
		PyErr_SetString(PyExc_RuntimeError, "Py_AtExit failed");
		return NULL;
	}
	Py_RETURN_NONE;
}

static PyMethodDef methods[] = {{"register", reg, METH_O, "register a Py_AtExit function"}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "pyatexitext", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit_pyatexitext(void) { return PyModule_Create(&moddef); }
