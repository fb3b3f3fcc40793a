/* finalize_lookup: a C++-built extension (build_pyext) with a type whose tp_dealloc looks up sys.modules["json"] and uses the result
 * unchecked. The object lives in a reference cycle of a module global, so it is freed by
 * Py_FinalizeEx's own last collection, after finalize_modules emptied sys.modules: the lookup
 * gives NULL (PySys_GetObject("modules") or the dict's item) and PyObject_GetAttrString(NULL)
 * faults (SIGSEGV at 0x8). Modelled on FRESH17's badext.c (t464). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
	PyObject_HEAD
} Obj;

static void obj_dealloc(Obj *o)
{
	PyObject *modules = PySys_GetObject("modules");
	PyObject *json = modules ? PyDict_GetItemString(modules, "json") : NULL;
	PyObject *f = PyObject_GetAttrString(json, "dumps"); /* the bug: json unchecked */
	Py_XDECREF(f);
	Py_TYPE(o)->tp_free((PyObject *)o);
}

static PyTypeObject ObjType = {PyVarObject_HEAD_INIT(NULL, 0)};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "finalize_lookup", NULL, -1, NULL};

PyMODINIT_FUNC PyInit_finalize_lookup(void)
{
	PyObject *m;
	ObjType.tp_name = "finalize_lookup.Obj";
	ObjType.tp_basicsize = sizeof(Obj);
	ObjType.tp_dealloc = (destructor)obj_dealloc;
	ObjType.tp_flags = Py_TPFLAGS_DEFAULT;
	ObjType.tp_new = PyType_GenericNew;
	if (PyType_Ready(&ObjType) < 0)
		return NULL;
	m = PyModule_Create(&def);
	if (!m)
		return NULL;
	Py_INCREF(&ObjType);
	PyModule_AddObject(m, "Obj", (PyObject *)&ObjType);
	return m;
}
