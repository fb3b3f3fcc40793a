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


def one_wait():
    """a function that waits 50 ms the KIND's way, for what never comes"""
    r, w = os.pipe()
    if kind == "sleep":
        return lambda: time.sleep(0.05)
    if kind == "select":
        return lambda: select.select([r], [], [], 0.05)
    if kind == "poll":
        p = select.poll()
        p.register(r, select.POLLIN)
        return lambda: p.poll(50)
    if kind == "epoll":
        s = selectors.DefaultSelector()
        s.register(r, selectors.EVENT_READ)
        return lambda: s.select(0.05)
    if kind == "event":
        return lambda: never.wait(0.05)
    if kind == "lock":
        lock = threading.Lock()
        lock.acquire()
        return lambda: lock.acquire(timeout=0.05)
    t = threading.Thread(target=never.wait, daemon=True)  # join
    t.start()
    return lambda: t.join(0.05)


def wait_forever():
    once = one_wait()
    print("ready", flush=True)
    while True:
        once()


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
