# seed_app.py - a WSGI app using the seed extension (tests/src/seedext.cc); its Python atexit
# callback reads the extension's thread_local. Used by every host: python3, uWSGI, mod_wsgi,
# gunicorn.
import atexit
import os

import seedext


def at_exit():
    print("at_exit: %d" % seedext.at_exit(), flush=True)


atexit.register(at_exit)


def application(environ, start_response):
    n = seedext.touch()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"touch %d pid %d\n" % (n, os.getpid())]
