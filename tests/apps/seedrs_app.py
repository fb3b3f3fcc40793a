# seedrs_app.py - the seed app with the Rust extension (tests/src/seedrs): its Python atexit
# callback reads the extension's thread_local!.
import atexit
import os

import seedrs


def at_exit():
    try:
        print("at_exit: %d" % seedrs.at_exit(), flush=True)
    except BaseException as e:  # PyO3 turns a Rust panic into PanicException (a BaseException)
        print("at_exit failed: %s: %s" % (type(e).__name__, e), flush=True)


atexit.register(at_exit)


def application(environ, start_response):
    n = seedrs.touch()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"touch %d pid %d\n" % (n, os.getpid())]
