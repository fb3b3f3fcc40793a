// churnext.cc - a CPython extension for bench/run's churn row: touch() uses a thread_local with
// a destructor, so each Python thread that calls it registers one (and destroys it at its end).
#include <Python.h>

struct Obj {
	long v = 0;
	~Obj() { __atomic_store_n(&v, -1, __ATOMIC_RELAXED); }
};
static thread_local Obj obj;

static PyObject *touch(PyObject *, PyObject *) { return PyLong_FromLong(++obj.v); }

static PyMethodDef methods[] = {{"touch", touch, METH_NOARGS, ""}, {}};
static PyModuleDef mod = {PyModuleDef_HEAD_INIT, "churnext", nullptr, -1, methods};
PyMODINIT_FUNC PyInit_churnext() { return PyModule_Create(&mod); }
