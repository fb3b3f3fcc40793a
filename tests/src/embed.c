/* embed.c - embeds Python the way mod_wsgi's daemon and event-MPM modes do: a request thread uses
 * the seed extension and ends (its thread_local destroyed), then the main thread finalizes Python,
 * whose atexit callback (seed_app.at_exit) runs on the main thread: tls_obj is constructed there
 * for the first time, during Py_Finalize, and read uninitialized. */
#include <Python.h>
#include <pthread.h>

static void *request(void *arg)
{
	PyGILState_STATE g = PyGILState_Ensure();
	(void)arg;
	PyRun_SimpleString("import seed_app\nprint(seed_app.application({}, lambda *a: None)[0].split(b\" pid\")[0], flush=True)\n");
	PyGILState_Release(g);
	return NULL;
}

int main(void)
{
	pthread_t t;
	PyThreadState *main_state;
	Py_Initialize();
	PyRun_SimpleString("import seed_app\n");
	main_state = PyEval_SaveThread();
	pthread_create(&t, NULL, request, NULL);
	pthread_join(t, NULL);
	PyEval_RestoreThread(main_state);
	Py_Finalize();
	return 0;
}
