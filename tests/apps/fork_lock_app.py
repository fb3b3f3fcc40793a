# A WSGI app that starts a thread at import which keeps taking a lock, and an atexit callback that
# takes that lock: under uWSGI without --lazy-apps the app is imported in the master, each worker
# is a fork of it, and a worker forked while the thread held the lock waits for it for ever at its
# exit (FRESH17's pydl_app.py; t408)
import atexit
import threading
import time

cache_lock = threading.Lock()


def refresher():
    while True:
        with cache_lock:
            time.sleep(0.05)
        time.sleep(0.0005)


threading.Thread(target=refresher, name="refresher", daemon=True).start()
time.sleep(0.2)


def close_all():
    with cache_lock:
        pass


atexit.register(close_all)


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
