/* embed_gil.c - an embedding program (libpython3.11.so, as mod_wsgi and uWSGI load it) whose exit
 * handler waits for the GIL (t150): a Python thread "holder" takes the GIL and keeps it in a C call
 * (ctypes.PyDLL's sleep, 3 s) once the main thread released it; the handler, 0.8 s into exit(),
 * calls PyGILState_Ensure. argv[1]: the file the thread writes its tid to (a path without
 * quotes). Exit status 0, about 3.3 s after the start. */
#include <Python.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void wait_for_gil(void)
{
	usleep(800000);
	PyGILState_STATE s = PyGILState_Ensure();
	PyGILState_Release(s);
}

int main(int argc, char **argv)
{
	char code[1024];
	if (argc < 2 || strchr(argv[1], '\''))
		return 2;
	snprintf(code, sizeof code,
		 "import threading, ctypes, time\n"
		 "keeps_gil = ctypes.PyDLL(None)\n"
		 "def hold():\n"
		 "    open('%s', 'w').write('%%d\\n' %% threading.get_native_id())\n"
		 "    time.sleep(0.3)\n"
		 "    keeps_gil.sleep(3)\n"
		 "threading.Thread(target=hold, name='holder', daemon=True).start()\n", argv[1]);
	Py_Initialize();
	PyRun_SimpleString(code);
	PyEval_SaveThread();
	atexit(wait_for_gil);
	return 0;
}
