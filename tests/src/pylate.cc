// pylate.cc - late construction and key use after its destructor, both called from Python code:
// late_tls() constructs a thread_local with a destructor on the calling thread (from a Python
// atexit callback: during Py_Finalize); key_hold(obj) stores a malloc'd block in pthread key A
// and obj in key B (created after A: glibc runs B's destructor after A's); B's destructor
// releases obj under the GIL, and obj's __del__ calls key_get(), pthread_getspecific(A) after
// A's destructor ran on that thread.
#include <Python.h>
#include <pthread.h>
#include <stdlib.h>

struct Late {
	volatile long n = 1;
	~Late() { n = 0; }
};
thread_local Late late_obj;

static pthread_key_t key_a, key_b;

static void free_a(void *p) { free(p); }
static void release_b(void *p)
{
	PyGILState_STATE g = PyGILState_Ensure();
	Py_DECREF((PyObject *)p);
	PyGILState_Release(g);
}

static PyObject *late_tls(PyObject *, PyObject *) { return PyLong_FromLong(late_obj.n); }

static PyObject *key_hold(PyObject *, PyObject *obj)
{
	Py_INCREF(obj);
	pthread_setspecific(key_a, malloc(16));
	pthread_setspecific(key_b, obj);
	Py_RETURN_NONE;
}

static PyObject *key_get(PyObject *, PyObject *) { return PyBool_FromLong(pthread_getspecific(key_a) != nullptr); }

static PyMethodDef methods[] = {{"late_tls", late_tls, METH_NOARGS, ""},
				{"key_hold", key_hold, METH_O, ""},
				{"key_get", key_get, METH_NOARGS, ""},
				{}};
static PyModuleDef mod = {PyModuleDef_HEAD_INIT, "pylate", nullptr, -1, methods};
PyMODINIT_FUNC PyInit_pylate()
{
	pthread_key_create(&key_a, free_a);
	pthread_key_create(&key_b, release_b);
	return PyModule_Create(&mod);
}
