# clean_app.py - a WSGI app with no teardown bug, for the clean runs of every host (t172): each
# request uses the seed extension's thread_local (libstdc++ loaded, a TLS destructor on the thread
# that served it), a daemon thread ticks in the background (started by the first request: one
# started at import would be running when uWSGI forks its workers, whose main thread could then
# wait forever for a GIL held at fork), and a Python atexit callback runs that uses no
# thread_local.
import atexit
import os
import threading
import time

import seedext


def tick():
    while True:
        time.sleep(0.05)


ticker = threading.Thread(target=tick, name="ticker", daemon=True)


def at_exit():
    print("clean_app at_exit", flush=True)


atexit.register(at_exit)


def application(environ, start_response):
    if not ticker.is_alive():
        try:
            ticker.start()
        except RuntimeError:  # started by another request meanwhile
            pass
    n = seedext.touch()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"touch %d pid %d\n" % (n, os.getpid())]
