/* subinterp_end.c: an embedder that creates a sub-interpreter, gives it a mod_wsgi module with an
 * application_group as mod_wsgi does, and destroys it (t158). With an argument it first drops the
 * current thread state: Py_EndInterpreter's "thread is not current" fatal error (SIGABRT), which
 * the shim's read of the name must leave as it is. With "lookup" the sub-interpreter instead keeps
 * an object of finalize_lookup (t464) in a cycle, whose destructor Py_EndInterpreter's teardown runs
 * and which then faults on a NULL lookup (PYTHONPATH must name the extension's directory). */
#include <Python.h>

int main(int argc, char **argv)
{
	Py_Initialize();
	PyThreadState *sub = Py_NewInterpreter();
	PyRun_SimpleString("import sys\n"
			   "m = type(sys)('mod_wsgi')\n"
			   "m.application_group = 'shop.example.com|/cart'\n"
			   "sys.modules['mod_wsgi'] = m\n");
	if (argc > 1 && !strcmp(argv[1], "lookup"))
		PyRun_SimpleString("import json, finalize_lookup\n"
				   "class H: pass\n"
				   "h = H(); h.cycle = h; h.o = finalize_lookup.Obj()\n");
	else if (argc > 1)
		PyThreadState_Swap(NULL);
	Py_EndInterpreter(sub);
	return 0;
}
