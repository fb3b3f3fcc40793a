# A WSGI app whose /stuck request sleeps 60 s (t151, t152: gunicorn's worker timeout and graceful
# timeout); any other path answers at once.
import time


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/stuck":
        time.sleep(60)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
