// seedext.cc - the seed bug as a CPython extension: a thread_local std::optional<Session> whose
// Session owns a mapped arena, unmapped by its destructor. touch() creates it on the calling
// thread; at_exit() reads it without checking, as code does that "knows" touch() ran. Called from
// a Python atexit callback, at_exit() is fine where Python finalizes before exit() (python3,
// gunicorn, mod_wsgi prefork) and reads a destroyed object where exit() runs the TLS destructors
// first (uWSGI: SIGSEGV).
#include <Python.h>
#include <sys/mman.h>
#include <optional>
struct Session {
    long *arena;
    Session() { arena = (long *)mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); }
    ~Session() { munmap(arena, 4096); }
};
thread_local std::optional<Session> tls_obj;
static PyObject *touch(PyObject *, PyObject *) {
    if (!tls_obj) tls_obj.emplace();
    return PyLong_FromLong(++tls_obj->arena[0]);
}
static PyObject *at_exit(PyObject *, PyObject *) {
    return PyLong_FromLong(tls_obj->arena[0]);   // unchecked: the object exists "by construction"
}
static PyMethodDef methods[] = {{"touch", touch, METH_NOARGS, ""}, {"at_exit", at_exit, METH_NOARGS, ""}, {}};
static PyModuleDef mod = {PyModuleDef_HEAD_INIT, "seedext", nullptr, -1, methods};
PyMODINIT_FUNC PyInit_seedext() { return PyModule_Create(&mod); }
