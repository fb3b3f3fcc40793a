# py_qworker.py - a non-daemon thread "qworker" blocked in q.get(), stopped by an atexit callback
# that Python runs only after it joined the thread (threading._shutdown first): the teardown hangs
# in Py_FinalizeEx until a supervisor kills it (t376; FRESH13's t4).
import atexit
import queue
import threading

q = queue.Queue()


def work():
    while q.get() is not None:
        pass


threading.Thread(target=work, name="qworker").start()
atexit.register(lambda: q.put(None))
print("polling", flush=True)
