// tlsbench.cc - a CPython extension for bench/run: dynamic-TLS lookups (general-dynamic: an
// exported thread_local of a -fPIC module, one __tls_get_addr call per access).
//   loop(n)  n lookups from a C loop (the worst case: nothing but lookups)
//   touch()  one lookup per call (a Python loop calling it: what an extension sees)
#include <Python.h>

thread_local long bench_counter;

__attribute__((noinline)) long bump()
{
	return ++bench_counter;
}

static PyObject *loop(PyObject *, PyObject *arg)
{
	long n = PyLong_AsLong(arg), s = 0;
	for (long i = 0; i < n; i++)
		s += bump();
	return PyLong_FromLong(s);
}

static PyObject *touch(PyObject *, PyObject *) { return PyLong_FromLong(bump()); }

static PyMethodDef methods[] = {{"loop", loop, METH_O, ""}, {"touch", touch, METH_NOARGS, ""}, {}};
static PyModuleDef mod = {PyModuleDef_HEAD_INIT, "tlsbench", nullptr, -1, methods};
PyMODINIT_FUNC PyInit_tlsbench() { return PyModule_Create(&mod); }
