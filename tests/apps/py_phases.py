# py_phases.py - marks each phase of the interpreter's life with a dlopen the shim records:
# /nonexistent/tlstrace-phase-<name>.so, called while running (main), from a Python atexit
# callback (atexit), and from a __del__ run when finalization destroys __main__'s globals
# (finalize). The dlopen fails; only the trace line matters.
import atexit
import ctypes


def mark(name, CDLL=ctypes.CDLL, OSError=OSError):
    try:
        CDLL("/nonexistent/tlstrace-phase-%s.so" % name)
    except OSError:
        pass


class Finalized:
    def __del__(self, mark=mark):
        mark("finalize")


atexit.register(mark, "atexit")
keep = Finalized()
mark("main")
