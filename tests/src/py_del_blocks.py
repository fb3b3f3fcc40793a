# tests/src/py_del_blocks.py KIND: python3's own Py_FinalizeEx blocked on its main thread in a
# __del__ method (Holder.__del__) that Python runs after the atexit callbacks, while the runtime
# finalizes (FIN11, t347). KIND: subprocess (a module global whose __del__ waits for a child that
# never ends, Popen.wait: run by the modules' teardown), lock (an object in a reference cycle,
# the collector off, whose __del__ acquires a Lock it holds: run by Py_FinalizeEx's garbage
# collection), spin (a module global's __del__ that loops in pure Python: no wait, no watchdog,
# but its lines read F). (A __del__ that joins a daemon thread returns there: CPython 3.11's
# _PyThreadState_DeleteExcept releases the threads' join locks before the collection.) Prints
# "ready" at the end of the main code; the test's timeout(1) ends it and its child.
import gc, subprocess, sys, threading

kind = sys.argv[1]


class Holder:
    def __init__(self):
        if kind == "subprocess":
            self.p = subprocess.Popen(["sleep", "100"])
        elif kind == "lock":
            self.lock = threading.Lock()
            self.lock.acquire()
            self.me = self  # a cycle: only the collector frees it

    def __del__(self):
        if kind == "subprocess":
            self.p.wait()
        elif kind == "lock":
            self.lock.acquire()
        else:
            while True:
                pass


if kind == "lock":
    gc.disable()  # (Py_FinalizeEx collects all the same)
    Holder()
else:
    keep = Holder()
print("ready", flush=True)
