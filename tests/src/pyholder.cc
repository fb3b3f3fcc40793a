// pyholder.cc - a C++ extension that keeps a Python object in a thread_local and releases it from
// the thread_local's destructor. Under python3 that destructor runs after the interpreter was
// finalized (exit() runs TLS destructors last), so it calls into a dead interpreter.
#include <Python.h>

struct Holder {
	PyObject *obj = nullptr;
	~Holder()
	{
		if (obj) {
			PyGILState_STATE g = PyGILState_Ensure();
			Py_DECREF(obj);
			PyGILState_Release(g);
		}
	}
};
thread_local Holder held;

static PyObject *hold(PyObject *, PyObject *arg)
{
	Py_XDECREF(held.obj);
	Py_INCREF(arg);
	held.obj = arg;
	Py_RETURN_NONE;
}

static PyMethodDef methods[] = {{"hold", hold, METH_O, ""}, {}};
static PyModuleDef mod = {PyModuleDef_HEAD_INIT, "pyholder", nullptr, -1, methods};
PyMODINIT_FUNC PyInit_pyholder() { return PyModule_Create(&mod); }
