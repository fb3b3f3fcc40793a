# A WSGI app whose /stuck request sleeps 60 s (t151, t152: gunicorn's worker timeout and graceful
# timeout; t403: uWSGI's graceful reload), once it said "stuck request began" on stderr (the server's
# log: the test waits for it); any other path answers at once.
import sys
import time


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/stuck":
        print("stuck request began", file=sys.stderr, flush=True)
        time.sleep(60)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
