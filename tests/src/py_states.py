# py_states.py - a python3 run whose handler installations fall in each interpreter state: I (running), A
# (atexit callbacks), F (finalizing: a __del__), then main_return in D (t202).
import atexit, signal, threading
atexit.register(lambda: signal.signal(signal.SIGTERM, signal.SIG_IGN))
class A:
    def __del__(self):
        signal.signal(signal.SIGUSR1, signal.SIG_IGN)
a = A()
signal.signal(signal.SIGHUP, signal.SIG_IGN)
