# Teardowns that hang on a Python lock (t296-t298): MODE OUT. Each thread writes "ROLE TID" to
# OUT (threading.get_native_id()), and the program writes "ready" once the thread that must block
# is blocked (its /proc wchan a futex wait); then it returns from main and its teardown hangs:
#   join_atexit   an atexit callback joins daemon thread "forever", which waits on an Event
#   h1            non-daemon thread "poller" waits on an Event only the atexit callback sets
#                 (threading._shutdown joins it first: cases/h1_atexit_waits_nondaemon_thread)
#   join_chain    non-daemon thread "waiter" joins daemon thread "forever", which waits on an
#                 Event nobody sets (threading._shutdown joins "waiter" first)
#   rlock_shutdown  non-daemon thread "waiter" blocks on an RLock daemon thread "holder" keeps
#   rlock_atexit  an atexit callback blocks on an RLock daemon thread "holder" keeps
#   lock_atexit   an atexit callback blocks on a Lock daemon thread "holder" acquired
import atexit
import sys
import threading
import time

mode, out = sys.argv[1], sys.argv[2]


def note(role):
    with open(out, "a") as f:
        f.write("%s %d\n" % (role, threading.get_native_id()))


def blocked(tid):
    """the thread tid sleeps in a futex wait (bounded: 10 s)"""
    for _ in range(1000):
        try:
            with open("/proc/self/task/%d/wchan" % tid) as f:
                if f.read().startswith("futex"):
                    return
        except OSError:
            pass
        time.sleep(0.01)


never = threading.Event()
started = threading.Event()
note("main")
if mode == "join_chain":
    def forever():
        note("worker")
        started.set()
        never.wait()
    worker = threading.Thread(target=forever, name="forever", daemon=True)
    worker.start()
    started.wait()

    def join_forever():
        note("waiter")
        worker.join()
    waiter = threading.Thread(target=join_forever, name="waiter")
    waiter.start()
    blocked(worker.native_id)
    blocked(waiter.native_id)
elif mode in ("join_atexit", "h1"):
    def forever():
        note("worker")
        started.set()
        never.wait()
    worker = threading.Thread(target=forever, name="forever" if mode == "join_atexit" else "poller",
                              daemon=mode == "join_atexit")
    worker.start()
    started.wait()
    @atexit.register
    def stop_worker():
        never.set() if mode == "h1" else worker.join()
    blocked(worker.native_id)
else:
    lock = threading.Lock() if mode == "lock_atexit" else threading.RLock()

    def keep():
        note("holder")
        lock.acquire()
        started.set()
        never.wait()
    threading.Thread(target=keep, name="holder", daemon=True).start()
    started.wait()
    if mode == "rlock_shutdown":
        def wait_for_lock():
            note("waiter")
            with lock:
                pass
        waiter = threading.Thread(target=wait_for_lock, name="waiter")
        waiter.start()
        blocked(waiter.native_id)
    else:
        @atexit.register
        def take_lock():
            lock.acquire()
with open(out, "a") as f:
    f.write("ready\n")
