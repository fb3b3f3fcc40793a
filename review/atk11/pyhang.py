"""review/atk11/pyhang.py MODE: Python 3.11 programs that hang (or take signals) at shutdown (ATK11)."""
import atexit, os, queue, signal, sys, threading, time

mode = sys.argv[1]

if mode == "atexit_queue":
    # an atexit callback joins a daemon thread that waits for a queue item nobody puts
    q = queue.Queue()
    def consumer():
        q.get()
    t = threading.Thread(target=consumer, name="consumer", daemon=True)
    t.start()
    atexit.register(lambda: t.join())
elif mode == "cond_nondaemon":
    # a non-daemon thread waits on a Condition nobody notifies: threading._shutdown joins it
    c = threading.Condition()
    def waiter():
        with c:
            c.wait()
    threading.Thread(target=waiter, name="waiter").start()
elif mode == "executor":
    import concurrent.futures
    ev = threading.Event()
    ex = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="pool")
    ex.submit(ev.wait)       # a stuck task; the executor's atexit joins its worker
elif mode == "ctypes_sleep":
    # a daemon thread in a C call holding the GIL (ctypes.PyDLL does not release it)
    import ctypes
    libc = ctypes.PyDLL("libc.so.6")
    def sleeper():
        libc.sleep(100)
    threading.Thread(target=sleeper, name="cslp", daemon=True).start()
    time.sleep(0.2)
elif mode == "logging_lock":
    import logging
    h = logging.StreamHandler(sys.stderr)
    logging.getLogger().addHandler(h)
    def holder():
        h.acquire()       # the handler's lock, never released
        threading.Event().wait()
    threading.Thread(target=holder, name="logholder", daemon=True).start()
    time.sleep(0.2)      # logging.shutdown (atexit) flushes h under its lock
elif mode == "mp_child":
    import multiprocessing as mp
    def stuck():
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        threading.Event().wait()
    p = mp.Process(target=stuck, name="stuckchild")   # non-daemon: _exit_function joins it
    p.start()
elif mode == "del_subprocess":
    import subprocess
    class Holder:
        def __init__(self):
            self.p = subprocess.Popen(["sleep", "100"])
        def __del__(self):
            self.p.wait()
    keep = Holder()
elif mode == "handler_blocks":
    lock = threading.Lock()
    def on_term(signo, frame):
        with lock:        # main holds it: the handler waits forever
            pass
    signal.signal(signal.SIGTERM, on_term)
    lock.acquire()
    print("ready", flush=True)
    while True:
        time.sleep(0.1)
elif mode == "signal_in_thread":
    def t():
        try:
            signal.signal(signal.SIGTERM, lambda *a: None)
        except ValueError as e:
            print("ValueError:", e, flush=True)
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])
        threading.Event().wait()
    threading.Thread(target=t, name="masker", daemon=True).start()
    time.sleep(0.2)
    os.kill(os.getpid(), signal.SIGTERM)   # taken by the main thread (the other blocks it)
    time.sleep(5)
print("ready", flush=True)
