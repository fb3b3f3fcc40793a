# A WSGI app whose worker never finishes its teardown (t230): STUCK=thread, a non-daemon thread
# that never ends (Python joins it before the atexit callbacks), or STUCK=atexit, an atexit
# callback that never returns. Requests answer at once.
import atexit
import os
import threading
import time


def _never():
    while True:
        time.sleep(1)


if os.environ.get("STUCK", "thread") == "thread":
    threading.Thread(target=_never, name="never-ends").start()
else:
    atexit.register(_never)


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
