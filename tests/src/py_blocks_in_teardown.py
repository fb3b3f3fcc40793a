# tests/src/py_blocks_in_teardown.py KIND WHERE: python3's own Py_FinalizeEx blocked on its main
# thread in something else than a lock wait with no timeout (issue 15; t292, t293). KIND: how the
# waiting code waits, in a loop that never ends: sleep (time.sleep), select (select.select), poll
# (select.poll), epoll (selectors' default), event (Event.wait(timeout)), lock
# (Lock.acquire(timeout=...)), join (Thread.join(timeout) of a thread that never ends). WHERE:
# atexit (an atexit callback, flush_metrics), thread_atexit (a threading._register_atexit
# callback: threading._shutdown runs it before it joins the non-daemon threads), nondaemon (the
# main code ends while a non-daemon thread waits that way: threading._shutdown's join), main (the
# main code itself waits: no teardown). Prints "ready" once it waits.
import atexit, os, select, selectors, sys, threading, time

kind, where = sys.argv[1], sys.argv[2]
never = threading.Event()


def wait_forever():
    print("ready", flush=True)
    if kind == "sleep":
        while True:
            time.sleep(0.05)
    elif kind == "select":
        r, w = os.pipe()
        while True:
            select.select([r], [], [], 0.05)
    elif kind == "poll":
        r, w = os.pipe()
        p = select.poll()
        p.register(r, select.POLLIN)
        while True:
            p.poll(50)
    elif kind == "epoll":
        r, w = os.pipe()
        s = selectors.DefaultSelector()
        s.register(r, selectors.EVENT_READ)
        while True:
            s.select(0.05)
    elif kind == "event":
        while not never.wait(0.05):
            pass
    elif kind == "lock":
        lock = threading.Lock()
        lock.acquire()
        while not lock.acquire(timeout=0.05):
            pass
    elif kind == "join":
        t = threading.Thread(target=never.wait, daemon=True)
        t.start()
        while t.is_alive():
            t.join(0.05)


def flush_metrics():
    wait_forever()


if where == "atexit":
    atexit.register(flush_metrics)
elif where == "thread_atexit":
    threading._register_atexit(flush_metrics)
elif where == "nondaemon":
    threading.Thread(target=flush_metrics, name="poller").start()
    time.sleep(0.1)
else:
    wait_forever()
