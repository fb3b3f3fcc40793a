# py_late.py - a late construction and a key used after its destructor, each from Python code
# (tests/src/pylate.cc): a thread whose pthread key destructor releases an object whose __del__
# reads the key already destroyed (key-after-destroy), then an atexit callback that constructs a
# thread_local on the main thread during Py_Finalize (construct-during-teardown). Line numbers
# are checked by t170.
import atexit
import os
import threading
import time

import pylate


def make_late():
    pylate.late_tls()


def at_exit_late():
    make_late()


class ReadsKey:
    def __del__(self):
        pylate.key_get()


def worker():
    pylate.key_hold(ReadsKey())


atexit.register(at_exit_late)
t = threading.Thread(target=worker)
t.start()
t.join()
# join returns before the thread's key destructors ran: wait until the thread is gone
while len(os.listdir("/proc/self/task")) > 1:
    time.sleep(0.01)
