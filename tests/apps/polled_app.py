# polled_app.py - the seed app (seed_app.py) whose uWSGI worker, at its end, waits until its
# master's poll for it is in the trace (t212: the master's stop sends the worker SIGINT and polls
# waitpid(-1, WNOHANG); the worker must still be there at that poll, which its Py_Finalize made
# likely, not certain, on a busy machine). The wait runs first of the atexit callbacks (the last
# registered); at most 30 s; nothing without TLSTRACE_FILE.
import atexit
import os
import time

from seed_app import application  # noqa: F401 (the app uWSGI serves)


def _until_polled():
    path = os.environ.get("TLSTRACE_FILE")
    for _ in range(3000 if path else 0):
        with open(path) as f:
            if any(" wait_poll " in line for line in f):
                return
        time.sleep(0.01)


atexit.register(_until_polled)
