# A non-daemon thread that spins in pure Python (no system call, nothing it waits for), so that
# python3's join of it at the end (threading._shutdown) never returns (t471: a supervisor's SIGKILL
# with no gentler signal before it; the snapshot must show it running, busy, not waiting).
import threading


def spin():
    n = 0
    while True:
        n += 1


threading.Thread(target=spin, name="spinner").start()
print("main returns", flush=True)
