# clean_app.py - a WSGI app with no teardown bug, for the clean runs of every host (t172): each
# request uses the seed extension's thread_local (libstdc++ loaded, a TLS destructor on the thread
# that served it), a daemon thread ticks in the background, and a Python atexit callback runs that
# uses no thread_local.
import atexit
import os
import threading
import time

import seedext


def tick():
    while True:
        time.sleep(0.05)


threading.Thread(target=tick, name="ticker", daemon=True).start()


def at_exit():
    print("clean_app at_exit", flush=True)


atexit.register(at_exit)


def application(environ, start_response):
    n = seedext.touch()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"touch %d pid %d\n" % (n, os.getpid())]
