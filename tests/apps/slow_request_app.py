# tests/apps/slow_request_app.py: a WSGI app whose request for /slow does not return (a sleep of
# 600 s, as a call to a backend that hangs); it prints "in slow request" to the server's log first
# (t403: a threaded uWSGI worker's graceful reload waits for it).
import sys
import time


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/slow":
        print("in slow request", file=sys.stderr, flush=True)
        time.sleep(600)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
