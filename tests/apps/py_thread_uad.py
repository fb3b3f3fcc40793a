# py_thread_uad.py - a use-after-destroy with Python code on the stack, in any host: a thread keeps
# an object in pyholder's thread_local (registered first, so destroyed last) and then creates
# seedext's tls_obj. When the thread ends, glibc destroys tls_obj first; pyholder's destructor
# then releases the object, whose __del__ reads tls_obj through seedext.at_exit(): a lookup of a
# destroyed thread_local from Python code (then SIGSEGV where the unmapped arena is read).
# Line numbers are checked by t082.
import threading
import time

import pyholder
import seedext


def read_destroyed():
    seedext.at_exit()


class ReadsLate:
    def __del__(self):
        read_destroyed()


def worker():
    pyholder.hold(ReadsLate())
    seedext.touch()


t = threading.Thread(target=worker)
t.start()
t.join()
time.sleep(2)
