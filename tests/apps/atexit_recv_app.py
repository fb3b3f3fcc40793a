# atexit_recv_app.py - a WSGI app whose atexit callback blocks in a socket read that never
# completes (t398): under uWSGI the worker's exit() runs Py_Finalize (uwsgi_plugins_atexit), which
# runs the callback, until the master's mercy ends the worker with SIGKILL.
import atexit
import socket

_sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
_sock.bind(("127.0.0.1", 0))


def flush_metrics():
    _sock.recv(1)


atexit.register(flush_metrics)


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
